import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Indexes for the task inbox's keyset pages (ORDER BY id after a cursor), measured with
 * bench/inbox.ts over a million open tasks. With them each page reads its
 * rows in key order and stops after the page instead of sorting every open task (scope=all, and
 * scope=group, which checks each task's candidates by their primary key) or every task of one
 * assignee (scope=mine).
 */
export class InboxIndexes1700000007000 implements MigrationInterface {
  name = 'InboxIndexes1700000007000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex('engine_user_tasks', new TableIndex({ name: 'ix_engine_ut_state_key', columnNames: ['state', 'id'] }));
    await qr.createIndex('engine_user_tasks', new TableIndex({ name: 'ix_engine_ut_assignee_key', columnNames: ['assignee', 'state', 'id'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('engine_user_tasks', 'ix_engine_ut_assignee_key');
    await qr.dropIndex('engine_user_tasks', 'ix_engine_ut_state_key');
  }
}
