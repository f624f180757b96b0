/**
 * Reading and writing case rows with the caller's entity manager (plain SQL over the tables of
 * migrations/1700000006000-Cases.ts, portable between SQLite and MySQL). Commands build on these.
 */
import type { EntityManager } from 'typeorm';
import type { CaseSummary, Party } from '../contracts/api';
import { errors } from '../errors';
import { ClaimCategory, toYuan } from './model';

/**
 * A case row. What the case list sends is declared with the browser in src/contracts (CaseSummary); the
 * record adds what only the server uses.
 */
export interface CaseRecord extends CaseSummary {
  officeId: string;
  year: number;
  limitationInterruptedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A complainant or the employer, as the case page shows it (masked there; see personal-data.ts). */
export type PartyRecord = Party;

export interface WorkerRecord {
  name: string;
  idType: string | null;
  idNumber: string | null;
  phone: string | null;
  amountOwed: number | null;
  monthsOwed: number | null;
}

export interface ClaimRecord {
  category: ClaimCategory;
  description: string;
  amount: number | null;
  periodFrom: string | null;
  periodTo: string | null;
}

type Row = Record<string, unknown>;
const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const s = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function toCase(r: Row): CaseRecord {
  return {
    id: String(r.id), officeId: String(r.office_id), gridId: s(r.grid_id), employerId: s(r.employer_id),
    caseNumber: String(r.case_number), year: Number(r.year), kind: r.kind as CaseRecord['kind'], channel: String(r.channel),
    receivedAt: Number(r.received_at), suggestedRoute: s(r.suggested_route), route: s(r.route), status: String(r.status),
    outcome: s(r.outcome), preservationStatus: s(r.preservation_status), supervised: Number(r.supervised) === 1,
    duplicate: Number(r.duplicate_flag) === 1, linkedCaseId: s(r.linked_case_id), limitationInterruptedAt: n(r.limitation_interrupted_at),
    violationEndedOn: s(r.violation_ended_on), summary: String(r.summary), totalOwed: toYuan(n(r.total_owed)),
    workersCount: Number(r.workers_count), wageArrears: Number(r.wage_arrears) === 1, filedAt: n(r.filed_at), closedAt: n(r.closed_at),
    createdBy: String(r.created_by), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  };
}

const forUpdate = (em: EntityManager) => (em.connection.options.type === 'mysql' ? ' FOR UPDATE' : '');

export async function findCase(em: EntityManager, id: string, opts: { lock?: boolean } = {}): Promise<CaseRecord | null> {
  const rows: Row[] = await em.query(`SELECT * FROM cases WHERE id = ?${opts.lock ? forUpdate(em) : ''}`, [id]);
  return rows[0] ? toCase(rows[0]) : null;
}

/** The case, or a NOT_FOUND error (a worker fails and retries; a route answers 404). */
export async function mustFindCase(em: EntityManager, id: string, opts: { lock?: boolean } = {}): Promise<CaseRecord> {
  const c = await findCase(em, id, opts);
  if (!c) throw errors.notFound('case', id);
  return c;
}

export async function caseParties(em: EntityManager, caseId: string): Promise<PartyRecord[]> {
  const rows: Row[] = await em.query('SELECT * FROM case_parties WHERE case_id = ? ORDER BY role, position', [caseId]);
  return rows.map((r) => ({
    role: r.role as PartyRecord['role'], name: String(r.name), idType: s(r.id_type), idNumber: s(r.id_number), phone: s(r.phone),
    email: s(r.email), address: s(r.address), creditCode: s(r.credit_code), legalRepresentative: s(r.legal_representative),
  }));
}

export async function caseWorkers(em: EntityManager, caseId: string): Promise<WorkerRecord[]> {
  const rows: Row[] = await em.query('SELECT * FROM case_workers WHERE case_id = ? ORDER BY position', [caseId]);
  return rows.map((r) => ({
    name: String(r.name), idType: s(r.id_type), idNumber: s(r.id_number), phone: s(r.phone), amountOwed: toYuan(n(r.amount_owed)), monthsOwed: n(r.months_owed),
  }));
}

export async function caseClaims(em: EntityManager, caseId: string): Promise<ClaimRecord[]> {
  const rows: Row[] = await em.query('SELECT * FROM case_claims WHERE case_id = ? ORDER BY position', [caseId]);
  return rows.map((r) => ({
    category: r.category as ClaimCategory, description: String(r.description), amount: toYuan(n(r.amount)), periodFrom: s(r.period_from), periodTo: s(r.period_to),
  }));
}

export async function insertRow(em: EntityManager, table: string, row: Record<string, unknown>): Promise<void> {
  const cols = Object.keys(row);
  await em.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, Object.values(row));
}

/** Columns of `cases` a command may change, by their model names. */
const COLUMNS: Partial<Record<keyof CaseRecord, string>> = {
  status: 'status', outcome: 'outcome', route: 'route', suggestedRoute: 'suggested_route', preservationStatus: 'preservation_status',
  supervised: 'supervised', duplicate: 'duplicate_flag', linkedCaseId: 'linked_case_id', filedAt: 'filed_at', closedAt: 'closed_at',
  gridId: 'grid_id', employerId: 'employer_id',
};

export async function updateCase(em: EntityManager, id: string, changes: Partial<CaseRecord>, now: number): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const [k, v] of Object.entries(changes)) {
    const col = COLUMNS[k as keyof CaseRecord];
    if (!col) throw new Error(`case column ${k} is not changed by commands`);
    sets.push(`${col} = ?`);
    params.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
  }
  if (!sets.length) return;
  await em.query(`UPDATE cases SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`, [...params, now, id]);
}

/** Remembers a process instance that carries the case (the intake instance, called instances). */
export async function recordCaseProcess(em: EntityManager, caseId: string, processInstanceKey: string, bpmnProcessId: string, role: 'main' | 'called', now: number): Promise<void> {
  const rows: Row[] = await em.query('SELECT 1 AS x FROM case_processes WHERE case_id = ? AND process_instance_key = ?', [caseId, processInstanceKey]);
  if (rows.length) return;
  await insertRow(em, 'case_processes', { case_id: caseId, process_instance_key: processInstanceKey, bpmn_process_id: bpmnProcessId, role, created_at: now });
}

export async function caseProcesses(em: EntityManager, caseId: string): Promise<{ processInstanceKey: string; bpmnProcessId: string; role: string; createdAt: number }[]> {
  const rows: Row[] = await em.query('SELECT * FROM case_processes WHERE case_id = ? ORDER BY created_at, process_instance_key', [caseId]);
  return rows.map((r) => ({ processInstanceKey: String(r.process_instance_key), bpmnProcessId: String(r.bpmn_process_id), role: String(r.role), createdAt: Number(r.created_at) }));
}

/** The group name of the case's level-1 grid (the street), the candidate group of its grid tasks. */
export async function streetCodeOf(em: EntityManager, gridId: string | null): Promise<string | null> {
  let id = gridId;
  for (let depth = 0; id && depth < 5; depth++) {
    const rows: Row[] = await em.query('SELECT id, parent_id, level, code FROM grids WHERE id = ?', [id]);
    const g = rows[0];
    if (!g) return null;
    if (Number(g.level) === 1 || g.parent_id === null) return String(g.code);
    id = s(g.parent_id);
  }
  return null;
}
