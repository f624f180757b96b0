/**
 * The employer list as an xlsx sheet, one row per file the user may see (the list's own rule of who
 * sees what, and its filters), with Chinese headers and labels; written by xlsx-stream.ts, which
 * neutralises formula-looking cells.
 */
import { EntityManager } from 'typeorm';
import { Principal } from '../auth/principal';
import { FIELDS } from './fields';
import { allListedEmployers } from './queries';
import type { ListEmployersInput } from './schemas';
import { XlsxSheet } from './xlsx-stream';

export { neutralise } from './xlsx-stream';

/** A field's value as the export writes it: labels for choices, 是/否, yuan for amounts. */
function cellText(f: (typeof FIELDS)[number], v: unknown): string {
  if (v === null || v === undefined) return '';
  if (f.kind === 'bool') return v ? '是' : '否';
  if (f.kind === 'enum') return f.options?.[String(v)] ?? String(v);
  if (f.kind === 'fen') return (Number(v) / 100).toFixed(2);
  return String(v);
}

const EXPORTED = FIELDS.filter((f) => f.key !== 'gridId' && f.key !== 'responsibleStaffId');

export function employersSheet(em: EntityManager, p: Principal, q: Omit<ListEmployersInput, 'cursor' | 'limit'>): XlsxSheet {
  async function* rows(): AsyncGenerator<string[]> {
    for await (const e of allListedEmployers(em, p, q)) yield [e.gridName ?? '未划入网格', ...EXPORTED.map((f) => cellText(f, e[f.key])), e.fileComplete ? '是' : '否'];
  }
  return { name: '用人单位名册', headers: ['所属网格', ...EXPORTED.map((f) => f.label), '档案完整'], rows: rows() };
}
