/**
 * Address rules that place an employer in a grid (admin edits them): a street with an optional range
 * of house numbers (all, odd or even), or a community/village name found in the address. The most
 * specific rule wins — a community name, then a street with a number range, then a whole street; two
 * rules of the same rank naming different grids leave the employer unplaced, for a person to decide.
 */
import crypto from 'node:crypto';
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { Actor, recordAudit } from '../audit/audit';
import { authorize } from '../auth/policy';
import { Principal } from '../auth/principal';
import { Grid } from '../db/entities';
import { errors } from '../errors';

export const ADDRESS_RULE_KINDS = ['street', 'community'] as const;
export const PARITIES = ['all', 'odd', 'even'] as const;

export const addressRuleSchema = z.strictObject({
  gridId: z.string().uuid(),
  kind: z.enum(ADDRESS_RULE_KINDS),
  street: z.string().trim().min(1).max(100).optional(),
  numberFrom: z.number().int().min(1).max(100_000).optional(),
  numberTo: z.number().int().min(1).max(100_000).optional(),
  parity: z.enum(PARITIES).default('all'),
  community: z.string().trim().min(1).max(100).optional(),
}).superRefine((r, ctx) => {
  if (r.kind === 'street' && !r.street) ctx.addIssue({ code: 'custom', path: ['street'], message: 'a street rule names its street' });
  if (r.kind === 'community' && !r.community) ctx.addIssue({ code: 'custom', path: ['community'], message: 'a community rule names its community' });
  if (r.kind === 'community' && (r.street || r.numberFrom || r.numberTo)) ctx.addIssue({ code: 'custom', path: ['kind'], message: 'a community rule has no street or numbers' });
  if ((r.numberFrom === undefined) !== (r.numberTo === undefined)) ctx.addIssue({ code: 'custom', path: ['numberTo'], message: 'give both ends of the number range' });
  if (r.numberFrom !== undefined && r.numberTo !== undefined && r.numberFrom > r.numberTo) ctx.addIssue({ code: 'custom', path: ['numberTo'], message: 'the range ends before it starts' });
});
export type AddressRuleInput = z.infer<typeof addressRuleSchema>;

export interface AddressRule {
  id: string;
  officeId: string;
  gridId: string;
  kind: (typeof ADDRESS_RULE_KINDS)[number];
  street: string | null;
  numberFrom: number | null;
  numberTo: number | null;
  parity: (typeof PARITIES)[number];
  community: string | null;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

function toRule(r: Record<string, unknown>): AddressRule {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: String(r.id), officeId: String(r.office_id), gridId: String(r.grid_id), kind: String(r.kind) as AddressRule['kind'],
    street: (r.street as string | null) ?? null, numberFrom: n(r.number_from), numberTo: n(r.number_to),
    parity: (String(r.parity ?? 'all') as AddressRule['parity']), community: (r.community as string | null) ?? null,
    createdBy: String(r.created_by), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  };
}

export async function listAddressRules(em: EntityManager, officeId: string): Promise<AddressRule[]> {
  const rows: Record<string, unknown>[] = await em.query('SELECT * FROM grid_address_rules WHERE office_id = ? ORDER BY kind, street, number_from, community, id', [officeId]);
  return rows.map(toRule);
}

/** How specific a matching rule is; higher wins. */
function rank(r: AddressRule): number {
  if (r.kind === 'community') return 3;
  return r.numberFrom !== null ? 2 : 1;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The house number written after the street in an address: 解放路18号, 解放路 18 号, 解放路18-2号 (18). */
export function houseNumber(address: string, street: string): number | null {
  const m = new RegExp(escapeRe(street) + '\\s*(\\d{1,6})').exec(address);
  return m ? Number(m[1]) : null;
}

export function ruleMatches(r: AddressRule, address: string): boolean {
  const a = address.replace(/\s+/g, ' ');
  if (r.kind === 'community') return !!r.community && a.includes(r.community);
  if (!r.street || !a.includes(r.street)) return false;
  if (r.numberFrom === null || r.numberTo === null) return true;
  const n = houseNumber(a, r.street);
  if (n === null || n < r.numberFrom || n > r.numberTo) return false;
  return r.parity === 'all' || (r.parity === 'odd' ? n % 2 === 1 : n % 2 === 0);
}

export type Placement = { gridId: string; ruleId: string } | { gridId: null; reason: 'no-rule' | 'ambiguous'; gridIds: string[] };

/** Where the rules put an address. Pure: the caller loads the rules once for many addresses. */
export function placeAddress(rules: AddressRule[], address: string): Placement {
  const matching = rules.filter((r) => ruleMatches(r, address));
  if (!matching.length) return { gridId: null, reason: 'no-rule', gridIds: [] };
  const best = Math.max(...matching.map(rank));
  const top = matching.filter((r) => rank(r) === best);
  const grids = [...new Set(top.map((r) => r.gridId))];
  if (grids.length > 1) return { gridId: null, reason: 'ambiguous', gridIds: grids };
  return { gridId: grids[0], ruleId: top[0].id };
}

async function checkRuleGrid(em: EntityManager, p: Principal, gridId: string): Promise<void> {
  const grid = await em.findOne(Grid, { where: { id: gridId, officeId: p.officeId } });
  if (!grid) throw errors.validation('Unknown grid.', [{ path: 'body.gridId', message: 'no such grid in your office' }]);
}

export async function createAddressRule(em: EntityManager, p: Principal, actor: Actor, now: Date, input: AddressRuleInput): Promise<AddressRule> {
  authorize(p, 'addressRules.manage');
  await checkRuleGrid(em, p, input.gridId);
  const t = now.getTime();
  const rule: AddressRule = {
    id: crypto.randomUUID(), officeId: p.officeId, gridId: input.gridId, kind: input.kind, street: input.street ?? null,
    numberFrom: input.numberFrom ?? null, numberTo: input.numberTo ?? null, parity: input.parity, community: input.community ?? null,
    createdBy: p.username, createdAt: t, updatedAt: t,
  };
  await em.query(
    'INSERT INTO grid_address_rules (id, office_id, grid_id, kind, street, number_from, number_to, parity, community, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [rule.id, rule.officeId, rule.gridId, rule.kind, rule.street, rule.numberFrom, rule.numberTo, rule.parity, rule.community, rule.createdBy, t, t]);
  await recordAudit(em, actor, now, { action: 'grid.address-rule.create', entityType: 'grid', entityId: rule.gridId, after: rule });
  return rule;
}

export async function updateAddressRule(em: EntityManager, p: Principal, actor: Actor, now: Date, id: string, input: AddressRuleInput): Promise<AddressRule> {
  authorize(p, 'addressRules.manage');
  const [row] = (await em.query('SELECT * FROM grid_address_rules WHERE id = ? AND office_id = ?', [id, p.officeId])) as Record<string, unknown>[];
  if (!row) throw errors.notFound('address rule', id);
  await checkRuleGrid(em, p, input.gridId);
  const before = toRule(row);
  await em.query('UPDATE grid_address_rules SET grid_id = ?, kind = ?, street = ?, number_from = ?, number_to = ?, parity = ?, community = ?, updated_at = ? WHERE id = ?',
    [input.gridId, input.kind, input.street ?? null, input.numberFrom ?? null, input.numberTo ?? null, input.parity, input.community ?? null, now.getTime(), id]);
  const [after] = (await em.query('SELECT * FROM grid_address_rules WHERE id = ?', [id])) as Record<string, unknown>[];
  await recordAudit(em, actor, now, { action: 'grid.address-rule.update', entityType: 'grid', entityId: input.gridId, before, after: toRule(after) });
  return toRule(after);
}

export async function deleteAddressRule(em: EntityManager, p: Principal, actor: Actor, now: Date, id: string): Promise<void> {
  authorize(p, 'addressRules.manage');
  const [row] = (await em.query('SELECT * FROM grid_address_rules WHERE id = ? AND office_id = ?', [id, p.officeId])) as Record<string, unknown>[];
  if (!row) throw errors.notFound('address rule', id);
  await em.query('DELETE FROM grid_address_rules WHERE id = ?', [id]);
  await recordAudit(em, actor, now, { action: 'grid.address-rule.delete', entityType: 'grid', entityId: String(row.grid_id), before: toRule(row) });
}
