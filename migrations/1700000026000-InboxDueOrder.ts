import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * The inbox filtered by due date pages in (due date, key) order (src/engine/read-model/task-search.ts),
 * measured with bench/inbox.ts over a million open tasks. The office-wide list and a group's tasks
 * range over open tasks by (due_date, id) and stop after a page; the supervision index
 * ix_engine_ut_open_cover has created_at after due_date, so its order within a due date is not the key's.
 * A handler's own tasks use ix_engine_ut_assignee (assignee, state, due_date), whose rows end in the key.
 * Zeebe mode's copy of the cluster's tasks gets the same index.
 */
export class InboxDueOrder1700000026000 implements MigrationInterface {
  name = 'InboxDueOrder1700000026000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex('engine_user_tasks', new TableIndex({ name: 'ix_engine_ut_state_due_key', columnNames: ['state', 'due_date', 'id'] }));
    // Zeebe mode's copy of the cluster's tasks is searched the same way (its keys are decimal text).
    await qr.createIndex('zeebe_user_tasks', new TableIndex({ name: 'ix_zeebe_user_tasks_state_due_key', columnNames: ['state', 'due_date', 'user_task_key'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('zeebe_user_tasks', 'ix_zeebe_user_tasks_state_due_key');
    await qr.dropIndex('engine_user_tasks', 'ix_engine_ut_state_due_key');
  }
}
