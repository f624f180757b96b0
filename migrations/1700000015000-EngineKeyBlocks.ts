import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Blocks of element-instance keys (src/engine/runtime/keys.ts): on MySQL a step knows the keys of the
 * element instances it creates before inserting them, so its inserts go out with its COMMIT. The
 * first block starts after every key the database has handed out so far. SQLite keeps AUTO_INCREMENT
 * and leaves the table unused.
 */
export class EngineKeyBlocks1700000015000 implements MigrationInterface {
  name = 'EngineKeyBlocks1700000015000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'engine_key_blocks',
      columns: [
        { name: 'name', type: 'varchar', length: '64', isPrimary: true },
        // The first key not yet reserved.
        { name: 'next_key', type: 'bigint' },
      ],
    }));
    await qr.query(
      "INSERT INTO engine_key_blocks (name, next_key) SELECT 'element_instance', COALESCE(MAX(id), 0) + 1 FROM engine_element_instances");
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('engine_key_blocks');
  }
}
