import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Zeebe's rule for message start events: while an instance that a message with a correlation key
 * started is active, another message with that key starts no instance of the same process (any
 * version); when the instance ends, a message with that key still buffered starts the next one. A row
 * here is the claim of a key by the instance holding it; the primary key makes two claims at once
 * impossible.
 */
export class EngineMessageStartKeys1700000017000 implements MigrationInterface {
  name = 'EngineMessageStartKeys1700000017000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'engine_message_start_keys',
      columns: [
        { name: 'bpmn_process_id', type: 'varchar', length: '255', isPrimary: true },
        { name: 'correlation_key', type: 'varchar', length: '255', isPrimary: true },
        { name: 'process_instance_id', type: 'bigint' },
      ],
      indices: [{ name: 'ix_engine_msk_pi', columnNames: ['process_instance_id'] }],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('engine_message_start_keys');
  }
}
