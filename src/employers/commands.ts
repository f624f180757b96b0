/**
 * Commands on employer files (一户一档): create, update, move between grids and place unplaced files.
 * Each checks the policy, writes the fields through `recordFields` (history and who collected what) and
 * the audit log, in the caller's transaction.
 */
import crypto from 'node:crypto';
import { EntityManager, IsNull } from 'typeorm';
import { Actor, recordAudit } from '../audit/audit';
import { allowed, authorize, decide } from '../auth/policy';
import { Principal } from '../auth/principal';
import { Employer, Grid } from '../db/entities';
import { chinaDate, startOfChinaDay } from '../deadlines/china-time';
import { errors } from '../errors';
import { listAddressRules, placeAddress } from '../org/address-rules';
import { EmployerFieldKey, FIELD_BY_KEY, FieldValue } from './fields';
import { Collector, FieldChanges, FieldSource, recordFields } from './file-record';
import type { CreateEmployerInput, UpdateEmployerInput } from './schemas';

export { createEmployerSchema, updateEmployerSchema, moveEmployerSchema, listEmployersSchema } from './schemas';

/** An employer the principal may see, or 404 (never 403: existence must not leak). */
export async function findVisibleEmployer(em: EntityManager, p: Principal, id: string): Promise<Employer> {
  const employer = await em.findOne(Employer, { where: { id } });
  if (!employer || decide(p, 'employer.read', employer) === 'hidden') throw errors.notFound('employer', id);
  return employer;
}

/** The file as the audit log keeps it: the coordinator's phone (personal data) masked. */
function audited(e: Employer): Employer {
  const phone = e.coordinatorPhone;
  return Object.assign(new Employer(), e, { coordinatorPhone: phone ? `${phone.replace(/\D/g, '').slice(0, 3)}****` : phone });
}

/** The source a person's entries are marked with. */
export function sourceOf(p: Principal): FieldSource {
  if (p.roles.includes('admin')) return 'admin';
  if (p.roles.includes('intake')) return 'intake';
  return 'grid';
}

/** The collector of what `p` enters now; `collectedOn` (a day not after today) when the data was gathered earlier. */
export function collectorOf(p: Principal, now: Date, collectedOn?: string, source: FieldSource = sourceOf(p)): Collector {
  let collectedAt = now.getTime();
  if (collectedOn) {
    if (collectedOn > chinaDate(now)) throw errors.validation('The collection date is in the future.', [{ path: 'body.collectedOn', message: 'not after today' }]);
    collectedAt = startOfChinaDay(collectedOn).getTime();
  }
  return { userId: p.userId, name: p.displayName, source, collectedAt };
}

async function checkGrid(em: EntityManager, p: Principal, gridId: string): Promise<Grid> {
  const grid = await em.findOne(Grid, { where: { id: gridId, officeId: p.officeId } });
  if (!grid || !allowed(p, 'employers.placeIn', grid)) throw errors.validation('Unknown grid.', [{ path: 'body.gridId', message: 'no such grid among yours' }]);
  return grid;
}

/** A credit code is on file once per office; the existing file's id is told only to who may see it. */
export async function checkCreditCodeFree(em: EntityManager, p: Principal, code: string | null | undefined, exceptId?: string): Promise<void> {
  if (!code) return;
  const other = await em.findOne(Employer, { where: { officeId: p.officeId, creditCode: code } });
  if (!other || other.id === exceptId) return;
  if (allowed(p, 'employer.read', other)) throw errors.conflict('EMPLOYER_EXISTS', `An employer with credit code ${code} is already on file.`, { employerId: other.id });
  throw errors.conflict('EMPLOYER_EXISTS', `An employer with credit code ${code} is already on file, in another grid; ask its grid or the intake window.`);
}

/** The responsible staff member must belong to the employer's grid or the street above it. */
async function checkResponsible(em: EntityManager, officeId: string, gridId: string | null, staffId: string | null | undefined): Promise<void> {
  if (!staffId) return;
  const ok = gridId !== null && ((await em.query(
    `SELECT s.id FROM grid_staff s WHERE s.id = ? AND s.office_id = ? AND s.active = 1
        AND (s.grid_id = ? OR s.grid_id = (SELECT g.parent_id FROM grids g WHERE g.id = ?))`, [staffId, officeId, gridId, gridId])) as unknown[]).length > 0;
  if (!ok) throw errors.validation('Unknown staff member.', [{ path: 'body.responsibleStaffId', message: "not among the staff of the employer's grid" }]);
}

/** The fields of a create or update body, without the command's own keys. */
function fieldChanges(input: Record<string, unknown>): FieldChanges {
  const out: FieldChanges = {};
  for (const [k, v] of Object.entries(input)) {
    if (k === 'collectedOn' || k === 'gridId' || v === undefined || !FIELD_BY_KEY.has(k as EmployerFieldKey)) continue;
    out[k as EmployerFieldKey] = v as FieldValue;
  }
  return out;
}

export async function createEmployer(em: EntityManager, p: Principal, actor: Actor, now: Date, input: CreateEmployerInput): Promise<Employer> {
  authorize(p, 'employers.create');
  let gridId: string | null = null;
  let placedBy: string | null = null;
  if (input.gridId) {
    gridId = (await checkGrid(em, p, input.gridId)).id;
    placedBy = 'manual';
  } else {
    const placed = placeAddress(await listAddressRules(em, p.officeId), input.address);
    if (placed.gridId && allowed(p, 'employers.placeIn', { officeId: p.officeId, id: placed.gridId })) {
      gridId = placed.gridId;
      placedBy = 'rule';
    } else if (!allowed(p, 'employers.place')) {
      // Someone who keeps only their grids' files names the grid: an unplaced file would be out of their sight.
      throw errors.validation('Choose the grid.', [{ path: 'body.gridId', message: 'no address rule places this address in your grids' }]);
    }
  }
  await checkCreditCodeFree(em, p, input.creditCode);
  await checkResponsible(em, p.officeId, gridId, input.responsibleStaffId);
  const t = now.getTime();
  const blank: Employer = Object.assign(new Employer(), {
    id: crypto.randomUUID(), officeId: p.officeId, gridId: null, name: input.name, creditCode: null, address: input.address,
    legalRepresentative: null, phone: null, industry: null, ownership: null, scale: null, headcount: null, migrantWorkers: null,
    contractsSigned: null, wagePayDay: null, wagePayMethod: null, wageArrearsFen: null, wageArrearsWorkers: null, workingHoursSystem: null,
    socialInsuranceParticipants: null, hasUnion: null, coordinatorName: null, coordinatorPhone: null, constructionProject: null,
    mainContractor: null, wageAccount: null, responsibleStaffId: null, fileComplete: 0, fileCollectedAt: null, placedBy, createdAt: t, updatedAt: t,
  });
  await em.insert(Employer, blank);
  // Name and address as blanks first, so the history shows them entered like every other field.
  const started = Object.assign(new Employer(), blank, { name: '', address: '' });
  const employer = await recordFields(em, started, { ...fieldChanges(input), name: input.name, address: input.address, gridId }, collectorOf(p, now, input.collectedOn), t);
  await recordAudit(em, actor, now, { action: 'employer.create', entityType: 'employer', entityId: employer.id, after: audited(employer) });
  return employer;
}

export async function updateEmployer(em: EntityManager, p: Principal, actor: Actor, now: Date, id: string, input: UpdateEmployerInput): Promise<Employer> {
  const before = await findVisibleEmployer(em, p, id);
  authorize(p, 'employer.update', before);
  let current = before;
  if (input.gridId && input.gridId !== before.gridId) current = await moveEmployer(em, p, actor, now, id, { gridId: input.gridId });
  if (input.creditCode !== undefined) await checkCreditCodeFree(em, p, input.creditCode, id);
  if (input.responsibleStaffId !== undefined) await checkResponsible(em, p.officeId, current.gridId, input.responsibleStaffId);
  const after = await recordFields(em, current, fieldChanges(input), collectorOf(p, now, input.collectedOn), now.getTime());
  await recordAudit(em, actor, now, { action: 'employer.update', entityType: 'employer', entityId: id, before: audited(before), after: audited(after) });
  return after;
}

/**
 * Moves a file to another grid (or places an unplaced one). The history stays with the file; the
 * responsible staff member of the old grid is released.
 */
export async function moveEmployer(em: EntityManager, p: Principal, actor: Actor, now: Date, id: string, input: { gridId: string; reason?: string }): Promise<Employer> {
  const before = await findVisibleEmployer(em, p, id);
  if (before.gridId === null) authorize(p, 'employers.place');
  else authorize(p, 'employer.move', before);
  const grid = await checkGrid(em, p, input.gridId);
  if (grid.id === before.gridId) return before;
  const changes: FieldChanges = { gridId: grid.id };
  if (before.responsibleStaffId) changes.responsibleStaffId = null;
  const after = await recordFields(em, before, changes, collectorOf(p, now), now.getTime());
  await em.update(Employer, { id }, { placedBy: 'manual' });
  after.placedBy = 'manual';
  await recordAudit(em, actor, now, { action: 'employer.move', entityType: 'employer', entityId: id, before: { gridId: before.gridId }, after: { gridId: grid.id, reason: input.reason ?? null } });
  return after;
}

/**
 * Runs the address rules over the office's unplaced files and places those one rule decides; returns
 * how many were placed and how many still wait for a person.
 */
export async function placeUnplaced(em: EntityManager, p: Principal, actor: Actor, now: Date): Promise<{ placed: number; remaining: number }> {
  authorize(p, 'employers.place');
  const rules = await listAddressRules(em, p.officeId);
  const unplaced = await em.find(Employer, { where: { officeId: p.officeId, gridId: IsNull() } });
  let placed = 0;
  for (const e of unplaced) {
    const where = placeAddress(rules, e.address);
    if (!where.gridId) continue;
    await recordFields(em, e, { gridId: where.gridId }, { userId: p.userId, name: p.displayName, source: 'rule', collectedAt: now.getTime() }, now.getTime());
    await em.update(Employer, { id: e.id }, { placedBy: 'rule' });
    placed++;
  }
  await recordAudit(em, actor, now, { action: 'employer.place-by-rules', entityType: 'office', entityId: p.officeId, after: { placed, remaining: unplaced.length - placed } });
  return { placed, remaining: unplaced.length - placed };
}
