import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { longText } from '../src/db/portable';

/**
 * Photos taken on a patrol (日常巡查), kept as files with the patrol: JPEG or PNG, stored as base64
 * text like the proofs of service, with their size and SHA-256 so a copy can be checked.
 */
export class PatrolPhotos1700000029200 implements MigrationInterface {
  name = 'PatrolPhotos1700000029200';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'patrol_photos',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'patrol_id', type: 'varchar', length: '36' },
        { name: 'office_id', type: 'varchar', length: '36' },
        { name: 'file_name', type: 'varchar', length: '255' },
        { name: 'content_type', type: 'varchar', length: '100' },
        { name: 'bytes', type: 'int' },
        { name: 'sha256', type: 'char', length: '64' },
        { name: 'content', type: longText(qr) },
        { name: 'uploaded_by', type: 'varchar', length: '64' },
        { name: 'uploaded_at', type: 'bigint' },
      ],
      foreignKeys: [{ columnNames: ['patrol_id'], referencedTableName: 'patrols', referencedColumnNames: ['id'] }],
      indices: [{ name: 'ix_patrol_photos_patrol', columnNames: ['patrol_id', 'uploaded_at'] }],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('patrol_photos');
  }
}
