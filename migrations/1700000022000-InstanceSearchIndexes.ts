import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes for the engine port's instance and task search: by business key (the unique keys lead with
 * the process id, so a search by business key alone read every instance), and a process's instances
 * newest first (the editors' per-version list) without sorting all of them.
 */
export class InstanceSearchIndexes1700000022000 implements MigrationInterface {
  name = 'InstanceSearchIndexes1700000022000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex('engine_process_instances', new TableIndex({ name: 'ix_engine_pi_business_key', columnNames: ['business_key'] }));
    await qr.createIndex('engine_process_instances', new TableIndex({ name: 'ix_engine_pi_process_key', columnNames: ['bpmn_process_id', 'id'] }));
    await qr.createIndex('zeebe_instances', new TableIndex({ name: 'ix_zeebe_instances_business_key', columnNames: ['business_key'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('zeebe_instances', 'ix_zeebe_instances_business_key');
    await qr.dropIndex('engine_process_instances', 'ix_engine_pi_process_key');
    await qr.dropIndex('engine_process_instances', 'ix_engine_pi_business_key');
  }
}
