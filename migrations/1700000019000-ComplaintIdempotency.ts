import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * A complaint registered with an Idempotency-Key: the same key sent again by the same user (a double
 * click, a retry after a lost answer) answers the first case instead of registering a second. The
 * primary key makes two registrations under one key impossible, even at once.
 */
export class ComplaintIdempotency1700000019000 implements MigrationInterface {
  name = 'ComplaintIdempotency1700000019000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'complaint_idempotency_keys',
      columns: [
        { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'idempotency_key', type: 'varchar', length: '100', isPrimary: true },
        { name: 'case_id', type: 'varchar', length: '36' },
        { name: 'process_instance_key', type: 'varchar', length: '40' },
        { name: 'created_at', type: 'bigint' },
      ],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('complaint_idempotency_keys');
  }
}
