/**
 * Reading employer files: the list with filters and keyset paging (visibility in SQL, like the case
 * search), one file with who collected each field and when, its change history with people and grids
 * by name, and the employer's cases with their documents and deadlines.
 */
import { EntityManager } from 'typeorm';
import { allowed, authorize, caseReadScope } from '../auth/policy';
import { Principal } from '../auth/principal';
import { listCaseDeadlines } from '../cases/case-deadlines';
import { searchCases } from '../cases/queries';
import { Employer, EmployerChange, EmployerField } from '../db/entities';
import { listCaseDocuments } from '../documents/documents';
import { errors } from '../errors';
import { findVisibleEmployer } from './commands';
import { EMPLOYER_FIELD_KEYS, EmployerFieldKey, FIELDS, FieldValue, readField } from './fields';
import { fileState } from './file-record';
import { searchCandidates } from './search';
import type { ListEmployersInput } from './schemas';

/** A phone shown in lists and to those who do not keep the file: the first 3 and last 4 digits. */
export function maskPhone(v: string | null): string | null {
  if (!v) return v;
  const digits = v.replace(/\D/g, '');
  if (digits.length < 7) return '****';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

export interface EmployerView {
  id: string;
  officeId: string;
  gridId: string | null;
  gridName: string | null;
  placedBy: string | null;
  fileComplete: boolean;
  fileCollectedAt: number | null;
  createdAt: number;
  updatedAt: number;
  [field: string]: FieldValue | boolean | undefined;
}

/** The file's fields as the API answers them; personal fields masked unless `full`. */
export function employerView(e: Employer, gridName: string | null, full: boolean): EmployerView {
  const out: EmployerView = {
    id: e.id, officeId: e.officeId, gridId: e.gridId, gridName, placedBy: e.placedBy,
    fileComplete: Number(e.fileComplete) === 1, fileCollectedAt: e.fileCollectedAt, createdAt: e.createdAt, updatedAt: e.updatedAt,
  };
  for (const f of FIELDS) {
    const v = readField(e, f.key);
    (out as Record<string, unknown>)[f.key] = f.personal && !full ? maskPhone(v as string | null) : v;
  }
  return out;
}

// '!' as the escape character: a backslash means different things in MySQL and SQLite literals.
const like = (s: string) => `%${s.replace(/[%_!]/g, (c) => '!' + c)}%`;

export function encodeCursor(name: string, id: string): string {
  return Buffer.from(JSON.stringify([name, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string' && v[1].length <= 36) return [v[0], v[1]];
  } catch {
    // falls through to the refusal
  }
  throw errors.validation('Invalid cursor.', [{ path: 'query.cursor', message: 'a cursor from nextCursor' }]);
}

/** The SQL condition of the files `p` may read (office; grids for handlers and grid officers). */
function readScope(p: Principal): { sql: string; params: unknown[] } | null {
  const scope = caseReadScope(p);
  if (!scope.gridIds) return { sql: 'e.office_id = ?', params: [p.officeId] };
  if (!scope.gridIds.length) return null;
  return { sql: `e.office_id = ? AND e.grid_id IN (${scope.gridIds.map(() => '?').join(', ')})`, params: [p.officeId, ...scope.gridIds] };
}

/**
 * The SQL condition of the list (sight, filters and the cursor) over `employers e`; null when the
 * principal sees no file or the search can match none.
 */
async function listCondition(em: EntityManager, p: Principal, q: Omit<ListEmployersInput, 'limit'>): Promise<{ where: string[]; params: unknown[]; orderBy: string } | null> {
  const where: string[] = [];
  const params: unknown[] = [];
  let orderBy = 'e.name, e.id';
  if (allowed(p, 'employers.list')) {
    const scope = readScope(p);
    if (!scope) return null;
    where.push(scope.sql);
    params.push(...scope.params);
  } else {
    const own = p.employerIds ?? [];
    if (!own.length) return null;
    where.push(`e.office_id = ? AND e.id IN (${own.map(() => '?').join(', ')})`);
    params.push(p.officeId, ...own);
  }
  if (q.q) {
    // The gram index narrows the files to a few candidates; LIKE keeps the answer exact.
    const candidates = await searchCandidates(em, p.officeId, q.q);
    if (candidates !== 'scan') {
      if (!candidates.length) return null;
      where.push(`e.id IN (${candidates.map(() => '?').join(', ')})`);
      params.push(...candidates);
      // SQLite would walk the name index for the order and test every file against the list; ordering
      // by an expression makes it read the candidates by key and sort them (MariaDB does so by itself).
      if (em.connection.options.type !== 'mysql') orderBy = "e.name || '', e.id";
    }
    where.push("(e.name LIKE ? ESCAPE '!' OR e.address LIKE ? ESCAPE '!')");
    params.push(like(q.q), like(q.q));
  }
  if (q.creditCode) { where.push('e.credit_code = ?'); params.push(q.creditCode.toUpperCase()); }
  if (q.gridId) { where.push('(e.grid_id = ? OR e.grid_id IN (SELECT c.id FROM grids c WHERE c.parent_id = ?))'); params.push(q.gridId, q.gridId); }
  if (q.unplaced === '1') where.push('e.grid_id IS NULL');
  if (q.unplaced === '0') where.push('e.grid_id IS NOT NULL');
  if (q.industry) { where.push("e.industry LIKE ? ESCAPE '!'"); params.push(like(q.industry)); }
  if (q.scale) { where.push('e.scale = ?'); params.push(q.scale); }
  if (q.complete) { where.push('e.file_complete = ?'); params.push(Number(q.complete)); }
  if (q.cursor) {
    const [name, id] = decodeCursor(q.cursor);
    // Written as a range on name first, so the (office, name, id) index bounds the scan.
    where.push('e.name >= ? AND (e.name > ? OR e.id > ?)');
    params.push(name, name, id);
  }
  return { where, params, orderBy };
}

/** Files by name, `nextCursor` continuing after the last; an enterprise coordinator lists only their employer. */
export async function listEmployers(em: EntityManager, p: Principal, q: ListEmployersInput): Promise<{ items: EmployerView[]; nextCursor: string | null }> {
  const cond = await listCondition(em, p, q);
  if (!cond) return { items: [], nextCursor: null };
  const rows: { id: string }[] = await em.query(`SELECT e.id FROM employers e WHERE ${cond.where.join(' AND ')} ORDER BY ${cond.orderBy} LIMIT ${q.limit + 1}`, cond.params);
  const page = rows.slice(0, q.limit).map((r) => String(r.id));
  const employers = page.length ? await em.createQueryBuilder(Employer, 'e').where('e.id IN (:...ids)', { ids: page }).getMany() : [];
  const byId = new Map(employers.map((e) => [e.id, e]));
  const gridNames = await gridNamesOf(em, p.officeId);
  const items = page.map((id) => byId.get(id)!).filter(Boolean).map((e) => employerView(e, e.gridId ? gridNames.get(e.gridId) ?? null : null, false));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? encodeCursor(String(last.name), last.id) : null };
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
const COLUMNS = FIELDS.map((f) => `e.${snake(f.key)}`).join(', ');

/**
 * The whole list in list order as the export reads it: raw rows a page at a time (one query per page,
 * no entity building), each as the list shows it (personal fields masked) with its grid's name.
 */
export async function* allListedEmployers(em: EntityManager, p: Principal, q: Omit<ListEmployersInput, 'cursor' | 'limit'>, pageSize = 2000): AsyncGenerator<EmployerView> {
  const gridNames = await gridNamesOf(em, p.officeId);
  let cursor: string | undefined;
  for (;;) {
    const cond = await listCondition(em, p, { ...q, cursor });
    if (!cond) return;
    const rows: Record<string, unknown>[] = await em.query(
      `SELECT e.id, e.office_id, e.placed_by, e.file_complete, e.file_collected_at, e.created_at, e.updated_at, ${COLUMNS}
         FROM employers e WHERE ${cond.where.join(' AND ')} ORDER BY ${cond.orderBy} LIMIT ${pageSize}`, cond.params);
    for (const r of rows) {
      const e = Object.assign(new Employer(), {
        id: String(r.id), officeId: String(r.office_id), placedBy: r.placed_by === null ? null : String(r.placed_by), fileComplete: Number(r.file_complete),
        fileCollectedAt: r.file_collected_at === null ? null : Number(r.file_collected_at), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
      });
      for (const f of FIELDS) {
        const v = r[snake(f.key)];
        (e as unknown as Record<string, unknown>)[f.key] = v === null || v === undefined ? null : f.kind === 'text' ? String(v) : Number(v);
      }
      yield employerView(e, e.gridId ? gridNames.get(e.gridId) ?? null : null, false);
    }
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    cursor = encodeCursor(String(last.name), String(last.id));
  }
}

async function gridNamesOf(em: EntityManager, officeId: string): Promise<Map<string, string>> {
  const rows: { id: string; name: string; parent_name: string | null }[] = await em.query(
    'SELECT g.id, g.name, p.name AS parent_name FROM grids g LEFT JOIN grids p ON p.id = g.parent_id WHERE g.office_id = ?', [officeId]);
  return new Map(rows.map((r) => [String(r.id), r.parent_name ? `${r.parent_name} · ${r.name}` : String(r.name)]));
}

/** One file as its page shows it: fields, who collected each and when, what is missing, the grid's people by name. */
export async function employerFile(em: EntityManager, p: Principal, id: string) {
  const e = await findVisibleEmployer(em, p, id);
  const keeps = allowed(p, 'employer.update', e);
  const gridNames = await gridNamesOf(em, p.officeId);
  const provenance = await em.find(EmployerField, { where: { employerId: id } });
  const state = await fileState(em, e);
  const [staff] = e.responsibleStaffId ? ((await em.query('SELECT id, name, kind FROM grid_staff WHERE id = ?', [e.responsibleStaffId])) as { id: string; name: string; kind: string }[]) : [];
  const coordinators = (await em.query(
    'SELECT u.display_name FROM user_employers ue JOIN users u ON u.id = ue.user_id WHERE ue.employer_id = ? AND u.active = 1 ORDER BY u.display_name', [id])) as { display_name: string }[];
  return {
    ...employerView(e, e.gridId ? gridNames.get(e.gridId) ?? null : null, keeps),
    collected: Object.fromEntries(provenance.map((f) => [f.field, { by: f.collectedByName, at: f.collectedAt, source: f.source }])),
    missing: state.missing,
    responsibleStaff: staff ? { id: String(staff.id), name: String(staff.name), kind: String(staff.kind) } : null,
    coordinatorUsers: coordinators.map((c) => String(c.display_name)),
    may: {
      update: keeps,
      move: allowed(p, 'employer.move', e),
      report: allowed(p, 'employer.report', e),
      history: allowed(p, 'employer.history', e),
      cases: allowed(p, 'employer.cases', e),
    },
  };
}

export interface HistoryEntry {
  id: number;
  field: EmployerFieldKey;
  oldValue: string | null;
  newValue: string | null;
  /** Grid or staff names for the fields that hold ids. */
  oldText: string | null;
  newText: string | null;
  by: string;
  at: number;
  source: string;
}

/** Every change of the file, newest first; grids and staff by name. */
export async function employerHistory(em: EntityManager, p: Principal, id: string, limit: number): Promise<HistoryEntry[]> {
  const e = await findVisibleEmployer(em, p, id);
  authorize(p, 'employer.history', e);
  const rows = await em.find(EmployerChange, { where: { employerId: id }, order: { id: 'DESC' }, take: limit });
  const gridNames = await gridNamesOf(em, p.officeId);
  const staffIds = [...new Set(rows.filter((r) => r.field === 'responsibleStaffId').flatMap((r) => [r.oldValue, r.newValue]).filter((v): v is string => !!v))];
  const staffNames = new Map<string, string>(staffIds.length
    ? ((await em.query(`SELECT id, name FROM grid_staff WHERE id IN (${staffIds.map(() => '?').join(', ')})`, staffIds)) as { id: string; name: string }[]).map((s) => [String(s.id), String(s.name)])
    : []);
  const named = (field: string, v: string | null): string | null => {
    if (v === null) return null;
    if (field === 'gridId') return gridNames.get(v) ?? '（已删除的网格）';
    if (field === 'responsibleStaffId') return staffNames.get(v) ?? '（已删除的人员）';
    return v;
  };
  return rows.filter((r) => (EMPLOYER_FIELD_KEYS as readonly string[]).includes(r.field)).map((r) => ({
    id: Number(r.id), field: r.field as EmployerFieldKey, oldValue: r.oldValue, newValue: r.newValue,
    oldText: named(r.field, r.oldValue), newText: named(r.field, r.newValue), by: r.changedByName, at: Number(r.changedAt), source: r.source,
  }));
}

/** The employer's cases the principal may see, each with its documents and deadlines, newest first. */
export async function employerCases(em: EntityManager, p: Principal, id: string, now: number) {
  const e = await findVisibleEmployer(em, p, id);
  authorize(p, 'employer.cases', e);
  const { items } = await searchCases(em, p, { employerId: id, limit: 50 });
  const out = [];
  for (const c of items) {
    const documents = (await listCaseDocuments(em, c.id)).map((d) => ({ id: d.id, typeId: d.typeId, title: d.title, number: d.number, issuedAt: d.issuedAt }));
    const deadlines = (await listCaseDeadlines(em, c.id, now)).filter((d) => d.state === 'open' || d.state === 'overdue');
    out.push({ id: c.id, caseNumber: c.caseNumber, status: c.status, route: c.route, receivedAt: c.receivedAt, closedAt: c.closedAt, documents, deadlines });
  }
  return out;
}
