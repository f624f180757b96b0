import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { longText } from '../src/db/portable';

const id = (name = 'id') => ({ name, type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string, nullable = false) => ({ name, type: 'varchar', length: '36', isNullable: nullable });
const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const int = (name: string, nullable = false) => ({ name, type: 'int', isNullable: nullable });

/**
 * The annual written review (书面审查, 劳动保障监察条例 第14条): one row per review year of an office
 * with its scope, and one row per employer in scope, carrying its lifecycle (workflows/written-review.bpmn),
 * its documents, what it submitted and how it was reviewed, verified and concluded. The employers of a
 * large scope are enrolled in batches; `enrolled` counts how far opening has come, so an interrupted
 * opening resumes where it stopped.
 */
export class WrittenReview1700000027200 implements MigrationInterface {
  name = 'WrittenReview1700000027200';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'written_reviews',
      columns: [
        id(), ref('office_id'), int('year'), str('title', 200), { name: 'scope_json', type: longText(qr) }, str('state', 16),
        int('employers_total'), int('enrolled'), str('opened_by', 64), ms('opened_at'), ms('enrolled_at', true), ms('created_at'), ms('updated_at'),
      ],
      uniques: [{ name: 'uq_written_reviews_office_year', columnNames: ['office_id', 'year'] }],
    }));
    await qr.createTable(new Table({
      name: 'written_review_employers',
      columns: [
        id(), ref('review_id'), ref('office_id'), ref('employer_id'), ref('grid_id', true), str('state', 16), str('process_instance_key', 32, true),
        ref('notice_document_id', true), ref('reminder_document_id', true), ref('order_document_id', true),
        ms('submission_due_at', true), ms('reminder_due_at', true), ms('correction_due_at', true),
        ms('submitted_at', true), str('submission_source', 8, true), { name: 'submission_json', type: longText(qr), isNullable: true }, int('submitted_late', true),
        str('submitted_by', 64, true), int('flagged', true), int('sampled', true), { name: 'review_opinion', type: longText(qr), isNullable: true },
        str('reviewed_by', 64, true), ms('reviewed_at', true), { name: 'verification_note', type: longText(qr), isNullable: true },
        str('verified_by', 64, true), ms('verified_at', true), str('result', 16, true), ms('concluded_at', true), int('corrected', true),
        ref('case_id', true), ms('created_at'), ms('updated_at'),
      ],
      uniques: [{ name: 'uq_written_review_employers', columnNames: ['review_id', 'employer_id'] }],
      foreignKeys: [
        { columnNames: ['review_id'], referencedTableName: 'written_reviews', referencedColumnNames: ['id'] },
        { columnNames: ['employer_id'], referencedTableName: 'employers', referencedColumnNames: ['id'] },
      ],
      indices: [
        { name: 'ix_written_review_employers_grid', columnNames: ['review_id', 'grid_id', 'state'] },
        { name: 'ix_written_review_employers_employer', columnNames: ['employer_id', 'review_id'] },
      ],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('written_review_employers');
    await qr.dropTable('written_reviews');
  }
}
