import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { longText } from '../src/db/portable';

const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });

/**
 * Supervision (督办): the escalations the service levels fired, once per level per task or case, the
 * supervised listing (挂牌督办) of a case with its due date and owner, and each closed case with
 * whether it met its closure target. Indexes keep the dashboard's aggregates fast over a million
 * tasks and a hundred thousand cases.
 */
export class Supervision1700000008000 implements MigrationInterface {
  name = 'Supervision1700000008000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'supervision_escalations',
      columns: [
        { ...str('id', 36), isPrimary: true },
        // 'task' (an engine user task key) or 'case' (a case id): service levels apply to both.
        str('subject_kind', 8), str('subject_key', 64), str('level', 24), str('service_level', 64),
        str('case_id', 36, true), ms('due_at'), ms('fired_at'), { name: 'actions_json', type: longText(qr) },
      ],
      // The runner may fire a level again after a crash or on a second instance: the key keeps it once.
      uniques: [{ name: 'uq_supervision_escalations_level', columnNames: ['subject_kind', 'subject_key', 'level'] }],
      indices: [{ name: 'ix_supervision_escalations_case', columnNames: ['case_id', 'fired_at'] }],
    }));
    await qr.createTable(new Table({
      name: 'supervision_cases',
      columns: [
        { ...str('case_id', 36), isPrimary: true }, str('office_id', 36), ms('due_at'), str('owner', 64), { name: 'reason', type: longText(qr), isNullable: true },
        str('source', 16), str('set_by', 64), ms('set_at'), ms('lifted_at', true),
      ],
      foreignKeys: [{ columnNames: ['case_id'], referencedTableName: 'cases', referencedColumnNames: ['id'] }],
      indices: [{ name: 'ix_supervision_cases_office', columnNames: ['office_id', 'due_at'] }],
    }));
    // Each closed case once, with whether it met its closure target: the on-time closure rate is then
    // a count over one covering index instead of a join per case. Filled by the escalation runner.
    await qr.createTable(new Table({
      name: 'supervision_case_closures',
      columns: [
        { ...str('case_id', 36), isPrimary: true }, str('office_id', 36), str('grid_id', 36, true), ms('closed_at'), ms('target_due_at', true),
        // 1 on time, 0 late, NULL when the case had no closure target.
        { name: 'on_time', type: 'int', isNullable: true },
      ],
      indices: [
        { name: 'ix_supervision_closures_office', columnNames: ['office_id', 'closed_at', 'grid_id', 'on_time'] },
        { name: 'ix_supervision_closures_closed', columnNames: ['closed_at'] },
      ],
    }));
    // Each case once as received, and per office, grid and month (China time) the counts of cases
    // received, closed, closed on time and closed without a target, kept up in the transaction that
    // records the case: the stats read a few rows per grid and month instead of counting cases.
    await qr.createTable(new Table({
      name: 'supervision_case_receipts',
      columns: [{ ...str('case_id', 36), isPrimary: true }, str('office_id', 36), str('grid_id', 36, true), ms('received_at'), ms('created_at')],
      indices: [
        { name: 'ix_supervision_receipts_created', columnNames: ['created_at'] },
        { name: 'ix_supervision_receipts_office', columnNames: ['office_id', 'received_at', 'grid_id'] },
      ],
    }));
    await qr.createTable(new Table({
      name: 'supervision_month_counts',
      columns: [
        // '' for cases without a grid: a primary key column cannot be NULL.
        { ...str('office_id', 36), isPrimary: true }, { ...str('grid_key', 36), isPrimary: true }, { ...str('month', 7), isPrimary: true },
        { name: 'received', type: 'int', default: 0 }, { name: 'closed', type: 'int', default: 0 },
        { name: 'on_time', type: 'int', default: 0 }, { name: 'no_target', type: 'int', default: 0 },
      ],
    }));
    await qr.createIndex('cases', new TableIndex({ name: 'ix_cases_created', columnNames: ['created_at'] }));
    // Tasks reach their case through the root process instance; this answers "which case" by key.
    await qr.createIndex('case_processes', new TableIndex({ name: 'ix_case_processes_key', columnNames: ['process_instance_key'] }));
    // New closures are found by time.
    await qr.createIndex('cases', new TableIndex({ name: 'ix_cases_closed', columnNames: ['closed_at'] }));
    // Open statutory deadlines near expiry are read from the index alone, then their case by key.
    await qr.createIndex('case_deadlines', new TableIndex({ name: 'ix_case_deadlines_open', columnNames: ['state', 'due_at', 'rule', 'case_id', 'created_at', 'id'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('case_deadlines', 'ix_case_deadlines_open');
    await qr.dropIndex('cases', 'ix_cases_closed');
    await qr.dropIndex('case_processes', 'ix_case_processes_key');
    await qr.dropTable('supervision_case_closures');
    await qr.dropIndex('cases', 'ix_cases_created');
    await qr.dropTable('supervision_month_counts');
    await qr.dropTable('supervision_case_receipts');
    await qr.dropTable('supervision_cases');
    await qr.dropTable('supervision_escalations');
  }
}
