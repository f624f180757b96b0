import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { isMysql } from '../src/db/portable';
import { indexPendingEmployers } from '../src/employers/search';

/**
 * Search of employer files by part of a name or address (src/employers/search.ts): every two
 * consecutive characters of a file's name and address as a row of employer_search_grams, looked up by
 * gram; `employers.search_indexed` is 1 once a file's grams are written, so files written by code that
 * does not maintain grams are still searched. The grams are compared byte for byte on MariaDB (binary
 * collation), as the search normalises both sides the same way and a case- or width-insensitive key
 * would make two grams of one file collide. Existing files are indexed here.
 */
export class EmployerSearchGrams1700000026100 implements MigrationInterface {
  name = 'EmployerSearchGrams1700000026100';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('employers', new TableColumn({ name: 'search_indexed', type: 'int', isNullable: false, default: 0 }));
    await qr.createIndex('employers', new TableIndex({ name: 'ix_employers_office_search_indexed', columnNames: ['office_id', 'search_indexed'] }));
    await qr.createTable(new Table({
      name: 'employer_search_grams',
      columns: [
        { name: 'employer_id', type: 'varchar', length: '36', isPrimary: true },
        { name: 'gram', type: 'varchar', length: '8', isPrimary: true, ...(isMysql(qr) ? { collation: 'utf8mb4_bin' } : {}) },
      ],
      indices: [{ name: 'ix_employer_search_grams_gram', columnNames: ['gram', 'employer_id'] }],
    }));
    await indexPendingEmployers(qr.manager);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('employer_search_grams');
    await qr.dropIndex('employers', 'ix_employers_office_search_indexed');
    await qr.dropColumn('employers', 'search_indexed');
  }
}
