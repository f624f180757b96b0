import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { longText } from '../src/db/portable';

/**
 * Runs of "move running cases to this version": which version to which with which element mapping,
 * who started it and why, its progress batch by batch, and the report (each instance that could not
 * move, with the reason). The engine moves instances a batch per transaction; this row is how the page
 * that started a run follows it, and what stays of it afterwards.
 */
export class InstanceMigrations1700000028100 implements MigrationInterface {
  name = 'InstanceMigrations1700000028100';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'instance_migrations',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'bpmn_process_id', type: 'varchar', length: '255' },
        { name: 'source_definition_key', type: 'varchar', length: '64' }, { name: 'source_version', type: 'int' },
        { name: 'target_definition_key', type: 'varchar', length: '64' }, { name: 'target_version', type: 'int' },
        { name: 'mappings_json', type: longText(qr) }, { name: 'reason', type: 'varchar', length: '500' },
        { name: 'state', type: 'varchar', length: '16' },
        { name: 'total', type: 'int' }, { name: 'done', type: 'int' }, { name: 'migrated', type: 'int' }, { name: 'failed', type: 'int' },
        { name: 'failures_json', type: longText(qr), isNullable: true },
        { name: 'started_by', type: 'varchar', length: '64' }, { name: 'started_at', type: 'bigint' }, { name: 'finished_at', type: 'bigint', isNullable: true },
      ],
      indices: [{ name: 'ix_instance_migrations_process', columnNames: ['bpmn_process_id', 'started_at'] }],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('instance_migrations');
  }
}
