/**
 * Drafts of decision tables (DMN), as drafts of diagrams (drafts.ts): every save is a new version of the
 * decision resource's draft, audited by the route; a save names the draft version it was edited from,
 * and one saved meanwhile by someone else is a conflict (409) instead of being overwritten. A draft may
 * hold errors (its problems are answered with it); deploying it may not.
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { errors } from '../errors';
import { compileDmn } from '../engine/dmn';
import type { DmnProblem } from '../engine/dmn/types';

export interface DecisionDraftSummary {
  drgId: string;
  version: number;
  basedOnVersion: number | null;
  checksum: string;
  savedBy: string;
  savedAt: number;
}

export interface DecisionDraft extends DecisionDraftSummary {
  xml: string;
}

interface Row { drg_id: string; version: number | string; xml?: string; checksum: string; based_on_version: number | string | null; saved_by: string; saved_at: number | string }

const COLUMNS = 'drg_id, version, checksum, based_on_version, saved_by, saved_at';

const toSummary = (r: Row): DecisionDraftSummary => ({
  drgId: r.drg_id, version: Number(r.version), basedOnVersion: r.based_on_version === null ? null : Number(r.based_on_version),
  checksum: r.checksum, savedBy: r.saved_by, savedAt: Number(r.saved_at),
});

export async function getDecisionDraft(em: EntityManager, drgId: string, version?: number): Promise<DecisionDraft | undefined> {
  const rows = (version === undefined
    ? await em.query(`SELECT ${COLUMNS}, xml FROM decision_drafts WHERE drg_id = ? ORDER BY version DESC LIMIT 1`, [drgId])
    : await em.query(`SELECT ${COLUMNS}, xml FROM decision_drafts WHERE drg_id = ? AND version = ?`, [drgId, version])) as Row[];
  return rows[0] ? { ...toSummary(rows[0]), xml: rows[0].xml! } : undefined;
}

export async function listDecisionDraftVersions(em: EntityManager, drgId: string): Promise<DecisionDraftSummary[]> {
  return ((await em.query(`SELECT ${COLUMNS} FROM decision_drafts WHERE drg_id = ? ORDER BY version DESC`, [drgId])) as Row[]).map(toSummary);
}

export interface SaveDecisionDraftInput {
  drgId: string;
  xml: string;
  basedOnVersion: number | null;
  expectedVersion: number | null | undefined;
  savedBy: string;
  savedAt: number;
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
  const latest = (await em.query('SELECT MAX(version) AS v FROM decision_drafts WHERE drg_id = ?', [input.drgId])) as { v: number | string | null }[];
  const latestVersion = latest[0]?.v === null || latest[0]?.v === undefined ? null : Number(latest[0].v);
  if (input.expectedVersion !== undefined && input.expectedVersion !== latestVersion) {
    throw errors.conflict('DRAFT_CHANGED', `Draft version ${latestVersion} was saved meanwhile; reload it before saving.`, { latestVersion });
  }
  const summary: DecisionDraftSummary = {
    drgId: input.drgId, version: (latestVersion ?? 0) + 1, basedOnVersion: input.basedOnVersion,
    checksum: crypto.createHash('sha256').update(input.xml).digest('hex'), savedBy: input.savedBy, savedAt: input.savedAt,
  };
  await em.query(
    'INSERT INTO decision_drafts (id, drg_id, version, xml, checksum, based_on_version, saved_by, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [crypto.randomUUID(), summary.drgId, summary.version, input.xml, summary.checksum, summary.basedOnVersion, summary.savedBy, summary.savedAt],
  );
  return { ...summary, problems, deployable: Boolean(drg) && !problems.some((p) => p.severity === 'error') };
}
