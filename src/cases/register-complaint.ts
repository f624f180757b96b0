/**
 * Registering a complaint or report (登记): the employer's file (found, or made when the complaint
 * places it in a grid), the case with its number, parties, workers and claims, the link to an open
 * case of the same employer, the audit entry, and the start of `intake-and-routing` with the case id as
 * business key — all in the caller's transaction, so the case and its process commit together.
 *
 * Text is stored exactly as given: a summary that looks like markup or SQL is just text.
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Actor, recordAudit } from '../audit/audit';
import { rulesForOffice, LegalRuleSet } from '../config/legal-rules';
import { Employer, Grid } from '../db/entities';
import { errors } from '../errors';
import { nextCaseNumber } from './case-number';
import { linkDuplicates, OpenCase } from './link-duplicates';
import { Complaint, REGISTERED, toFen } from './model';
import { assessComplaint, Assessment, isWageArrears, routingTable, type RoutingTable } from './routing';
import { CaseRecord, insertRow, mustFindCase, recordCaseProcess } from './store';

export const INTAKE_PROCESS_ID = 'intake-and-routing';

/** What registration needs of the engine: starting the intake process in the same transaction. */
export interface ProcessStarter {
  createInstance(req: { bpmnProcessId: string; variables?: Record<string, unknown>; businessKey?: string | null }, em?: EntityManager): Promise<{ processInstanceKey: string; bpmnProcessId: string }>;
}

export interface RegisterContext {
  officeId: string;
  actor: Actor;
  now: Date;
  rules: LegalRuleSet;
}

export interface Registered {
  case: CaseRecord;
  assessment: Assessment;
  duplicates: OpenCase[];
}

interface ResolvedEmployer {
  file: Employer | null;
  snapshot: { name: string; creditCode: string | null; address: string | null; legalRepresentative: string | null; phone: string | null };
  gridId: string | null;
}

async function resolveEmployer(em: EntityManager, ctx: RegisterContext, input: Complaint['employer']): Promise<ResolvedEmployer> {
  const nowMs = ctx.now.getTime();
  const fromFile = (e: Employer): ResolvedEmployer => ({
    file: e, gridId: e.gridId,
    snapshot: { name: e.name, creditCode: e.creditCode, address: e.address, legalRepresentative: e.legalRepresentative, phone: e.phone },
  });
  if ('employerId' in input) {
    const e = await em.findOne(Employer, { where: { id: input.employerId, officeId: ctx.officeId } });
    if (!e) throw errors.validation('Unknown employer.', [{ path: 'body.employer.employerId', message: 'no such employer on file in this office' }]);
    return fromFile(e);
  }
  if (input.creditCode) {
    const e = await em.findOne(Employer, { where: { officeId: ctx.officeId, creditCode: input.creditCode } });
    if (e) return fromFile(e);
  }
  if (input.gridId) {
    const grid = await em.findOne(Grid, { where: { id: input.gridId, officeId: ctx.officeId } });
    if (!grid) throw errors.validation('Unknown grid.', [{ path: 'body.employer.gridId', message: 'no such grid in this office' }]);
    if (!input.address) throw errors.validation('An employer file needs its address.', [{ path: 'body.employer.address', message: 'required with gridId' }]);
    const e: Employer = Object.assign(new Employer(), {
      id: crypto.randomUUID(), officeId: ctx.officeId, gridId: grid.id, name: input.name, creditCode: input.creditCode ?? null, address: input.address,
      legalRepresentative: input.legalRepresentative ?? null, phone: input.phone ?? null, headcount: null, createdAt: nowMs, updatedAt: nowMs,
    });
    await em.insert(Employer, e);
    await recordAudit(em, ctx.actor, ctx.now, { action: 'employer.create', entityType: 'employer', entityId: e.id, after: e });
    return fromFile(e);
  }
  // Not placed in a grid: the case keeps what the complainant said; triage decides jurisdiction.
  return {
    file: null, gridId: null,
    snapshot: { name: input.name, creditCode: input.creditCode ?? null, address: input.address ?? null, legalRepresentative: input.legalRepresentative ?? null, phone: input.phone ?? null },
  };
}

function receivedAtOf(c: Complaint, now: Date): number {
  if (c.receivedAt === undefined) return now.getTime();
  const t = typeof c.receivedAt === 'number' ? c.receivedAt : Date.parse(c.receivedAt);
  if (t > now.getTime() + 60_000) throw errors.validation('The complaint cannot be received in the future.', [{ path: 'body.receivedAt', message: 'after now' }]);
  return t;
}

/** The assessment inputs a registered case gives: shared by registration and `complaint.assess`. */
export function assessCase(rules: LegalRuleSet, officeCode: string | null, c: { receivedAt: number; violationEndedOn: string | null; gridId: string | null; employerIdentified: boolean }, claims: Complaint['claims'], table: RoutingTable): Assessment {
  return assessComplaint(rulesForOffice(rules, officeCode), {
    claims, receivedAt: c.receivedAt, violationEndedOn: c.violationEndedOn, employerIdentified: c.employerIdentified, withinJurisdiction: c.gridId !== null,
  }, table);
}

/** An employer counts as identified when it is on file, or named with its credit code or address. */
export function employerIdentified(e: { name?: string | null; creditCode?: string | null; address?: string | null }, onFile: boolean): boolean {
  return onFile || Boolean(e.name && (e.creditCode || e.address));
}

export async function officeCode(em: EntityManager, officeId: string): Promise<string | null> {
  const rows: { code: string }[] = await em.query('SELECT code FROM offices WHERE id = ?', [officeId]);
  return rows[0]?.code ?? null;
}

/** Writes the case and its parts; `id` may be given so that a redelivered job finds its own case. */
export async function createCase(em: EntityManager, ctx: RegisterContext, complaint: Complaint, id: string = crypto.randomUUID()): Promise<Registered> {
  const nowMs = ctx.now.getTime();
  const receivedAt = receivedAtOf(complaint, ctx.now);
  const employer = await resolveEmployer(em, ctx, complaint.employer);
  const { caseNumber, year, sequence } = await nextCaseNumber(em, ctx.officeId, nowMs);
  const identified = employerIdentified(employer.snapshot, employer.file !== null);
  const assessment = assessCase(ctx.rules, await officeCode(em, ctx.officeId),
    { receivedAt, violationEndedOn: complaint.violationEndedOn ?? null, gridId: employer.gridId, employerIdentified: identified }, complaint.claims, await routingTable(em));
  const workerTotal = complaint.workers.reduce((sum, w) => sum + (toFen(w.amountOwed) ?? 0), 0);
  const claimTotal = complaint.claims.reduce((sum, c) => sum + (toFen(c.amount) ?? 0), 0);
  await insertRow(em, 'cases', {
    id, office_id: ctx.officeId, grid_id: employer.gridId, employer_id: employer.file?.id ?? null,
    case_number: caseNumber, year, sequence, kind: complaint.kind, channel: complaint.channel, received_at: receivedAt,
    suggested_route: assessment.suggestedRoute, route: null, status: REGISTERED, outcome: null, preservation_status: null,
    supervised: 0, duplicate_flag: 0, linked_case_id: null,
    // Only a complaint (投诉) names a worker whose arbitration period it interrupts.
    limitation_interrupted_at: complaint.kind === 'complaint' ? receivedAt : null,
    violation_ended_on: complaint.violationEndedOn ?? null, summary: complaint.summary,
    total_owed: workerTotal || claimTotal || null, workers_count: Math.max(complaint.workers.length, complaint.kind === 'complaint' ? complaint.complainants.length : 0),
    wage_arrears: isWageArrears(complaint.claims) ? 1 : 0, filed_at: null, closed_at: null,
    created_by: ctx.actor.name, created_at: nowMs, updated_at: nowMs,
  });
  let pos = 0;
  for (const p of complaint.complainants) {
    await insertRow(em, 'case_parties', {
      id: crypto.randomUUID(), case_id: id, role: 'complainant', position: pos++, name: p.name, id_type: p.idType ?? null, id_number: p.idNumber ?? null,
      phone: p.phone ?? null, email: p.email ?? null, address: p.address ?? null, credit_code: null, legal_representative: null,
    });
  }
  const e = employer.snapshot;
  await insertRow(em, 'case_parties', {
    id: crypto.randomUUID(), case_id: id, role: 'employer', position: 0, name: e.name, id_type: e.creditCode ? '统一社会信用代码' : null, id_number: e.creditCode,
    phone: e.phone, email: null, address: e.address, credit_code: e.creditCode, legal_representative: e.legalRepresentative,
  });
  for (const [i, w] of complaint.workers.entries()) {
    await insertRow(em, 'case_workers', {
      id: crypto.randomUUID(), case_id: id, position: i, name: w.name, id_type: w.idType ?? null, id_number: w.idNumber ?? null, phone: w.phone ?? null,
      amount_owed: toFen(w.amountOwed), months_owed: w.monthsOwed ?? null,
    });
  }
  for (const [i, c] of complaint.claims.entries()) {
    await insertRow(em, 'case_claims', {
      id: crypto.randomUUID(), case_id: id, position: i, category: c.category, description: c.description, amount: toFen(c.amount),
      period_from: c.periodFrom ?? null, period_to: c.periodTo ?? null,
    });
  }
  const created = await mustFindCase(em, id);
  await recordAudit(em, ctx.actor, ctx.now, {
    action: 'case.register', entityType: 'case', entityId: id, caseId: id,
    after: { caseNumber, kind: complaint.kind, channel: complaint.channel, receivedAt, employer: e, employerId: employer.file?.id ?? null,
      complainants: complaint.complainants.length, workers: complaint.workers.length, claims: complaint.claims.map((c) => c.category), suggestedRoute: assessment.suggestedRoute },
  });
  const duplicates = await linkDuplicates(em, id, ctx.actor, ctx.now);
  return { case: created, assessment, duplicates };
}

/** POST /api/complaints: the case, then its intake process in the same transaction. */
export async function registerComplaint(em: EntityManager, ctx: RegisterContext, engine: ProcessStarter, complaint: Complaint): Promise<Registered & { processInstanceKey: string }> {
  const registered = await createCase(em, ctx, complaint);
  const c = registered.case;
  const started = await engine.createInstance({
    bpmnProcessId: INTAKE_PROCESS_ID, businessKey: c.id,
    // The process carries the case id only: parties' names, ID numbers and phones stay in the case
    // tables, where the policy layer guards them, instead of being copied into every task's variables.
    variables: { caseId: c.id },
  }, em);
  await recordCaseProcess(em, c.id, started.processInstanceKey, INTAKE_PROCESS_ID, 'main', ctx.now.getTime());
  await recordAudit(em, ctx.actor, ctx.now, {
    action: 'case.process-start', entityType: 'case', entityId: c.id, caseId: c.id, after: { bpmnProcessId: INTAKE_PROCESS_ID, processInstanceKey: started.processInstanceKey },
  });
  // The first steps may already have run in this transaction (the engine drains until it waits).
  return { ...registered, case: await mustFindCase(em, c.id), processInstanceKey: started.processInstanceKey };
}
