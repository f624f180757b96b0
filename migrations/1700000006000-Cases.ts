import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { longText } from '../src/db/portable';

const id = (name = 'id') => ({ name, type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string, nullable = false) => ({ name, type: 'varchar', length: '36', isNullable: nullable });
const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const int = (name: string, nullable = false, dflt?: number) => ({ name, type: 'int', isNullable: nullable, ...(dflt === undefined ? {} : { default: dflt }) });
/** Amounts in fen (分): exact in both databases, no decimal driver differences. */
const fen = (name: string, nullable = true) => ({ name, type: 'bigint', isNullable: nullable });

/**
 * Cases (案件): the complaint or report, its parties, the workers concerned with the amounts owed,
 * the claims and their legal categories, the deadlines with their explanations and the process
 * instances that carry the case. Case numbers come from a per-office, per-year sequence.
 */
export class Cases1700000006000 implements MigrationInterface {
  name = 'Cases1700000006000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'case_sequences',
      columns: [{ ...ref('office_id'), isPrimary: true }, { name: 'year', type: 'int', isPrimary: true }, int('last_number')],
      foreignKeys: [{ columnNames: ['office_id'], referencedTableName: 'offices', referencedColumnNames: ['id'] }],
    }));
    await qr.createTable(new Table({
      name: 'cases',
      columns: [
        id(), ref('office_id'), ref('grid_id', true), ref('employer_id', true),
        str('case_number', 64), int('year'), int('sequence'),
        str('kind', 16), str('channel', 16), ms('received_at'),
        str('suggested_route', 32, true), str('route', 32, true),
        str('status', 40), str('outcome', 64, true), str('preservation_status', 40, true),
        int('supervised', false, 0), int('duplicate_flag', false, 0), ref('linked_case_id', true),
        // A complaint to inspection interrupts the arbitration limitation period (劳动争议调解仲裁法 第27条第2款).
        ms('limitation_interrupted_at', true),
        str('violation_ended_on', 10, true),
        { name: 'summary', type: longText(qr) },
        fen('total_owed'), int('workers_count', false, 0), int('wage_arrears', false, 0),
        ms('filed_at', true), ms('closed_at', true),
        str('created_by', 64), ms('created_at'), ms('updated_at'),
      ],
      uniques: [
        { name: 'uq_cases_number', columnNames: ['office_id', 'case_number'] },
        { name: 'uq_cases_sequence', columnNames: ['office_id', 'year', 'sequence'] },
      ],
      foreignKeys: [
        { columnNames: ['office_id'], referencedTableName: 'offices', referencedColumnNames: ['id'] },
        { columnNames: ['employer_id'], referencedTableName: 'employers', referencedColumnNames: ['id'] },
      ],
      indices: [
        { name: 'ix_cases_office_received', columnNames: ['office_id', 'received_at', 'id'] },
        { name: 'ix_cases_employer', columnNames: ['employer_id', 'closed_at'] },
        { name: 'ix_cases_grid', columnNames: ['grid_id', 'received_at'] },
      ],
    }));
    await qr.createTable(new Table({
      name: 'case_parties',
      columns: [
        id(), ref('case_id'), str('role', 16), int('position'), str('name', 600), str('id_type', 40, true), str('id_number', 64, true),
        str('phone', 40, true), str('email', 254, true), str('address', 600, true), str('credit_code', 18, true), str('legal_representative', 100, true),
      ],
      foreignKeys: [{ columnNames: ['case_id'], referencedTableName: 'cases', referencedColumnNames: ['id'] }],
      indices: [{ name: 'ix_case_parties_case', columnNames: ['case_id', 'role', 'position'] }],
    }));
    await qr.createTable(new Table({
      name: 'case_workers',
      columns: [
        id(), ref('case_id'), int('position'), str('name', 600), str('id_type', 40, true), str('id_number', 64, true), str('phone', 40, true),
        fen('amount_owed'), int('months_owed', true),
      ],
      foreignKeys: [{ columnNames: ['case_id'], referencedTableName: 'cases', referencedColumnNames: ['id'] }],
      indices: [{ name: 'ix_case_workers_case', columnNames: ['case_id', 'position'] }],
    }));
    await qr.createTable(new Table({
      name: 'case_claims',
      columns: [
        id(), ref('case_id'), int('position'), str('category', 48), { name: 'description', type: longText(qr) }, fen('amount'),
        str('period_from', 10, true), str('period_to', 10, true),
      ],
      foreignKeys: [{ columnNames: ['case_id'], referencedTableName: 'cases', referencedColumnNames: ['id'] }],
      indices: [{ name: 'ix_case_claims_case', columnNames: ['case_id', 'position'] }],
    }));
    await qr.createTable(new Table({
      name: 'case_deadlines',
      columns: [
        id(), ref('case_id'), str('rule', 48), ms('due_at'), str('due_date', 10), ms('warn_at', true), int('provisional', false, 0),
        { name: 'explanation_json', type: longText(qr) }, str('state', 16), str('process_instance_key', 32, true), str('element_id', 255, true),
        ms('created_at'), ms('updated_at'),
      ],
      uniques: [{ name: 'uq_case_deadlines_rule', columnNames: ['case_id', 'rule'] }],
      foreignKeys: [{ columnNames: ['case_id'], referencedTableName: 'cases', referencedColumnNames: ['id'] }],
      indices: [{ name: 'ix_case_deadlines_due', columnNames: ['state', 'due_at'] }],
    }));
    await qr.createTable(new Table({
      name: 'case_processes',
      columns: [
        { ...ref('case_id'), isPrimary: true }, { ...str('process_instance_key', 32), isPrimary: true }, str('bpmn_process_id', 255), str('role', 16), ms('created_at'),
      ],
      foreignKeys: [{ columnNames: ['case_id'], referencedTableName: 'cases', referencedColumnNames: ['id'] }],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['case_processes', 'case_deadlines', 'case_claims', 'case_workers', 'case_parties', 'cases', 'case_sequences']) await qr.dropTable(t);
  }
}
