import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * Login throttling per (username, client address) and per address, replacing the per-username
 * counter that anyone could use to lock every account. The old rows are transient counters and are
 * not carried over: at worst a lock in force ends early, once.
 */
export class LoginThrottle1700000018000 implements MigrationInterface {
  name = 'LoginThrottle1700000018000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.dropTable('login_failures');
    await qr.createTable(new Table({
      name: 'login_failures',
      columns: [
        { name: 'id', type: 'varchar', length: '64', isPrimary: true },
        { name: 'kind', type: 'varchar', length: '8' },
        { name: 'attempts', type: 'int' },
        { name: 'resets_at', type: 'bigint' },
      ],
      // The clean-up deletes rows whose window has passed.
      indices: [{ name: 'ix_login_failures_resets', columnNames: ['resets_at'] }],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('login_failures');
    await qr.createTable(new Table({
      name: 'login_failures',
      columns: [
        { name: 'username', type: 'varchar', length: '64', isPrimary: true },
        { name: 'failures', type: 'int' },
        { name: 'locked_until', type: 'bigint', isNullable: true },
        { name: 'last_failure_at', type: 'bigint' },
      ],
    }));
  }
}
