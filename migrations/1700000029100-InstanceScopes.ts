import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Where a process instance that runs without a case belongs — a patrol, a warning, a grading run, one
 * employer's written review, a listing before its first step: its office and, when it concerns one
 * employer or grid, that grid (src/tasks/instance-scopes.ts). The task policy decides on it as it does on
 * a case, so another office's staff never see these tasks, nor another grid's handlers. The instances
 * already running are placed from the records that name them.
 */
export class InstanceScopes1700000029100 implements MigrationInterface {
  name = 'InstanceScopes1700000029100';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'instance_scopes',
      columns: [
        { name: 'process_instance_key', type: 'varchar', length: '32', isPrimary: true },
        { name: 'office_id', type: 'varchar', length: '36' },
        { name: 'grid_id', type: 'varchar', length: '36', isNullable: true },
        { name: 'kind', type: 'varchar', length: '32' },
        { name: 'created_at', type: 'bigint' },
      ],
    }));
    const now = Date.now();
    for (const [table, grid, kind] of [
      ['patrols', 'grid_id', 'patrol'], ['warnings', 'grid_id', 'warning'], ['written_review_employers', 'grid_id', 'written-review'],
      ['credit_grading_runs', 'NULL', 'credit-grading'], ['credit_listings', 'grid_id', 'listing'],
    ] as const) {
      await qr.query(`INSERT INTO instance_scopes (process_instance_key, office_id, grid_id, kind, created_at)
        SELECT process_instance_key, office_id, ${grid}, '${kind}', ${now} FROM ${table} WHERE process_instance_key IS NOT NULL`);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('instance_scopes');
  }
}
