/**
 * An inspection case the office opens itself (主动检查) — from a patrol's findings, the written review, a
 * random draw: registered as a report against the employer on file, its acceptance deadline computed,
 * and `inspection-case` started directly (workflows/README.md), all in the caller's transaction. The
 * case id is derived from what opened it, so opening twice (a redelivered job, a repeated request)
 * finds the first case instead of registering a second one.
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../audit/audit';
import { rulesForOffice, type LegalRuleSet } from '../config/legal-rules';
import type { CalendarData } from '../deadlines/calendar';
import { loadCalendarData } from '../deadlines/calendar-store';
import { computeContractDeadline, isoChina, storeCaseDeadline } from './case-deadlines';
import { withDeadline } from './deadline-paths';
import { complaintSchema, type ClaimCategory } from './model';
import { createCase, officeCode, type ProcessStarter } from './register-complaint';
import { caseParties, findCase, recordCaseProcess, streetCodeOf, type CaseRecord } from './store';

export const INSPECTION_PROCESS_ID = 'inspection-case';

/** A stable case id (UUID-shaped) for what opens the case: `derivedCaseId('patrol-case', patrolId)`. */
export function derivedCaseId(purpose: string, ...parts: string[]): string {
  const h = crypto.createHash('sha256').update(`${purpose}:${parts.join(':')}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface OfficeCaseInput {
  /** From `derivedCaseId`. */
  id: string;
  officeId: string;
  employerId: string;
  claims: { category: ClaimCategory; description: string }[];
  summary: string;
  /** More process variables for `inspection-case` (e.g. the drawn inspectors). */
  variables?: Record<string, unknown>;
}

export interface OfficeCaseContext {
  rules: LegalRuleSet;
  actor: Actor;
  now: Date;
  /** Loaded once by a caller that opens many cases. */
  cal?: CalendarData;
}

export interface OpenedOfficeCase {
  case: CaseRecord;
  /** False when the case was already open under this id; then nothing was started. */
  opened: boolean;
  processInstanceKey: string | null;
}

export async function openOfficeCase(em: EntityManager, engine: ProcessStarter, ctx: OfficeCaseContext, input: OfficeCaseInput): Promise<OpenedOfficeCase> {
  const existing = await findCase(em, input.id);
  if (existing) return { case: existing, opened: false, processInstanceKey: null };
  const complaint = complaintSchema.parse({
    kind: 'report', channel: 'grid', receivedAt: ctx.now.getTime(), employer: { employerId: input.employerId },
    claims: input.claims.map((c) => ({ ...c, description: c.description.slice(0, 5000) })),
    summary: input.summary.slice(0, 5000),
  });
  const { case: c } = await createCase(em, { officeId: input.officeId, actor: ctx.actor, now: ctx.now, rules: ctx.rules }, complaint, input.id);
  const ruleSet = rulesForOffice(ctx.rules, await officeCode(em, c.officeId));
  const acceptance = computeContractDeadline('intake.acceptanceDecision', {
    cal: ctx.cal ?? await loadCalendarData(em), rules: ruleSet, now: ctx.now.getTime(), variables: { receivedAt: c.receivedAt, isWageArrears: c.wageArrears }, filedAt: null,
  }, {});
  await storeCaseDeadline(em, c.id, acceptance, { processInstanceKey: null, elementId: null, now: ctx.now.getTime() });
  const employer = (await caseParties(em, c.id)).find((p) => p.role === 'employer');
  const started = await engine.createInstance({
    bpmnProcessId: INSPECTION_PROCESS_ID, businessKey: c.id,
    variables: {
      caseId: c.id, caseNumber: c.caseNumber, gridCode: (await streetCodeOf(em, c.gridId)) ?? 'handler', receivedAt: isoChina(c.receivedAt),
      employer: { name: employer?.name ?? '', creditCode: employer?.creditCode ?? null, address: employer?.address ?? null },
      channel: 'grid', summary: c.summary, isWageArrears: c.wageArrears, deadlines: withDeadline({}, 'intake.acceptanceDecision', acceptance.process),
      ...input.variables,
    },
  }, em);
  await recordCaseProcess(em, c.id, started.processInstanceKey, INSPECTION_PROCESS_ID, 'main', ctx.now.getTime());
  return { case: c, opened: true, processInstanceKey: started.processInstanceKey };
}
