import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { longText } from '../src/db/portable';

const id = (name = 'id') => ({ name, type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string, nullable = false) => ({ name, type: 'varchar', length: '36', isNullable: nullable });
const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const int = (name: string, nullable = false) => ({ name, type: 'int', isNullable: nullable });

/**
 * The wage-arrears joint-discipline list (人社部令第45号): one row per proposed listing of an employer,
 * from the case whose order to pay expired unpaid, through notice, decision, the listing and its
 * removal; and what the party sent in (a defence, an application for credit repair) with whether it
 * came in time. Employers and cases are referenced by id.
 */
export class CreditListings1700000025000 implements MigrationInterface {
  name = 'CreditListings1700000025000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'credit_listings',
      columns: [
        id(), ref('office_id'), ref('employer_id'), ref('case_id'), ref('grid_id', true), str('state', 16), str('ground', 24),
        { name: 'ground_text', type: longText(qr) }, { name: 'responsible_json', type: longText(qr) },
        { name: 'amount_owed', type: 'bigint', isNullable: true }, int('workers_owed', true), ms('payment_deadline_at'),
        str('process_instance_key', 32, true), str('proposed_by', 64), ms('proposed_at'),
        ms('decided_at', true), str('decided_by', 64, true), { name: 'decision_note', type: longText(qr), isNullable: true },
        ms('listed_at', true), ms('expires_at', true), ms('removed_at', true), str('removal_reason', 16, true),
        ms('created_at'), ms('updated_at'),
      ],
      foreignKeys: [
        { columnNames: ['employer_id'], referencedTableName: 'employers', referencedColumnNames: ['id'] },
        { columnNames: ['case_id'], referencedTableName: 'cases', referencedColumnNames: ['id'] },
      ],
      indices: [
        { name: 'ix_credit_listings_employer', columnNames: ['employer_id', 'state'] },
        { name: 'ix_credit_listings_office', columnNames: ['office_id', 'state', 'proposed_at'] },
        { name: 'ix_credit_listings_case', columnNames: ['case_id'] },
      ],
    }));
    await qr.createTable(new Table({
      name: 'credit_submissions',
      columns: [
        id(), ref('listing_id'), str('kind', 16), ms('received_at'), ms('due_at', true), int('late'),
        { name: 'content', type: longText(qr) }, ms('wages_paid_at', true), int('pledge'),
        str('decision', 16, true), { name: 'decision_note', type: longText(qr), isNullable: true }, ms('decided_at', true), str('decided_by', 64, true),
        str('recorded_by', 64), ms('created_at'),
      ],
      foreignKeys: [{ columnNames: ['listing_id'], referencedTableName: 'credit_listings', referencedColumnNames: ['id'] }],
      indices: [{ name: 'ix_credit_submissions_listing', columnNames: ['listing_id', 'kind', 'received_at'] }],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('credit_submissions');
    await qr.dropTable('credit_listings');
  }
}
