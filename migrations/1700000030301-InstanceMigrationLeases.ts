import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * A run of "move running cases to this version" knows whether the process moving it is still there:
 * the process that runs it writes its own id (`runner_id`, a fresh id per start or resumption) and
 * renews `heartbeat_at` while it works. A run still marked running whose heartbeat is older than the
 * lease was left by a process that stopped (a crash, a kill, a restart); it is marked interrupted
 * (`interrupted_at`), and resuming it moves the rest. `migrated_before` keeps how many instances the
 * earlier attempts had moved, so the report adds them to what the resumption moves.
 */
export class InstanceMigrationLeases1700000030301 implements MigrationInterface {
  name = 'InstanceMigrationLeases1700000030301';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('instance_migrations', [
      new TableColumn({ name: 'runner_id', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'heartbeat_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'interrupted_at', type: 'bigint', isNullable: true }),
      new TableColumn({ name: 'migrated_before', type: 'int', default: 0 }),
      new TableColumn({ name: 'resumed_by', type: 'varchar', length: '64', isNullable: true }),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const c of ['resumed_by', 'migrated_before', 'interrupted_at', 'heartbeat_at', 'runner_id']) await qr.dropColumn('instance_migrations', c);
  }
}
