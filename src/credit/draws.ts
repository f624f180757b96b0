/**
 * Random inspections (双随机、一公开): legal staff or a supervisor draw a proportion of the office's
 * employers, weighted by grade, and two inspectors for each, none in conflict with it
 * (src/credit/draw-random.ts). The draw — seed, the registers' snapshot, the result and their hashes
 * — is written once (the database refuses to change it) so that anyone can recompute it; each drawn
 * employer's inspection case is opened and `inspection-case` started with its two inspectors, in the
 * same transaction. Each inspection's result is recorded as it ends; the results are then published
 * as a list document within the period `draw.publication` after the last inspection ended.
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/audit';
import { authorize } from '../auth/policy';
import type { Principal } from '../auth/principal';
import { isoChina } from '../cases/case-deadlines';
import { officeCode } from '../cases/register-complaint';
import { insertRow } from '../cases/store';
import { derivedCaseId, openOfficeCase } from '../cases/office-case';
import { rulesForOffice, type LegalRules, type LegalRuleSet } from '../config/legal-rules';
import { loadCalendarData } from '../deadlines/calendar-store';
import { chinaDate, endOfChinaDay } from '../deadlines/china-time';
import { deadlineForRule } from '../deadlines/deadline';
import { issueDocument } from '../documents/documents';
import { errors } from '../errors';
import { calendarDate } from '../http/validate';
import type { ProcessStarter } from '../cases/register-complaint';
import { checkDraw, computeDraw, DrawShortage, inputsText, newSeed, resultText, sha256, type DrawCheck, type DrawInputs, type DrawParams, type DrawResult } from './draw-random';
import { loadRegisters } from './draw-registers';

/** The draw's own lifecycle: the publication period and its timer. */
export const DRAW_PROCESS_ID = 'random-inspection';

export const createDrawSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  /** The items of the inspection items list (抽查事项清单) this draw inspects. */
  itemIds: z.array(z.string().uuid()).min(1).max(50),
  /** Percentage of the employer register; the rule `draw.proportion` when absent. */
  proportionPercent: z.number().gt(0).max(100).optional(),
});

export const DRAW_OUTCOMES = ['compliant', 'corrected', 'case-opened', 'not-found'] as const;
export type DrawOutcome = (typeof DRAW_OUTCOMES)[number];
export const DRAW_OUTCOME_LABELS: Record<DrawOutcome, string> = {
  compliant: '未发现问题', corrected: '发现问题，已责令改正', 'case-opened': '发现违法行为，已立案查处', 'not-found': '经查无此单位或已停业',
};

export const recordResultSchema = z.strictObject({
  outcome: z.enum(DRAW_OUTCOMES),
  note: z.string().trim().max(2000).optional(),
  /** The day the inspection ended; its publication period runs from the last such day. */
  endedOn: calendarDate(),
});

export const drawRefusal = {
  emptyRegister: () => errors.unprocessable('DRAW_EMPTY_REGISTER', '用人单位名录库为空，不能抽取。'),
  tooFewInspectors: (needed: number, have: number, employer?: string) => errors.unprocessable('DRAW_TOO_FEW_INSPECTORS',
    employer ? `用人单位“${employer}”排除回避和本网格人员后，可选派的监察员只有${have}名，少于每户须选派的${needed}名。`
      : `执法检查人员名录库只有${have}名监察员，少于每户须选派的${needed}名。`, { needed, available: have }),
  unknownItem: () => errors.unprocessable('DRAW_UNKNOWN_ITEM', '所选抽查事项不在本机关的抽查事项清单中或已停用。'),
  published: () => errors.conflict('DRAW_PUBLISHED', '本次抽查结果已公示，不能再更改。'),
  resultsPending: (n: number) => errors.conflict('DRAW_RESULTS_PENDING', `尚有${n}户的抽查结果未录入，不能公示。`),
};

interface DrawRow {
  id: string; office_id: string; title: string; seed: string; params_json: string; inputs_json: string; inputs_sha256: string;
  result_json: string; result_sha256: string; employer_count: number | string; inspector_count: number | string; drawn_count: number | string;
  drawn_by: string; drawn_at: number | string;
}

interface ResultRow {
  id: string; draw_id: string; position: number | string; employer_id: string; grid_id: string | null; inspector1_id: string; inspector2_id: string;
  case_id: string | null; outcome: DrawOutcome | null; outcome_note: string | null; ended_on: string | null; recorded_by: string | null; recorded_at: number | string | null;
}

/** The draw parameters the office's rules and settings give, with the proportion asked for. */
export function drawParams(rules: LegalRules, options: { excludeGridInspector: boolean; alwaysGradeC: boolean }, proportionPercent?: number): DrawParams {
  return {
    proportionPercent: proportionPercent ?? rules['draw.proportion'].value,
    perEmployer: rules['draw.inspectorsPerEmployer'].value,
    excludeGridInspector: options.excludeGridInspector,
    alwaysGradeC: options.alwaysGradeC,
    weights: { A: rules['draw.weight.A'].value, B: rules['draw.weight.B'].value, C: rules['draw.weight.C'].value, '-': rules['draw.weight.ungraded'].value },
  };
}

export interface PreparedDraw {
  seed: string;
  inputs: DrawInputs;
  inputsJson: string;
  result: DrawResult;
  resultJson: string;
  inspectors: Map<string, { username: string; displayName: string }>;
}

/** Reads the registers and draws; refuses an empty register or too few inspectors. Writes nothing. */
export async function prepareDraw(em: EntityManager, officeId: string, params: DrawParams, seed = newSeed()): Promise<PreparedDraw> {
  const { inputs, inspectors } = await loadRegisters(em, officeId, params);
  if (!inputs.employers.length) throw drawRefusal.emptyRegister();
  if (inputs.inspectors.length < params.perEmployer) throw drawRefusal.tooFewInspectors(params.perEmployer, inputs.inspectors.length);
  let result: DrawResult;
  try {
    result = computeDraw(seed, inputs);
  } catch (e) {
    if (!(e instanceof DrawShortage)) throw e;
    const name: { name: string }[] = await em.query('SELECT name FROM employers WHERE id = ?', [e.employerId]);
    throw drawRefusal.tooFewInspectors(params.perEmployer, e.eligible, name[0]?.name ?? '');
  }
  return { seed, inputs, inputsJson: inputsText(inputs), result, resultJson: resultText(result), inspectors };
}

/** Writes the draw (once, never changed) and a result row per drawn employer. */
export async function storeDraw(em: EntityManager, officeId: string, d: PreparedDraw, meta: { title: string; items: { id: string; name: string }[]; by: string; now: number }): Promise<string> {
  const id = crypto.randomUUID();
  await insertRow(em, 'random_draws', {
    id, office_id: officeId, title: meta.title, seed: d.seed, params_json: JSON.stringify({ items: meta.items }),
    inputs_json: d.inputsJson, inputs_sha256: sha256(d.inputsJson), result_json: d.resultJson, result_sha256: sha256(d.resultJson),
    employer_count: d.inputs.employers.length, inspector_count: d.inputs.inspectors.length, drawn_count: d.result.picks.length, drawn_by: meta.by, drawn_at: meta.now,
  });
  const grids = new Map(d.inputs.employers.map(([e, g]) => [e, g >= 0 ? d.inputs.grids[g] : null]));
  // Several rows a statement: a draw of thousands stays a few round trips.
  for (let start = 0; start < d.result.picks.length; start += 200) {
    const chunk = d.result.picks.slice(start, start + 200);
    const params: unknown[] = [];
    for (const [i, [employerId, inspectors]] of chunk.entries()) {
      params.push(crypto.randomUUID(), id, start + i, employerId, grids.get(employerId) ?? null, inspectors[0], inspectors[1] ?? inspectors[0]);
    }
    await em.query(
      `INSERT INTO random_draw_results (id, draw_id, position, employer_id, grid_id, inspector1_id, inspector2_id) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`, params);
  }
  return id;
}


/**
 * Opens the inspection case of every drawn employer and starts `inspection-case` directly (as a
 * patrol's case is, src/workers/patrol.open-case.ts) with its two drawn inspectors.
 */
export async function openDrawnInspections(em: EntityManager, engine: ProcessStarter, ctx: { drawId: string; officeId: string; title: string; items: string[]; rules: LegalRuleSet; actor: Actor; now: number },
  inspectors: Map<string, { username: string; displayName: string }>): Promise<void> {
  const rows: ResultRow[] = await em.query('SELECT r.* FROM random_draw_results r WHERE r.draw_id = ? ORDER BY r.position', [ctx.drawId]);
  const cal = await loadCalendarData(em);
  for (const r of rows) {
    const lead = inspectors.get(r.inspector1_id);
    const second = inspectors.get(r.inspector2_id);
    const { case: c, opened } = await openOfficeCase(em, engine, { rules: ctx.rules, actor: ctx.actor, now: new Date(ctx.now), cal }, {
      id: derivedCaseId('draw-case', ctx.drawId, r.employer_id), officeId: ctx.officeId, employerId: r.employer_id,
      claims: [{ category: 'other', description: `双随机抽查事项：${ctx.items.join('；')}` }],
      summary: `“双随机、一公开”抽查（${ctx.title}）：随机抽中本单位，随机选派监察员${lead?.displayName ?? ''}、${second?.displayName ?? ''}检查。`,
      variables: { randomDrawId: ctx.drawId, leadInspector: lead?.username ?? null, secondInspector: second?.username ?? null },
    });
    if (opened) await em.query('UPDATE random_draw_results SET case_id = ? WHERE id = ?', [c.id, r.id]);
  }
}

/** The active items the draw names, in the order given; refused if one is unknown or inactive. */
async function drawItems(em: EntityManager, officeId: string, ids: string[]): Promise<{ id: string; name: string }[]> {
  const unique = [...new Set(ids)];
  const rows: { id: string; name: string }[] = await em.query(
    `SELECT id, name FROM inspection_items WHERE office_id = ? AND active = 1 AND id IN (${unique.map(() => '?').join(', ')})`, [officeId, ...unique]);
  if (rows.length !== unique.length) throw drawRefusal.unknownItem();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return unique.map((id) => byId.get(id)!);
}

export interface DrawContext {
  engine: ProcessStarter;
  rules: LegalRuleSet;
  excludeGridInspector: boolean;
  /** Every C-graded employer is drawn (setting DRAW_ALWAYS_GRADE_C). */
  alwaysGradeC: boolean;
  now: number;
}

/** Makes a draw, stores it and opens its inspections: one transaction (the caller's). */
export async function createDraw(em: EntityManager, ctx: DrawContext, principal: Principal, actor: Actor, input: z.output<typeof createDrawSchema>): Promise<string> {
  authorize(principal, 'randomDraws.create');
  const items = await drawItems(em, principal.officeId, input.itemIds);
  const rules = rulesForOffice(ctx.rules, await officeCode(em, principal.officeId));
  const prepared = await prepareDraw(em, principal.officeId, drawParams(rules, { excludeGridInspector: ctx.excludeGridInspector, alwaysGradeC: ctx.alwaysGradeC }, input.proportionPercent));
  const id = await storeDraw(em, principal.officeId, prepared, { title: input.title, items, by: principal.username, now: ctx.now });
  await ctx.engine.createInstance({ bpmnProcessId: DRAW_PROCESS_ID, businessKey: `random-draw:${id}`, variables: { drawId: id, drawTitle: input.title, officeId: principal.officeId, deadlines: {} } }, em);
  await openDrawnInspections(em, ctx.engine, { drawId: id, officeId: principal.officeId, title: input.title, items: items.map((i) => i.name), rules: ctx.rules, actor, now: ctx.now }, prepared.inspectors);
  await recordAudit(em, actor, new Date(ctx.now), {
    action: 'random-draw.create', entityType: 'random_draw', entityId: id,
    after: { seed: prepared.seed, inputsSha256: sha256(prepared.inputsJson), resultSha256: sha256(prepared.resultJson), drawn: prepared.result.picks.length },
  });
  return id;
}

async function findDraw(em: EntityManager, principal: Principal, id: string): Promise<DrawRow> {
  const rows: DrawRow[] = await em.query('SELECT * FROM random_draws WHERE id = ?', [id]);
  if (!rows[0]) throw errors.notFound('randomDraw');
  authorize(principal, 'randomDraw.read', { officeId: rows[0].office_id });
  return rows[0];
}

export interface DrawResultView {
  id: string; position: number; employerId: string; employerName: string; creditCode: string | null; gridName: string | null;
  inspectors: { id: string; name: string }[]; caseId: string | null; caseNumber: string | null;
  outcome: DrawOutcome | null; outcomeLabel: string | null; note: string | null; endedOn: string | null;
}

export interface DrawView {
  id: string; title: string; seed: string; drawnAt: number; drawnBy: string; items: { id: string; name: string }[];
  proportionPercent: number; perEmployer: number; excludeGridInspector: boolean; weights: DrawParams['weights'];
  employerCount: number; inspectorCount: number; drawnCount: number; inputsSha256: string; resultSha256: string;
  resultsRecorded: number;
  /** The last day the results may be published: the rule `draw.publication` from the last inspection's end, once all ended. */
  publicationDue: string | null;
  /** The due day has passed and the results are not yet published. */
  publicationOverdue: boolean;
  publication: { documentId: string; number: string; publishedAt: number; publishedBy: string } | null;
  results: DrawResultView[];
}

async function drawResults(em: EntityManager, drawId: string): Promise<DrawResultView[]> {
  const rows: (ResultRow & { name: string; credit_code: string | null; grid_name: string | null; case_number: string | null; n1: string | null; n2: string | null })[] = await em.query(
    `SELECT r.*, e.name, e.credit_code, g.name AS grid_name, c.case_number, u1.display_name AS n1, u2.display_name AS n2
       FROM random_draw_results r JOIN employers e ON e.id = r.employer_id LEFT JOIN grids g ON g.id = r.grid_id LEFT JOIN cases c ON c.id = r.case_id
       LEFT JOIN users u1 ON u1.id = r.inspector1_id LEFT JOIN users u2 ON u2.id = r.inspector2_id
      WHERE r.draw_id = ? ORDER BY r.position`, [drawId]);
  return rows.map((r) => ({
    id: r.id, position: Number(r.position) + 1, employerId: r.employer_id, employerName: r.name, creditCode: r.credit_code, gridName: r.grid_name,
    inspectors: [{ id: r.inspector1_id, name: r.n1 ?? '' }, { id: r.inspector2_id, name: r.n2 ?? '' }], caseId: r.case_id, caseNumber: r.case_number,
    outcome: r.outcome, outcomeLabel: r.outcome ? DRAW_OUTCOME_LABELS[r.outcome] : null, note: r.outcome_note, endedOn: r.ended_on,
  }));
}

/** The publication deadline: `draw.publication` counted from the day the last inspection ended. */
export async function publicationDeadline(em: EntityManager, rules: LegalRules, lastEndedOn: string) {
  return deadlineForRule(await loadCalendarData(em), rules, 'draw.publication', { event: '抽查检查全部结束', at: endOfChinaDay(lastEndedOn).getTime() });
}

/** The day the last inspection ended, once every drawn employer's has. */
function lastEnded(results: { endedOn: string | null }[]): string | null {
  if (!results.length || results.some((r) => !r.endedOn)) return null;
  return results.map((r) => r.endedOn!).sort().at(-1)!;
}

async function publicationDue(em: EntityManager, rules: LegalRules, results: DrawResultView[]): Promise<string | null> {
  const last = lastEnded(results);
  return last ? (await publicationDeadline(em, rules, last)).dueDate : null;
}

export async function drawView(em: EntityManager, ruleSet: LegalRuleSet, principal: Principal, id: string, now: number): Promise<DrawView> {
  const d = await findDraw(em, principal, id);
  const inputs = JSON.parse(d.inputs_json) as DrawInputs;
  const results = await drawResults(em, d.id);
  const pub: { document_id: string; published_by: string; published_at: number | string; number: string }[] = await em.query(
    'SELECT p.document_id, p.published_by, p.published_at, doc.number FROM random_draw_publications p JOIN documents doc ON doc.id = p.document_id WHERE p.draw_id = ?', [d.id]);
  const rules = rulesForOffice(ruleSet, await officeCode(em, d.office_id));
  const due = await publicationDue(em, rules, results);
  return {
    id: d.id, title: d.title, seed: d.seed, drawnAt: Number(d.drawn_at), drawnBy: d.drawn_by, items: (JSON.parse(d.params_json) as { items: { id: string; name: string }[] }).items,
    proportionPercent: inputs.params.proportionPercent, perEmployer: inputs.params.perEmployer, excludeGridInspector: inputs.params.excludeGridInspector, weights: inputs.params.weights,
    employerCount: Number(d.employer_count), inspectorCount: Number(d.inspector_count), drawnCount: Number(d.drawn_count),
    inputsSha256: d.inputs_sha256, resultSha256: d.result_sha256, resultsRecorded: results.filter((r) => r.outcome).length,
    publicationDue: due, publicationOverdue: !pub[0] && due !== null && due < chinaDate(now),
    publication: pub[0] ? { documentId: pub[0].document_id, number: pub[0].number, publishedAt: Number(pub[0].published_at), publishedBy: pub[0].published_by } : null,
    results,
  };
}

export async function listDraws(em: EntityManager, principal: Principal): Promise<{ id: string; title: string; drawnAt: number; drawnBy: string; drawnCount: number; employerCount: number; published: boolean }[]> {
  authorize(principal, 'randomDraws.list');
  const rows: { id: string; title: string; drawn_at: number | string; drawn_by: string; drawn_count: number | string; employer_count: number | string; published: string | null }[] = await em.query(
    `SELECT d.id, d.title, d.drawn_at, d.drawn_by, d.drawn_count, d.employer_count, p.draw_id AS published
       FROM random_draws d LEFT JOIN random_draw_publications p ON p.draw_id = d.id WHERE d.office_id = ? ORDER BY d.drawn_at DESC LIMIT 200`, [principal.officeId]);
  return rows.map((r) => ({ id: r.id, title: r.title, drawnAt: Number(r.drawn_at), drawnBy: r.drawn_by, drawnCount: Number(r.drawn_count), employerCount: Number(r.employer_count), published: r.published !== null }));
}

/** Recomputes the stored draw from its seed and stored inputs and compares (anyone checking it). */
export async function reproduceDraw(em: EntityManager, principal: Principal, id: string): Promise<DrawCheck & { seed: string; inputsSha256: string; resultSha256: string; reproduced: boolean }> {
  const d = await findDraw(em, principal, id);
  const check = checkDraw({ seed: d.seed, inputsJson: d.inputs_json, inputsSha256: d.inputs_sha256, resultJson: d.result_json, resultSha256: d.result_sha256 });
  return { ...check, seed: d.seed, inputsSha256: d.inputs_sha256, resultSha256: d.result_sha256, reproduced: check.inputsIntact && check.resultIntact && check.resultMatches };
}

/** The stored evidence itself: seed, registers' snapshot and result, to recompute elsewhere. */
export async function drawEvidence(em: EntityManager, principal: Principal, id: string): Promise<{ seed: string; inputs: DrawInputs; result: DrawResult; inputsSha256: string; resultSha256: string }> {
  const d = await findDraw(em, principal, id);
  return { seed: d.seed, inputs: JSON.parse(d.inputs_json), result: JSON.parse(d.result_json), inputsSha256: d.inputs_sha256, resultSha256: d.result_sha256 };
}

async function isPublished(em: EntityManager, drawId: string): Promise<boolean> {
  return (await em.query('SELECT 1 AS x FROM random_draw_publications WHERE draw_id = ?', [drawId])).length > 0;
}

/** What the draw's lifecycle (workflows/random-inspection.bpmn) is told: the inspections ended, the results published. */
export interface DrawMessages {
  publishMessage(req: { name: string; correlationKey?: string; variables?: Record<string, unknown>; timeToLive?: number | string }, em?: EntityManager): Promise<unknown>;
}

export async function recordDrawResult(em: EntityManager, engine: DrawMessages, principal: Principal, actor: Actor, drawId: string, resultId: string, input: z.output<typeof recordResultSchema>, now: number): Promise<void> {
  const d = await findDraw(em, principal, drawId);
  const rows: ResultRow[] = await em.query('SELECT * FROM random_draw_results WHERE id = ? AND draw_id = ?', [resultId, d.id]);
  if (!rows[0]) throw errors.notFound('randomDraw');
  authorize(principal, 'randomDraw.recordResult', { officeId: d.office_id, inspectorIds: [rows[0].inspector1_id, rows[0].inspector2_id] });
  if (await isPublished(em, d.id)) throw drawRefusal.published();
  if (input.endedOn > chinaDate(now)) throw errors.validation('检查结束日期不能晚于今天', [{ path: 'body.endedOn', message: 'not after today' }]);
  if (input.endedOn < chinaDate(Number(d.drawn_at))) throw errors.validation('检查结束日期不能早于抽取日期', [{ path: 'body.endedOn', message: 'not before the draw' }]);
  await em.query('UPDATE random_draw_results SET outcome = ?, outcome_note = ?, ended_on = ?, recorded_by = ?, recorded_at = ? WHERE id = ?',
    [input.outcome, input.note ?? null, input.endedOn, principal.username, now, resultId]);
  // The last inspection to end starts the publication period; a correction afterwards does not restart it.
  const all: { ended_on: string | null }[] = await em.query('SELECT ended_on FROM random_draw_results WHERE draw_id = ?', [d.id]);
  if (rows[0].ended_on === null && all.every((r) => r.ended_on !== null)) {
    await engine.publishMessage({ name: 'random-inspections-ended', correlationKey: d.id, variables: { inspectionsEndedOn: lastEnded(all.map((r) => ({ endedOn: r.ended_on })))! }, timeToLive: 'P30D' }, em);
  }
  await recordAudit(em, actor, new Date(now), { action: 'random-draw.result', entityType: 'random_draw', entityId: d.id, before: { outcome: rows[0].outcome }, after: { resultId, outcome: input.outcome, endedOn: input.endedOn } });
}

/** Publishes the results as the list document (抽查结果公示); every result must be in. */
export async function publishDraw(em: EntityManager, engine: DrawMessages, ruleSet: LegalRuleSet, principal: Principal, actor: Actor, drawId: string, now: number): Promise<string> {
  const d = await findDraw(em, principal, drawId);
  authorize(principal, 'randomDraw.publish', { officeId: d.office_id });
  if (await isPublished(em, d.id)) throw drawRefusal.published();
  const results = await drawResults(em, d.id);
  const pending = results.filter((r) => !r.outcome).length;
  if (pending) throw drawRefusal.resultsPending(pending);
  const view = await drawView(em, ruleSet, principal, d.id, now);
  const doc = await issueDocument(em, {
    officeId: d.office_id, caseId: null, typeId: 'random-inspection-results', issuedBy: principal.username, issuedAt: now, idempotencyKey: `random-draw:${d.id}`,
    data: {
      drawTitle: d.title, drawnDate: chinaDate(Number(d.drawn_at)), items: view.items.map((i) => i.name).join('；'), drawnCount: results.length, registerSize: Number(d.employer_count),
      seed: d.seed, inputsSha256: d.inputs_sha256, resultSha256: d.result_sha256,
      rows: results.map((r) => ({
        name: r.employerName, ...(r.creditCode ? { creditCode: r.creditCode } : {}), ...(r.gridName ? { grid: r.gridName } : {}),
        inspectors: r.inspectors.map((i) => i.name).join('、'), outcome: r.outcomeLabel!, ...(r.note ? { note: r.note } : {}), endedDate: r.endedOn!,
      })),
    },
  });
  await engine.publishMessage({ name: 'random-draw-published', correlationKey: d.id, variables: { publishedAt: isoChina(now), publicationDocumentId: doc.id }, timeToLive: 'P30D' }, em);
  await insertRow(em, 'random_draw_publications', { draw_id: d.id, document_id: doc.id, published_by: principal.username, published_at: now, due_date: view.publicationDue });
  await recordAudit(em, actor, new Date(now), { action: 'random-draw.publish', entityType: 'random_draw', entityId: d.id, after: { documentId: doc.id, number: doc.number, due: view.publicationDue } });
  return doc.id;
}
