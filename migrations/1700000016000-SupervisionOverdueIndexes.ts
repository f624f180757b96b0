import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Covering indexes for the overdue view's SQL aggregates (src/supervision/buckets.ts), measured with
 * `npm run bench:supervision` over a million tasks: open tasks near their due date are grouped by
 * root, element and assignee, joined to their case's office and grid, with the case's claim
 * categories checked. Read from indexes alone, that no longer visits the task rows one by one
 * (on MariaDB with a small buffer pool, ~50 µs each):
 *   - open tasks by due date (or creation, without one) with what the grouping reads, in both task
 *     tables; the Zeebe copy's index of SupervisionZeebeIndexes is a prefix of it and goes;
 *   - a root process instance's case (replacing the key-only index of Supervision: SQLite read the
 *     table row for the case id);
 *   - a case's claim categories.
 */
export class SupervisionOverdueIndexes1700000016000 implements MigrationInterface {
  name = 'SupervisionOverdueIndexes1700000016000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex('engine_user_tasks', new TableIndex({
      name: 'ix_engine_ut_open_cover', columnNames: ['state', 'due_date', 'created_at', 'root_id', 'element_id', 'assignee'],
    }));
    // Its (state, due_date) prefix serves every reader of the index it replaces, which would only cost
    // the engine one more index write per task change.
    await qr.dropIndex('engine_user_tasks', 'ix_engine_ut_state');
    await qr.dropIndex('zeebe_user_tasks', 'ix_zeebe_user_tasks_state_due');
    await qr.createIndex('zeebe_user_tasks', new TableIndex({
      name: 'ix_zeebe_user_tasks_open_cover', columnNames: ['state', 'due_date', 'created_at', 'process_instance_key', 'element_id', 'assignee'],
    }));
    await qr.dropIndex('case_processes', 'ix_case_processes_key');
    await qr.createIndex('case_processes', new TableIndex({ name: 'ix_case_processes_key_case', columnNames: ['process_instance_key', 'case_id'] }));
    await qr.createIndex('case_claims', new TableIndex({ name: 'ix_case_claims_category', columnNames: ['case_id', 'category'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('case_claims', 'ix_case_claims_category');
    await qr.dropIndex('case_processes', 'ix_case_processes_key_case');
    await qr.createIndex('case_processes', new TableIndex({ name: 'ix_case_processes_key', columnNames: ['process_instance_key'] }));
    await qr.dropIndex('zeebe_user_tasks', 'ix_zeebe_user_tasks_open_cover');
    await qr.createIndex('zeebe_user_tasks', new TableIndex({ name: 'ix_zeebe_user_tasks_state_due', columnNames: ['state', 'due_date'] }));
    await qr.createIndex('engine_user_tasks', new TableIndex({ name: 'ix_engine_ut_state', columnNames: ['state', 'due_date'] }));
    await qr.dropIndex('engine_user_tasks', 'ix_engine_ut_open_cover');
  }
}
