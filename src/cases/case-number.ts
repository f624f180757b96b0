/**
 * Case numbers (案件编号): per office and per year (Asia/Shanghai), no gaps and no duplicates. The
 * number is taken in the transaction that registers the case, so a rolled-back registration gives its
 * number back. The sequence row is locked before it is read: on MySQL/MariaDB by one
 * `INSERT … ON DUPLICATE KEY UPDATE` (an exclusive lock whether the row is new or not); SQLite
 * serialises writing transactions on the whole database.
 */
import type { EntityManager } from 'typeorm';
import { isMysqlManager, loadOffice, shanghaiDate } from '../documents/numbering';

export async function nextCaseNumber(em: EntityManager, officeId: string, at: number): Promise<{ caseNumber: string; year: number; sequence: number }> {
  const office = await loadOffice(em, officeId);
  const { year } = shanghaiDate(at);
  if (isMysqlManager(em)) {
    await em.query('INSERT INTO case_sequences (office_id, year, last_number) VALUES (?, ?, 1) ON DUPLICATE KEY UPDATE last_number = last_number + 1', [officeId, year]);
  } else {
    await em.query('INSERT INTO case_sequences (office_id, year, last_number) VALUES (?, ?, 1) ON CONFLICT (office_id, year) DO UPDATE SET last_number = last_number + 1', [officeId, year]);
  }
  const rows: { last_number: number | string }[] = await em.query('SELECT last_number FROM case_sequences WHERE office_id = ? AND year = ?', [officeId, year]);
  const sequence = Number(rows[0].last_number);
  return { caseNumber: formatCaseNumber(office.docPrefix, year, sequence), year, sequence };
}

/** 郑人社监 + 案 + 〔2026〕 + 第0001号. */
export function formatCaseNumber(prefix: string, year: number, sequence: number): string {
  return `${prefix}案〔${year}〕第${String(sequence).padStart(4, '0')}号`;
}
