import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';

/**
 * The mail directory: an address per user (nullable: most staff work without one) and one contact per
 * office and outside role (the police liaison, the court, the arbitration commission…), so mail.send
 * writes to real addresses instead of placeholders.
 */
export class Contacts1700000011000 implements MigrationInterface {
  name = 'Contacts1700000011000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('users', new TableColumn({ name: 'email', type: 'varchar', length: '254', isNullable: true }));
    await qr.createTable(new Table({
      name: 'office_contacts',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'office_id', type: 'varchar', length: '36' },
        { name: 'role', type: 'varchar', length: '40' },
        { name: 'name', type: 'varchar', length: '200' },
        { name: 'email', type: 'varchar', length: '254' },
        { name: 'updated_by', type: 'varchar', length: '64' },
        { name: 'updated_at', type: 'bigint' },
      ],
      uniques: [{ name: 'uq_office_contacts_role', columnNames: ['office_id', 'role'] }],
      foreignKeys: [{ columnNames: ['office_id'], referencedTableName: 'offices', referencedColumnNames: ['id'] }],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('office_contacts');
    await qr.dropColumn('users', 'email');
  }
}
