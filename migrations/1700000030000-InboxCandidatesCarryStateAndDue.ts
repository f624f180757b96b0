import { MigrationInterface, QueryRunner } from 'typeorm';
import { isMysql } from '../src/db/portable';

/**
 * A group's inbox page as one index range per group (src/engine/read-model/task-search.ts), measured
 * with bench/inbox.ts over a million open tasks: the candidate rows carry their task's state and due
 * date, kept in step by the engine on every change to either, so a group's open tasks come in key
 * order from (kind, name, state, task key) and in due order from (kind, name, state, due date, task
 * key) without reading a task row until the page is known. Before, each candidate row was checked
 * against its task, and a due filter read the open tasks of every group in due order.
 * The old (kind, name[, key]) indexes are prefixes of the new ones and go. Zeebe mode's copy of the
 * cluster's tasks gets the same columns and the due-order index (its text keys do not sort as numbers,
 * so a key-order index would not give its pages in order).
 */
export class InboxCandidatesCarryStateAndDue1700000030000 implements MigrationInterface {
  name = 'InboxCandidatesCarryStateAndDue1700000030000';

  async up(qr: QueryRunner): Promise<void> {
    const mysql = isMysql(qr);
    for (const [table, tasks, key, taskKey] of [
      ['engine_user_task_candidates', 'engine_user_tasks', 'task_id', 'id'],
      ['zeebe_user_task_candidates', 'zeebe_user_tasks', 'user_task_key', 'user_task_key'],
    ]) {
      if (mysql) {
        await qr.query(`ALTER TABLE ${table} ADD COLUMN state varchar(16) NOT NULL DEFAULT 'created', ADD COLUMN due_date bigint NULL`);
        await qr.query(`UPDATE ${table} c JOIN ${tasks} t ON t.${taskKey} = c.${key} SET c.state = t.state, c.due_date = t.due_date`);
      } else {
        await qr.query(`ALTER TABLE ${table} ADD COLUMN state varchar(16) NOT NULL DEFAULT 'created'`);
        await qr.query(`ALTER TABLE ${table} ADD COLUMN due_date bigint NULL`);
        await qr.query(`UPDATE ${table} SET state = (SELECT t.state FROM ${tasks} t WHERE t.${taskKey} = ${table}.${key}),
          due_date = (SELECT t.due_date FROM ${tasks} t WHERE t.${taskKey} = ${table}.${key})
          WHERE EXISTS (SELECT 1 FROM ${tasks} t WHERE t.${taskKey} = ${table}.${key})`);
      }
    }
    await qr.query('CREATE INDEX ix_engine_utc_open_key ON engine_user_task_candidates (kind, name, state, task_id)');
    await qr.query('CREATE INDEX ix_engine_utc_open_due ON engine_user_task_candidates (kind, name, state, due_date, task_id)');
    await qr.query('CREATE INDEX ix_zeebe_utc_open_due ON zeebe_user_task_candidates (kind, name, state, due_date, user_task_key)');
    await dropIndex(qr, 'engine_user_task_candidates', 'ix_engine_utc_name');
    await dropIndex(qr, 'zeebe_user_task_candidates', 'ix_zeebe_user_task_candidates_name');
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('CREATE INDEX ix_zeebe_user_task_candidates_name ON zeebe_user_task_candidates (kind, name)');
    await qr.query('CREATE INDEX ix_engine_utc_name ON engine_user_task_candidates (kind, name, task_id)');
    await dropIndex(qr, 'zeebe_user_task_candidates', 'ix_zeebe_utc_open_due');
    await dropIndex(qr, 'engine_user_task_candidates', 'ix_engine_utc_open_due');
    await dropIndex(qr, 'engine_user_task_candidates', 'ix_engine_utc_open_key');
    for (const table of ['engine_user_task_candidates', 'zeebe_user_task_candidates']) {
      if (isMysql(qr)) await qr.query(`ALTER TABLE ${table} DROP COLUMN due_date, DROP COLUMN state`);
      else {
        await qr.query(`ALTER TABLE ${table} DROP COLUMN due_date`);
        await qr.query(`ALTER TABLE ${table} DROP COLUMN state`);
      }
    }
  }
}

async function dropIndex(qr: QueryRunner, table: string, name: string): Promise<void> {
  await qr.query(isMysql(qr) ? `DROP INDEX ${name} ON ${table}` : `DROP INDEX ${name}`);
}
