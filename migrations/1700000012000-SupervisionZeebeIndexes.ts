import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Supervision reads the Zeebe-mode copy of the user tasks (ENGINE=zeebe) by open state and due date,
 * as it reads the embedded engine's tasks through ix_engine_ut_state: without this index the
 * overdue view and the escalation runner read every open task of the cluster.
 */
export class SupervisionZeebeIndexes1700000012000 implements MigrationInterface {
  name = 'SupervisionZeebeIndexes1700000012000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex('zeebe_user_tasks', new TableIndex({ name: 'ix_zeebe_user_tasks_state_due', columnNames: ['state', 'due_date'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('zeebe_user_tasks', 'ix_zeebe_user_tasks_state_due');
  }
}
