import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { isMysql, longText } from '../src/db/portable';

const id = (name = 'id') => ({ name, type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string, nullable = false) => ({ name, type: 'varchar', length: '36', isNullable: nullable });
const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const int = (name: string, nullable = false) => ({ name, type: 'int', isNullable: nullable });
const text = (qr: QueryRunner, name: string, nullable = false) => ({ name, type: longText(qr), isNullable: nullable });

/**
 * Random inspections (双随机、一公开) and the publication of major violations (人社部令第29号).
 * A draw row is written once and never changed: its seed, the registers it drew from and its result
 * are the evidence anyone checking it recomputes; triggers refuse UPDATE and DELETE on it in the
 * database itself. What happens after the draw (each inspection's result, the publication) is kept in
 * the separate, changeable tables beside it.
 */
export class RandomDrawsPublications1700000027100 implements MigrationInterface {
  name = 'RandomDrawsPublications1700000027100';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'inspection_items',
      columns: [id(), ref('office_id'), str('name', 200), text(qr, 'basis'), int('active'), str('updated_by', 64), ms('created_at'), ms('updated_at')],
      indices: [{ name: 'ix_inspection_items_office', columnNames: ['office_id', 'active'] }],
    }));
    await qr.createTable(new Table({
      name: 'inspector_recusals',
      columns: [id(), ref('office_id'), ref('user_id'), ref('employer_id'), text(qr, 'reason'), str('recorded_by', 64), ms('created_at')],
      foreignKeys: [
        { columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'] },
        { columnNames: ['employer_id'], referencedTableName: 'employers', referencedColumnNames: ['id'] },
      ],
      indices: [{ name: 'ix_inspector_recusals_office', columnNames: ['office_id', 'employer_id'] }],
    }));
    await qr.createTable(new Table({
      name: 'random_draws',
      columns: [
        id(), ref('office_id'), str('title', 200), str('seed', 64), text(qr, 'params_json'),
        text(qr, 'inputs_json'), str('inputs_sha256', 64), text(qr, 'result_json'), str('result_sha256', 64),
        int('employer_count'), int('inspector_count'), int('drawn_count'), str('drawn_by', 64), ms('drawn_at'),
      ],
      indices: [{ name: 'ix_random_draws_office', columnNames: ['office_id', 'drawn_at'] }],
    }));
    await qr.createTable(new Table({
      name: 'random_draw_results',
      columns: [
        id(), ref('draw_id'), int('position'), ref('employer_id'), ref('grid_id', true), ref('inspector1_id'), ref('inspector2_id'),
        ref('case_id', true), str('outcome', 16, true), text(qr, 'outcome_note', true), str('ended_on', 10, true),
        str('recorded_by', 64, true), ms('recorded_at', true),
      ],
      foreignKeys: [
        { columnNames: ['draw_id'], referencedTableName: 'random_draws', referencedColumnNames: ['id'] },
        { columnNames: ['employer_id'], referencedTableName: 'employers', referencedColumnNames: ['id'] },
      ],
      indices: [
        { name: 'ix_random_draw_results_draw', columnNames: ['draw_id', 'position'] },
        { name: 'ix_random_draw_results_employer', columnNames: ['employer_id'] },
      ],
    }));
    await qr.createTable(new Table({
      name: 'random_draw_publications',
      columns: [{ ...id('draw_id') }, ref('document_id'), str('published_by', 64), ms('published_at'), str('due_date', 10, true)],
      foreignKeys: [{ columnNames: ['draw_id'], referencedTableName: 'random_draws', referencedColumnNames: ['id'] }],
    }));
    await qr.createTable(new Table({
      name: 'violation_publications',
      columns: [
        id(), ref('office_id'), str('period', 8), str('state', 16), str('proposed_by', 64), ms('proposed_at'),
        str('confirmed_by', 64, true), ms('confirmed_at', true), ref('document_id', true),
      ],
      uniques: [{ name: 'uq_violation_publications_period', columnNames: ['office_id', 'period'] }],
    }));
    await qr.createTable(new Table({
      name: 'violation_publication_entries',
      columns: [
        id(), ref('publication_id'), int('position'), ref('employer_id'), ref('case_id'), str('criterion', 24),
        str('employer_name', 200), str('credit_code', 32, true), str('legal_representative', 100, true),
        text(qr, 'facts'), text(qr, 'handling'), int('included'),
      ],
      foreignKeys: [
        { columnNames: ['publication_id'], referencedTableName: 'violation_publications', referencedColumnNames: ['id'] },
        { columnNames: ['employer_id'], referencedTableName: 'employers', referencedColumnNames: ['id'] },
      ],
      indices: [
        { name: 'ix_violation_entries_publication', columnNames: ['publication_id', 'position'] },
        { name: 'ix_violation_entries_employer', columnNames: ['employer_id'] },
      ],
    }));
    // A draw is evidence: the database itself refuses to change or remove one.
    for (const op of ['UPDATE', 'DELETE']) {
      const name = `trg_random_draws_no_${op.toLowerCase()}`;
      await qr.query(isMysql(qr)
        ? `CREATE TRIGGER ${name} BEFORE ${op} ON random_draws FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'random draws are immutable'`
        : `CREATE TRIGGER ${name} BEFORE ${op} ON random_draws BEGIN SELECT RAISE(ABORT, 'random draws are immutable'); END`);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.query('DROP TRIGGER IF EXISTS trg_random_draws_no_update');
    await qr.query('DROP TRIGGER IF EXISTS trg_random_draws_no_delete');
    await qr.dropTable('violation_publication_entries');
    await qr.dropTable('violation_publications');
    await qr.dropTable('random_draw_publications');
    await qr.dropTable('random_draw_results');
    await qr.dropTable('random_draws');
    await qr.dropTable('inspector_recusals');
    await qr.dropTable('inspection_items');
  }
}
