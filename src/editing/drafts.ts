/**
 * Drafts of what legal staff edit before deploying it: workflow diagrams (BPMN) and decision tables
 * (DMN). Every save is a new draft version of the resource, never an overwrite, so the history can be
 * compared and audited (by the route). A save names the draft version it was edited from; when someone
 * else saved in between, the save is refused (409) instead of silently replacing their work. A draft
 * may hold errors (its problems are answered with it); deploying it may not.
 *
 * Both kinds keep their own table (workflow_drafts by process id, decision_drafts by decision resource
 * id) of the same shape; this one module reads and writes either, by kind.
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { errors } from '../errors';
import { compileDmn } from '../engine/dmn';
import type { DmnProblem } from '../engine/dmn/types';
import { checkBpmn } from '../engine/model/check';
import { many, parseBpmn } from '../engine/model/parse';
import type { DiagramProblem } from '../engine/model/types';

export type DraftKind = 'diagram' | 'decision';

/** Where each kind's drafts are stored, and the column of the resource id they are saved under. */
const TABLES = {
  diagram: { table: 'workflow_drafts', idColumn: 'bpmn_process_id' },
  decision: { table: 'decision_drafts', idColumn: 'drg_id' },
} as const satisfies Record<DraftKind, { table: string; idColumn: string }>;

/** A draft version of any kind, under the id of its resource. */
interface StoredDraft {
  id: string;
  version: number;
  /** The deployed version the draft was started from; null for a resource never deployed. */
  basedOnVersion: number | null;
  checksum: string;
  savedBy: string;
  savedAt: number;
}

interface DraftRow {
  resource_id: string;
  version: number | string;
  xml?: string;
  checksum: string;
  based_on_version: number | string | null;
  saved_by: string;
  saved_at: number | string;
}

const summaryColumns = (kind: DraftKind) => `${TABLES[kind].idColumn} AS resource_id, version, checksum, based_on_version, saved_by, saved_at`;

function toStored(r: DraftRow): StoredDraft {
  return {
    id: r.resource_id,
    version: Number(r.version),
    basedOnVersion: r.based_on_version === null ? null : Number(r.based_on_version),
    checksum: r.checksum,
    savedBy: r.saved_by,
    savedAt: Number(r.saved_at),
  };
}

/** The given draft version, or the latest draft of the resource. */
async function readDraft(em: EntityManager, kind: DraftKind, id: string, version?: number): Promise<(StoredDraft & { xml: string }) | undefined> {
  const { table, idColumn } = TABLES[kind];
  const rows = (version === undefined
    ? await em.query(`SELECT ${summaryColumns(kind)}, xml FROM ${table} WHERE ${idColumn} = ? ORDER BY version DESC LIMIT 1`, [id])
    : await em.query(`SELECT ${summaryColumns(kind)}, xml FROM ${table} WHERE ${idColumn} = ? AND version = ?`, [id, version])) as DraftRow[];
  const r = rows[0];
  return r ? { ...toStored(r), xml: r.xml! } : undefined;
}

/** Every draft version of a resource, newest first, without their XML. */
async function readDraftVersions(em: EntityManager, kind: DraftKind, id: string): Promise<StoredDraft[]> {
  const { table, idColumn } = TABLES[kind];
  const rows = (await em.query(`SELECT ${summaryColumns(kind)} FROM ${table} WHERE ${idColumn} = ? ORDER BY version DESC`, [id])) as DraftRow[];
  return rows.map(toStored);
}

interface DraftWrite {
  xml: string;
  basedOnVersion: number | null;
  /** The latest draft version the editor had loaded (null: none); another one in between is a conflict. */
  expectedVersion: number | null | undefined;
  savedBy: string;
  savedAt: number;
}

/** Stores the next draft version in the caller's transaction, refusing a save over one made meanwhile. */
async function writeDraft(em: EntityManager, kind: DraftKind, id: string, input: DraftWrite): Promise<StoredDraft> {
  const { table, idColumn } = TABLES[kind];
  const latest = (await em.query(`SELECT MAX(version) AS v FROM ${table} WHERE ${idColumn} = ?`, [id])) as { v: number | string | null }[];
  const latestVersion = latest[0]?.v === null || latest[0]?.v === undefined ? null : Number(latest[0].v);
  if (input.expectedVersion !== undefined && input.expectedVersion !== latestVersion) {
    throw errors.conflict('DRAFT_CHANGED', `Draft version ${latestVersion} was saved meanwhile; reload it before saving.`, { latestVersion });
  }
  const stored: StoredDraft = {
    id,
    version: (latestVersion ?? 0) + 1,
    basedOnVersion: input.basedOnVersion,
    checksum: crypto.createHash('sha256').update(input.xml).digest('hex'),
    savedBy: input.savedBy,
    savedAt: input.savedAt,
  };
  // A concurrent save of the same version fails on the unique index and rolls the transaction back.
  await em.query(
    `INSERT INTO ${table} (id, ${idColumn}, version, xml, checksum, based_on_version, saved_by, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [crypto.randomUUID(), id, stored.version, input.xml, stored.checksum, stored.basedOnVersion, stored.savedBy, stored.savedAt],
  );
  return stored;
}

/** A draft as the routes answer it: the resource id under its kind's name (bpmnProcessId, drgId). */
type DraftUnder<Name extends string> = Record<Name, string> & Omit<StoredDraft, 'id'>;

function renamedId<Name extends string>(name: Name) {
  return <T extends StoredDraft>({ id, ...rest }: T) => ({ [name]: id, ...rest }) as DraftUnder<Name> & Omit<T, 'id'>;
}

// ---------------------------------------------------------------------------------------------
// Diagrams

export type DraftSummary = DraftUnder<'bpmnProcessId'>;
export type DraftRecord = DraftSummary & { xml: string };

const asDiagram = renamedId('bpmnProcessId');

/** The given draft version, or the latest draft of the process. */
export async function getDraft(em: EntityManager, bpmnProcessId: string, version?: number): Promise<DraftRecord | undefined> {
  const d = await readDraft(em, 'diagram', bpmnProcessId, version);
  return d && asDiagram(d);
}

/** Every draft version of a process, newest first, without their XML. */
export async function listDraftVersions(em: EntityManager, bpmnProcessId: string): Promise<DraftSummary[]> {
  return (await readDraftVersions(em, 'diagram', bpmnProcessId)).map(asDiagram);
}

export interface SaveDraftInput extends DraftWrite {
  bpmnProcessId: string;
}

export interface SavedDraft extends DraftSummary {
  /** The lint and subset problems of the saved XML: a draft may hold errors, a deployment may not. */
  problems: DiagramProblem[];
  deployable: boolean;
}

/**
 * Stores a new draft version in the caller's transaction. The XML must be readable BPMN that defines
 * the process it is saved under; anything else it may still get wrong, since it is a draft.
 */
export async function saveDraft(em: EntityManager, input: SaveDraftInput): Promise<SavedDraft> {
  const parsed = await parseBpmn(input.xml);
  if (!parsed.definitions) {
    throw errors.badRequest('INVALID_DIAGRAM', 'The draft is not readable BPMN XML.', parsed.problems.map((p) => ({ ...p, path: p.elementId ?? '' })));
  }
  const processIds = many(parsed.definitions, 'rootElements').filter((e) => e.$instanceOf('bpmn:Process')).map((e) => e.id);
  if (!processIds.includes(input.bpmnProcessId)) {
    throw errors.badRequest('PROCESS_ID_MISMATCH', `The diagram does not define the process '${input.bpmnProcessId}' it is saved under.`, { processIds });
  }
  const check = await checkBpmn(input.xml);
  const stored = await writeDraft(em, 'diagram', input.bpmnProcessId, input);
  return { ...asDiagram(stored), problems: check.problems, deployable: check.deployable };
}

// ---------------------------------------------------------------------------------------------
// Decision tables

export type DecisionDraftSummary = DraftUnder<'drgId'>;
export type DecisionDraft = DecisionDraftSummary & { xml: string };

const asDecision = renamedId('drgId');

export async function getDecisionDraft(em: EntityManager, drgId: string, version?: number): Promise<DecisionDraft | undefined> {
  const d = await readDraft(em, 'decision', drgId, version);
  return d && asDecision(d);
}

export async function listDecisionDraftVersions(em: EntityManager, drgId: string): Promise<DecisionDraftSummary[]> {
  return (await readDraftVersions(em, 'decision', drgId)).map(asDecision);
}

export interface SaveDecisionDraftInput extends DraftWrite {
  drgId: string;
}

/** Stores a new draft version in the caller's transaction; the XML must be readable DMN of the resource it is saved under. */
export async function saveDecisionDraft(em: EntityManager, input: SaveDecisionDraftInput): Promise<DecisionDraftSummary & { problems: DmnProblem[]; deployable: boolean }> {
  const { drg, problems } = await compileDmn(input.xml);
  if (problems.some((p) => p.rule === 'xml')) {
    throw errors.badRequest('INVALID_DECISION', 'The draft is not readable DMN XML.', problems.map((p) => ({ ...p, path: p.elementId ?? '' })));
  }
  if (drg && drg.id !== input.drgId) {
    throw errors.badRequest('DECISION_ID_MISMATCH', `The decision resource is '${drg.id}', not '${input.drgId}' it is saved under.`, { drgId: drg.id });
  }
  const stored = await writeDraft(em, 'decision', input.drgId, input);
  return { ...asDecision(stored), problems, deployable: Boolean(drg) && !problems.some((p) => p.severity === 'error') };
}
