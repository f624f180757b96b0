import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * The grid roles: grid officers (协管员) need nothing new (they hold grids like handlers); an
 * enterprise coordinator (企业协管员) is linked to the employer they report for.
 */
export class GridRoles1700000023000 implements MigrationInterface {
  name = 'GridRoles1700000023000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'user_employers',
      columns: [
        { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'employer_id', type: 'varchar', length: '36', isPrimary: true },
      ],
      foreignKeys: [
        { columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
        { columnNames: ['employer_id'], referencedTableName: 'employers', referencedColumnNames: ['id'] },
      ],
      indices: [{ name: 'ix_user_employers_employer', columnNames: ['employer_id'] }],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('user_employers');
  }
}
