import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { longText } from '../src/db/portable';

const id = () => ({ name: 'id', type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string, nullable = false) => ({ name, type: 'varchar', length: '36', isNullable: nullable });
const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });

/**
 * The yearly grading run (workflows/credit-grading.bpmn): one run per office and year, the grade a
 * reviewer or an upheld objection set in place of the computed one, the notice of a C grade, every
 * change of a grade with its reason, and the objections with whether they came in time and their
 * decision. The cases index on (office, closed_at) lets the run read a year's closed cases by range.
 */
export class CreditGradingRuns1700000027000 implements MigrationInterface {
  name = 'CreditGradingRuns1700000027000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'credit_grading_runs',
      columns: [
        id(), ref('office_id'), { name: 'year', type: 'int' }, str('state', 16), str('process_instance_key', 32, true),
        { name: 'counts_json', type: longText(qr), isNullable: true }, str('started_by', 64), ms('started_at'),
        ms('notified_at', true), ms('objection_due_at', true), ms('finalized_at', true),
      ],
      uniques: [{ name: 'uq_credit_grading_runs_office_year', columnNames: ['office_id', 'year'] }],
    }));
    await qr.addColumns('credit_grades', [
      new TableColumn({ name: 'run_id', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'review_grade', type: 'varchar', length: '1', isNullable: true }),
      new TableColumn({ name: 'notice_document_id', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'notified_at', type: 'bigint', isNullable: true }),
    ]);
    await qr.createIndex('credit_grades', new TableIndex({ name: 'ix_credit_grades_run', columnNames: ['run_id', 'grid_id', 'proposed_grade'] }));
    await qr.createTable(new Table({
      name: 'credit_grade_changes',
      columns: [
        id(), ref('grade_id'), str('kind', 16), str('from_grade', 1), str('to_grade', 1), { name: 'reason', type: longText(qr) },
        ref('objection_id', true), str('changed_by', 64), ms('changed_at'),
      ],
      foreignKeys: [{ columnNames: ['grade_id'], referencedTableName: 'credit_grades', referencedColumnNames: ['id'] }],
      indices: [{ name: 'ix_credit_grade_changes_grade', columnNames: ['grade_id', 'changed_at'] }],
    }));
    await qr.createTable(new Table({
      name: 'credit_grade_objections',
      columns: [
        id(), ref('grade_id'), ref('run_id'), ms('received_at'), ms('due_at'), { name: 'late', type: 'int' },
        { name: 'content', type: longText(qr) }, str('decision', 16, true), str('new_grade', 1, true),
        { name: 'decision_reasons', type: longText(qr), isNullable: true }, ref('document_id', true),
        str('decided_by', 64, true), ms('decided_at', true), str('recorded_by', 64), ms('created_at'),
      ],
      foreignKeys: [{ columnNames: ['grade_id'], referencedTableName: 'credit_grades', referencedColumnNames: ['id'] }],
      indices: [
        { name: 'ix_credit_grade_objections_grade', columnNames: ['grade_id', 'received_at'] },
        { name: 'ix_credit_grade_objections_run', columnNames: ['run_id', 'decision'] },
      ],
    }));
    await qr.createIndex('cases', new TableIndex({ name: 'ix_cases_office_closed', columnNames: ['office_id', 'closed_at'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('cases', 'ix_cases_office_closed');
    await qr.dropTable('credit_grade_objections');
    await qr.dropTable('credit_grade_changes');
    await qr.dropIndex('credit_grades', 'ix_credit_grades_run');
    await qr.dropColumns('credit_grades', ['run_id', 'review_grade', 'notice_document_id', 'notified_at']);
    await qr.dropTable('credit_grading_runs');
  }
}
