import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Documents issued without a case — a patrol's on-the-spot order, the written review's notices and
 * orders, a grade notice — concern one employer and its grid: `grid_id` records that grid, so the
 * grid's own staff see the document (src/auth/policy/document.ts), not only the office-wide roles.
 */
export class DocumentGrid1700000029000 implements MigrationInterface {
  name = 'DocumentGrid1700000029000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('documents', new TableColumn({ name: 'grid_id', type: 'varchar', length: '36', isNullable: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('documents', 'grid_id');
  }
}
