import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { isMysql } from '../src/db/portable';

const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });

/**
 * Holiday schedules entered by an admin. A row in calendar_years declares the year's official
 * schedule published (it replaces the chinese-days package's schedule for that year, even with no
 * days listed); calendar_overrides holds its days off and adjusted working days.
 */
export class Calendar1700000003000 implements MigrationInterface {
  name = 'Calendar1700000003000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'calendar_years',
      columns: [
        { name: 'year', type: 'int', isPrimary: true },
        // The notice transcribed, e.g. 国务院办公厅关于2027年部分节假日安排的通知.
        str('source', 300),
        ms('published_at', true),
        str('created_by', 36, true), ms('created_at'), ms('updated_at'),
      ],
    }));
    await qr.createTable(new Table({
      name: 'calendar_overrides',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        { name: 'year', type: 'int' },
        str('date', 10),
        str('kind', 16),
        str('name', 100),
        str('created_by', 36, true),
        ms('created_at'),
      ],
      uniques: [{ name: 'uq_calendar_overrides_date', columnNames: ['date'] }],
      checks: [{ name: 'ck_calendar_overrides_kind', expression: "kind IN ('holiday', 'workday')" }],
      foreignKeys: [{ columnNames: ['year'], referencedTableName: 'calendar_years', referencedColumnNames: ['year'] }],
      indices: [{ name: 'ix_calendar_overrides_year', columnNames: ['year'] }],
    }));
    // TypeORM's MySQL driver leaves table checks out; MySQL 8.0.16+ and MariaDB 10.2+ enforce them.
    if (isMysql(qr)) {
      await qr.query("ALTER TABLE calendar_overrides ADD CONSTRAINT ck_calendar_overrides_kind CHECK (kind IN ('holiday', 'workday'))");
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('calendar_overrides');
    await qr.dropTable('calendar_years');
  }
}
