/**
 * Document numbers (文号): per office, per year (in Asia/Shanghai), per document type, with no gaps and
 * no duplicates. The number is taken inside the transaction that issues the document, so a rolled-back
 * issue returns its number too.
 *
 * Concurrency: the sequence row is locked before it is read. On MySQL/MariaDB the row is created or
 * locked by one `INSERT … ON DUPLICATE KEY UPDATE`, which takes an exclusive lock in both cases (an
 * `INSERT IGNORE` followed by an `UPDATE` would take a shared lock first and deadlock two issuers);
 * SQLite serialises writing transactions on the whole database.
 */
import type { EntityManager } from 'typeorm';
import { errors } from '../errors';

const SHANGHAI = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date of an instant in China: { year, month, day }. */
export function shanghaiDate(ms: number): { year: number; month: number; day: number } {
  const parts = Object.fromEntries(SHANGHAI.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { year: Number(parts['year']), month: Number(parts['month']), day: Number(parts['day']) };
}

export function isMysqlManager(em: EntityManager): boolean {
  return em.connection.options.type === 'mysql';
}

/**
 * Locks the sequence row of (office, year, type), creating it when missing, without taking a number.
 * Everything that must be decided once per issue (such as an idempotency check) runs after this.
 */
export async function lockSequence(em: EntityManager, officeId: string, year: number, typeId: string): Promise<void> {
  if (isMysqlManager(em)) {
    await em.query(
      'INSERT INTO document_sequences (office_id, year, type_id, last_number) VALUES (?, ?, ?, 0) ON DUPLICATE KEY UPDATE last_number = last_number',
      [officeId, year, typeId],
    );
  } else {
    await em.query(
      'INSERT INTO document_sequences (office_id, year, type_id, last_number) VALUES (?, ?, ?, 0) ON CONFLICT (office_id, year, type_id) DO NOTHING',
      [officeId, year, typeId],
    );
  }
}

/** Takes the next number of a locked sequence (call lockSequence first, in the same transaction). */
export async function nextSequence(em: EntityManager, officeId: string, year: number, typeId: string): Promise<number> {
  await em.query('UPDATE document_sequences SET last_number = last_number + 1 WHERE office_id = ? AND year = ? AND type_id = ?', [officeId, year, typeId]);
  const rows: { last_number: number | string }[] = await em.query(
    'SELECT last_number FROM document_sequences WHERE office_id = ? AND year = ? AND type_id = ?',
    [officeId, year, typeId],
  );
  if (!rows[0]) throw new Error(`document sequence ${officeId}/${year}/${typeId} is missing; lockSequence first`);
  return Number(rows[0].last_number);
}

/** 郑人社监 + 限改 + 〔2026〕 + 0001 + 号: the office's prefix, the type's code, the year, four digits. */
export function formatNumber(prefix: string, typeCode: string, year: number, sequence: number): string {
  return `${prefix}${typeCode}〔${year}〕${String(sequence).padStart(4, '0')}号`;
}

export interface OfficeRow { id: string; name: string; docPrefix: string }

export async function loadOffice(em: EntityManager, officeId: string): Promise<OfficeRow> {
  const rows: { id: string; name: string; doc_prefix: string }[] = await em.query('SELECT id, name, doc_prefix FROM offices WHERE id = ?', [officeId]);
  const row = rows[0];
  if (!row) throw errors.notFound('office', officeId);
  return { id: row.id, name: row.name, docPrefix: row.doc_prefix };
}
