/**
 * Drafts of workflow diagrams: what legal staff save from the editor before deploying. Every save is a
 * new draft version of the process, never an overwrite, so the history can be compared and audited.
 * A save names the draft version it was edited from; when someone else saved in between, the save is
 * refused (409) instead of silently replacing their work.
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { errors } from '../errors';
import { checkBpmn } from '../engine/model/check';
import { many, parseBpmn } from '../engine/model/parse';
import type { DiagramProblem } from '../engine/model/types';

export interface DraftSummary {
  bpmnProcessId: string;
  version: number;
  /** The deployed version the draft was started from; null for a process never deployed. */
  basedOnVersion: number | null;
  checksum: string;
  savedBy: string;
  savedAt: number;
}

export interface DraftRecord extends DraftSummary {
  xml: string;
}

interface DraftRow {
  bpmn_process_id: string;
  version: number | string;
  xml?: string;
  checksum: string;
  based_on_version: number | string | null;
  saved_by: string;
  saved_at: number | string;
}

const SUMMARY_COLUMNS = 'bpmn_process_id, version, checksum, based_on_version, saved_by, saved_at';

function toSummary(r: DraftRow): DraftSummary {
  return {
    bpmnProcessId: r.bpmn_process_id,
    version: Number(r.version),
    basedOnVersion: r.based_on_version === null ? null : Number(r.based_on_version),
    checksum: r.checksum,
    savedBy: r.saved_by,
    savedAt: Number(r.saved_at),
  };
}

/** The given draft version, or the latest draft of the process. */
export async function getDraft(em: EntityManager, bpmnProcessId: string, version?: number): Promise<DraftRecord | undefined> {
  const rows = (version === undefined
    ? await em.query(`SELECT ${SUMMARY_COLUMNS}, xml FROM workflow_drafts WHERE bpmn_process_id = ? ORDER BY version DESC LIMIT 1`, [bpmnProcessId])
    : await em.query(`SELECT ${SUMMARY_COLUMNS}, xml FROM workflow_drafts WHERE bpmn_process_id = ? AND version = ?`, [bpmnProcessId, version])) as DraftRow[];
  const r = rows[0];
  return r ? { ...toSummary(r), xml: r.xml! } : undefined;
}

/** Every draft version of a process, newest first, without their XML. */
export async function listDraftVersions(em: EntityManager, bpmnProcessId: string): Promise<DraftSummary[]> {
  const rows = (await em.query(`SELECT ${SUMMARY_COLUMNS} FROM workflow_drafts WHERE bpmn_process_id = ? ORDER BY version DESC`, [bpmnProcessId])) as DraftRow[];
  return rows.map(toSummary);
}

export interface SaveDraftInput {
  bpmnProcessId: string;
  xml: string;
  basedOnVersion: number | null;
  /** The latest draft version the editor had loaded (null: none); another one in between is a conflict. */
  expectedVersion: number | null | undefined;
  savedBy: string;
  savedAt: number;
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
  const latest = (await em.query('SELECT MAX(version) AS v FROM workflow_drafts WHERE bpmn_process_id = ?', [input.bpmnProcessId])) as { v: number | string | null }[];
  const latestVersion = latest[0]?.v === null || latest[0]?.v === undefined ? null : Number(latest[0].v);
  if (input.expectedVersion !== undefined && input.expectedVersion !== latestVersion) {
    throw errors.conflict('DRAFT_CHANGED', `Draft version ${latestVersion} was saved meanwhile; reload it before saving.`, { latestVersion });
  }
  const summary: DraftSummary = {
    bpmnProcessId: input.bpmnProcessId,
    version: (latestVersion ?? 0) + 1,
    basedOnVersion: input.basedOnVersion,
    checksum: crypto.createHash('sha256').update(input.xml).digest('hex'),
    savedBy: input.savedBy,
    savedAt: input.savedAt,
  };
  // A concurrent save of the same version fails on the unique index and rolls the transaction back.
  await em.query(
    'INSERT INTO workflow_drafts (id, bpmn_process_id, version, xml, checksum, based_on_version, saved_by, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [crypto.randomUUID(), summary.bpmnProcessId, summary.version, input.xml, summary.checksum, summary.basedOnVersion, summary.savedBy, summary.savedAt],
  );
  return { ...summary, problems: check.problems, deployable: check.deployable };
}
