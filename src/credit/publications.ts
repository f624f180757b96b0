/**
 * Publication of major labour-security violations (重大劳动保障违法行为社会公布办法, 人社部令第29号):
 * each quarter the office's closed cases that meet one of the 第5条 criteria are proposed; legal staff
 * confirm the list (and may leave an entry out); the confirmed list is issued as a document with the
 * employer's name, unified credit code, legal representative, the facts and the handling, exported as
 * xlsx, and each published entry stays in the employer's credit file (诚信档案).
 *
 * Criteria the records can show: refusal to pay referred for prosecution (第1项), arrears of a large
 * amount (第1项, the province's figure `publication.arrearsAmount`), child labour (第5项), and arrears
 * that caused a mass or extreme incident as recorded by the wage-arrears list (第6项). Serious social
 * insurance, working-hours and female/minor-worker violations (第2–4项) need a "serious" finding the
 * case does not record; legal staff publish those at any time outside this proposal.
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/audit';
import { authorize } from '../auth/policy';
import type { Principal } from '../auth/principal';
import { officeCode } from '../cases/register-complaint';
import { insertRow } from '../cases/store';
import { rulesForOffice, type LegalRuleSet } from '../config/legal-rules';
import { addMonths, startOfChinaDay } from '../deadlines/china-time';
import { issueDocument } from '../documents/documents';
import { errors } from '../errors';

export const PUBLICATION_BASIS = '《重大劳动保障违法行为社会公布办法》（人力资源社会保障部令第29号）';

export const CRITERIA = ['arrears-criminal', 'arrears-large', 'child-labour', 'serious-impact'] as const;
export type Criterion = (typeof CRITERIA)[number];
export const CRITERION_LABELS: Record<Criterion, string> = {
  'arrears-criminal': '拒不支付劳动报酬，依法移送司法机关追究刑事责任（第五条第一项）',
  'arrears-large': '克扣、无故拖欠劳动者劳动报酬，数额较大（第五条第一项）',
  'child-labour': '违反禁止使用童工规定（第五条第五项）',
  'serious-impact': '因劳动保障违法行为造成严重不良社会影响（第五条第六项）',
};

const HANDLING: Record<string, string> = {
  corrected: '本机关责令限期改正，该单位已改正。',
  'no-penalty': '本机关责令改正，依法不予行政处罚。',
  penalty: '本机关依法作出行政处罚决定。',
  'handling-decision': '本机关依法作出行政处理决定。',
  'referred-to-police': '本机关依法将案件移送公安机关追究刑事责任。',
};

export const periodSchema = z.string().regex(/^\d{4}-Q[1-4]$/, 'a quarter as YYYY-Qn');
export const proposePublicationSchema = z.strictObject({ period: periodSchema });
export const confirmPublicationSchema = z.strictObject({
  /** Entries legal staff leave out of the publication. */
  excludeEntryIds: z.array(z.string().uuid()).max(2000).default([]),
});

export const publicationRefusal = {
  exists: () => errors.conflict('PUBLICATION_EXISTS', '该季度的重大违法行为社会公布名单已经拟定。'),
  future: () => errors.unprocessable('PUBLICATION_PERIOD_NOT_STARTED', '该季度尚未开始，不能拟定公布名单。'),
  nothing: () => errors.unprocessable('PUBLICATION_NOTHING_QUALIFIES', '该季度没有符合社会公布条件的已结案件。'),
  confirmed: () => errors.conflict('PUBLICATION_CONFIRMED', '该公布名单已经确认公布。'),
  empty: () => errors.unprocessable('PUBLICATION_EMPTY', '确认公布的名单不能为空。'),
};

/** The quarter's bounds in China time and its name in words. */
export function quarterBounds(period: string): { from: number; to: number; text: string } {
  const [y, q] = [Number(period.slice(0, 4)), Number(period.slice(6))];
  const first = `${y}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
  const from = startOfChinaDay(first).getTime();
  const to = startOfChinaDay(addMonths(first, 3)).getTime();
  return { from, to, text: `${y}年第${'一二三四'[q - 1]}季度` };
}

const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

interface CaseCandidate {
  id: string; employer_id: string; case_number: string; outcome: string; total_owed: number | string | null; workers_count: number | string | null;
  wage_arrears: number | string; categories: string | null; name: string; credit_code: string | null; legal_representative: string | null; mass_incident: number | string;
}

/** The entries the quarter's closed cases give: one per case, under the first criterion it meets. */
export async function qualifyingEntries(em: EntityManager, ruleSet: LegalRuleSet, officeId: string, period: string) {
  const { from, to } = quarterBounds(period);
  const rules = rulesForOffice(ruleSet, await officeCode(em, officeId));
  const threshold = rules['publication.arrearsAmount'].value * 100;
  const rows: CaseCandidate[] = await em.query(
    `SELECT c.id, c.employer_id, c.case_number, c.outcome, c.total_owed, c.workers_count, c.wage_arrears, e.name, e.credit_code, e.legal_representative,
            (SELECT GROUP_CONCAT(DISTINCT k.category) FROM case_claims k WHERE k.case_id = c.id) AS categories,
            (SELECT COUNT(*) FROM credit_listings l WHERE l.case_id = c.id AND l.ground = 'mass-incident' AND l.state IN ('listed', 'removed')) AS mass_incident
       FROM cases c JOIN employers e ON e.id = c.employer_id
      WHERE c.office_id = ? AND c.closed_at >= ? AND c.closed_at < ? AND c.outcome IN ('corrected', 'no-penalty', 'penalty', 'handling-decision', 'referred-to-police')
      ORDER BY c.closed_at, c.case_number`, [officeId, from, to]);
  const out: { caseId: string; employerId: string; criterion: Criterion; name: string; creditCode: string | null; legalRepresentative: string | null; facts: string; handling: string }[] = [];
  for (const c of rows) {
    const owed = c.total_owed === null ? 0 : Number(c.total_owed);
    const categories = (c.categories ?? '').split(',');
    const arrears = `拖欠${c.workers_count ? `${Number(c.workers_count)}名` : ''}劳动者劳动报酬${owed ? `共计${yuan(owed)}元` : ''}`;
    let criterion: Criterion | null = null;
    let facts = '';
    if (c.outcome === 'referred-to-police') { criterion = 'arrears-criminal'; facts = `${arrears}，经责令限期支付逾期仍不支付。`; }
    else if (Number(c.wage_arrears) === 1 && owed >= threshold) { criterion = 'arrears-large'; facts = `${arrears}。`; }
    else if (categories.includes('child-labour')) { criterion = 'child-labour'; facts = '违反禁止使用童工规定，招用不满十六周岁的未成年人。'; }
    else if (Number(c.mass_incident) > 0) { criterion = 'serious-impact'; facts = `${arrears}，引发群体性事件，造成严重不良社会影响。`; }
    if (!criterion) continue;
    out.push({
      caseId: c.id, employerId: c.employer_id, criterion, name: c.name, creditCode: c.credit_code, legalRepresentative: c.legal_representative,
      facts: `${facts}（案件${c.case_number}）`, handling: HANDLING[c.outcome] ?? '本机关依法查处。',
    });
  }
  return out;
}

interface PublicationRow {
  id: string; office_id: string; period: string; state: 'proposed' | 'confirmed'; proposed_by: string; proposed_at: number | string;
  confirmed_by: string | null; confirmed_at: number | string | null; document_id: string | null;
}
interface EntryRow {
  id: string; publication_id: string; position: number | string; employer_id: string; case_id: string; criterion: Criterion; employer_name: string;
  credit_code: string | null; legal_representative: string | null; facts: string; handling: string; included: number | string;
}

export async function proposePublication(em: EntityManager, ruleSet: LegalRuleSet, principal: Principal, actor: Actor, input: z.output<typeof proposePublicationSchema>, now: number): Promise<string> {
  authorize(principal, 'publications.propose');
  if (quarterBounds(input.period).from > now) throw publicationRefusal.future();
  const existing: unknown[] = await em.query('SELECT 1 AS x FROM violation_publications WHERE office_id = ? AND period = ?', [principal.officeId, input.period]);
  if (existing.length) throw publicationRefusal.exists();
  const entries = await qualifyingEntries(em, ruleSet, principal.officeId, input.period);
  if (!entries.length) throw publicationRefusal.nothing();
  const id = crypto.randomUUID();
  await insertRow(em, 'violation_publications', {
    id, office_id: principal.officeId, period: input.period, state: 'proposed', proposed_by: principal.username, proposed_at: now, confirmed_by: null, confirmed_at: null, document_id: null,
  });
  for (const [i, e] of entries.entries()) {
    await insertRow(em, 'violation_publication_entries', {
      id: crypto.randomUUID(), publication_id: id, position: i, employer_id: e.employerId, case_id: e.caseId, criterion: e.criterion, employer_name: e.name.slice(0, 200),
      credit_code: e.creditCode, legal_representative: e.legalRepresentative ? e.legalRepresentative.slice(0, 100) : null, facts: e.facts, handling: e.handling, included: 1,
    });
  }
  await recordAudit(em, actor, new Date(now), { action: 'publication.propose', entityType: 'violation_publication', entityId: id, after: { period: input.period, entries: entries.length } });
  return id;
}

async function findPublication(em: EntityManager, principal: Principal, id: string): Promise<PublicationRow> {
  const rows: PublicationRow[] = await em.query('SELECT * FROM violation_publications WHERE id = ?', [id]);
  if (!rows[0]) throw errors.notFound('publication');
  authorize(principal, 'publication.read', { officeId: rows[0].office_id });
  return rows[0];
}

export interface PublicationEntryView {
  id: string; employerId: string; caseId: string; caseNumber: string | null; criterion: Criterion; criterionLabel: string; name: string;
  creditCode: string | null; legalRepresentative: string | null; facts: string; handling: string; included: boolean;
}
export interface PublicationView {
  id: string; period: string; periodText: string; state: 'proposed' | 'confirmed'; stateLabel: string; proposedBy: string; proposedAt: number;
  confirmedBy: string | null; confirmedAt: number | null; document: { id: string; number: string } | null; entries: PublicationEntryView[];
}

const STATE_LABELS = { proposed: '待法制审核确认', confirmed: '已确认公布' } as const;

async function entriesOf(em: EntityManager, publicationId: string): Promise<(EntryRow & { case_number: string | null })[]> {
  return em.query('SELECT en.*, c.case_number FROM violation_publication_entries en LEFT JOIN cases c ON c.id = en.case_id WHERE en.publication_id = ? ORDER BY en.position', [publicationId]);
}

export async function publicationView(em: EntityManager, principal: Principal, id: string): Promise<PublicationView> {
  const p = await findPublication(em, principal, id);
  const doc: { number: string }[] = p.document_id ? await em.query('SELECT number FROM documents WHERE id = ?', [p.document_id]) : [];
  return {
    id: p.id, period: p.period, periodText: quarterBounds(p.period).text, state: p.state, stateLabel: STATE_LABELS[p.state], proposedBy: p.proposed_by, proposedAt: Number(p.proposed_at),
    confirmedBy: p.confirmed_by, confirmedAt: p.confirmed_at === null ? null : Number(p.confirmed_at), document: p.document_id && doc[0] ? { id: p.document_id, number: doc[0].number } : null,
    entries: (await entriesOf(em, p.id)).map((e) => ({
      id: e.id, employerId: e.employer_id, caseId: e.case_id, caseNumber: e.case_number, criterion: e.criterion, criterionLabel: CRITERION_LABELS[e.criterion], name: e.employer_name,
      creditCode: e.credit_code, legalRepresentative: e.legal_representative, facts: e.facts, handling: e.handling, included: Number(e.included) === 1,
    })),
  };
}

export async function listPublications(em: EntityManager, principal: Principal): Promise<{ id: string; period: string; periodText: string; state: string; stateLabel: string; entries: number; proposedAt: number }[]> {
  authorize(principal, 'publications.list');
  const rows: (PublicationRow & { n: number | string })[] = await em.query(
    `SELECT p.*, (SELECT COUNT(*) FROM violation_publication_entries en WHERE en.publication_id = p.id AND en.included = 1) AS n
       FROM violation_publications p WHERE p.office_id = ? ORDER BY p.period DESC LIMIT 200`, [principal.officeId]);
  return rows.map((p) => ({ id: p.id, period: p.period, periodText: quarterBounds(p.period).text, state: p.state, stateLabel: STATE_LABELS[p.state], entries: Number(p.n), proposedAt: Number(p.proposed_at) }));
}

/** Legal staff confirm: the entries left out are marked, the list document is issued. */
export async function confirmPublication(em: EntityManager, principal: Principal, actor: Actor, id: string, input: z.output<typeof confirmPublicationSchema>, now: number): Promise<string> {
  const p = await findPublication(em, principal, id);
  authorize(principal, 'publication.confirm', { officeId: p.office_id });
  if (p.state === 'confirmed') throw publicationRefusal.confirmed();
  const entries = await entriesOf(em, p.id);
  const excluded = new Set(input.excludeEntryIds);
  const unknown = [...excluded].filter((x) => !entries.some((e) => e.id === x));
  if (unknown.length) throw errors.validation('所排除的条目不在本公布名单中', unknown.map(() => ({ path: 'body.excludeEntryIds', message: 'not an entry of this publication' })));
  const included = entries.filter((e) => !excluded.has(e.id));
  if (!included.length) throw publicationRefusal.empty();
  for (const e of entries) if (excluded.has(e.id)) await em.query('UPDATE violation_publication_entries SET included = 0 WHERE id = ?', [e.id]);
  const doc = await issueDocument(em, {
    officeId: p.office_id, caseId: null, typeId: 'major-violations-publication', issuedBy: principal.username, issuedAt: now, idempotencyKey: `violation-publication:${p.id}`,
    data: {
      periodText: quarterBounds(p.period).text, basis: PUBLICATION_BASIS,
      rows: included.map((e) => ({
        name: e.employer_name, ...(e.credit_code ? { creditCode: e.credit_code } : {}), ...(e.legal_representative ? { legalRepresentative: e.legal_representative } : {}),
        facts: e.facts, handling: e.handling,
      })),
    },
  });
  await em.query("UPDATE violation_publications SET state = 'confirmed', confirmed_by = ?, confirmed_at = ?, document_id = ? WHERE id = ?", [principal.username, now, doc.id, p.id]);
  await recordAudit(em, actor, new Date(now), { action: 'publication.confirm', entityType: 'violation_publication', entityId: p.id, after: { documentId: doc.id, number: doc.number, published: included.length, excluded: excluded.size } });
  return doc.id;
}

/** The employer's published major violations, for its credit file. */
export async function employerPublications(em: EntityManager, employerId: string): Promise<{ publicationId: string; period: string; periodText: string; criterionLabel: string; facts: string; handling: string; publishedAt: number; documentId: string | null }[]> {
  const rows: { publication_id: string; period: string; criterion: Criterion; facts: string; handling: string; confirmed_at: number | string; document_id: string | null }[] = await em.query(
    `SELECT en.publication_id, p.period, en.criterion, en.facts, en.handling, p.confirmed_at, p.document_id
       FROM violation_publication_entries en JOIN violation_publications p ON p.id = en.publication_id
      WHERE en.employer_id = ? AND en.included = 1 AND p.state = 'confirmed' ORDER BY p.confirmed_at DESC`, [employerId]);
  return rows.map((r) => ({
    publicationId: r.publication_id, period: r.period, periodText: quarterBounds(r.period).text, criterionLabel: CRITERION_LABELS[r.criterion],
    facts: r.facts, handling: r.handling, publishedAt: Number(r.confirmed_at), documentId: r.document_id,
  }));
}
