import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { longText } from '../src/db/portable';

/**
 * A/B/C grades (企业劳动保障守法诚信等级评价办法, 2016): one row per employer and year, the grade
 * proposed from the previous year's record with the records that justify it, and the final grade
 * once legal staff have reviewed it. Kept for every year: the history of an employer's grades.
 */
export class CreditGrades1700000025100 implements MigrationInterface {
  name = 'CreditGrades1700000025100';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'credit_grades',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'office_id', type: 'varchar', length: '36' }, { name: 'employer_id', type: 'varchar', length: '36' },
        { name: 'grid_id', type: 'varchar', length: '36', isNullable: true }, { name: 'year', type: 'int' },
        { name: 'proposed_grade', type: 'varchar', length: '1' }, { name: 'final_grade', type: 'varchar', length: '1', isNullable: true },
        { name: 'reasons_json', type: longText(qr) }, { name: 'state', type: 'varchar', length: '16' },
        { name: 'decided_by', type: 'varchar', length: '64', isNullable: true }, { name: 'decided_at', type: 'bigint', isNullable: true },
        { name: 'created_at', type: 'bigint' },
      ],
      uniques: [{ name: 'uq_credit_grades_employer_year', columnNames: ['employer_id', 'year'] }],
      foreignKeys: [{ columnNames: ['employer_id'], referencedTableName: 'employers', referencedColumnNames: ['id'] }],
      indices: [{ name: 'ix_credit_grades_office_year', columnNames: ['office_id', 'year', 'proposed_grade'] }],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('credit_grades');
  }
}
