/**
 * The data of each document of the listing procedure, from the listing on file, its case (the order to
 * pay, the employer as the case records it), its submissions and the legal rules: every period the
 * documents state is the rule the system runs (src/config/legal-rules.ts).
 */
import type { EntityManager } from 'typeorm';
import { chinaDate } from '../deadlines/china-time';
import type { LegalRules } from '../config/legal-rules';
import { BLANK, personName, loadCaseFacts } from '../cases/document-data';
import { mustFindCase } from '../cases/store';
import { parseInstant } from '../cases/case-deadlines';
import { listingSubmissions, type ListingRow } from './listings';

export const LISTING_DOCUMENT_TYPES = ['blacklist-notice', 'blacklist-decision', 'blacklist-not-listed', 'blacklist-removal', 'blacklist-repair-refusal'] as const;
export type ListingDocumentType = (typeof LISTING_DOCUMENT_TYPES)[number];

const BASIS = '《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》（人力资源社会保障部令第45号）';
const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 });
const cut = (s: string, max: number) => (s.length > max ? s.slice(0, max - 1) + '…' : s);
const sentence = (s: string) => (/[。！？]$/u.test(s.trim()) ? s.trim() : `${s.trim().replace(/[；，、\s]+$/u, '')}。`);

type Vars = Record<string, unknown>;
type Entry = { number?: string | null; issuedAt?: string };
const entry = (v: Vars, type: string): Entry | undefined => ((v.documents ?? {}) as Record<string, Entry>)[type];
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

async function orderNumber(em: EntityManager, caseId: string): Promise<string | null> {
  const rows: { number: string }[] = await em.query("SELECT number FROM documents WHERE case_id = ? AND type_id = 'order-to-correct' ORDER BY issued_at DESC", [caseId]);
  return rows[0]?.number ?? null;
}

/** The registry data of one listing document. */
export async function listingDocumentData(em: EntityManager, rules: LegalRules, l: ListingRow, type: ListingDocumentType, v: Vars, now: number): Promise<Record<string, unknown>> {
  const c = await mustFindCase(em, l.case_id);
  const f = await loadCaseFacts(em, c);
  const e = f.parties.find((p) => p.role === 'employer');
  const party: Record<string, string> = { name: e?.name ?? BLANK };
  if (e?.address) party.address = e.address;
  if (e?.creditCode) party.creditCode = e.creditCode;
  if (e?.legalRepresentative) party.legalRepresentative = e.legalRepresentative;
  const people = JSON.parse(l.responsible_json) as { name: string; position: string }[];
  const order = await orderNumber(em, l.case_id);
  const amount = l.amount_owed === null ? null : Number(l.amount_owed);
  const facts = cut(`本机关${order ? `以${order}限期改正指令书` : '以限期改正指令书'}责令你单位于${chinaDate(Number(l.payment_deadline_at))}前支付拖欠的${l.workers_owed ?? ''}名劳动者工资${amount !== null ? `共计${yuan(amount)}元` : ''}，你单位逾期仍未支付。`, 5000);
  const reasons = sentence(cut(l.ground_text, 2900));
  const noticeNumber = entry(v, 'blacklist-notice')?.number ?? BLANK;
  const decisionNumber = entry(v, 'blacklist-decision')?.number ?? BLANK;
  switch (type) {
    case 'blacklist-notice':
      return {
        party, facts, reasons, basis: BASIS, responsiblePeople: people, defenceDays: rules['blacklist.defence'].value,
        contactPerson: personName(f, v.leadInspector) ?? BLANK, contactPhone: str(v.contactPhone) ?? BLANK, address: f.officeName || BLANK,
      };
    case 'blacklist-decision': {
      const defences = (await listingSubmissions(em, l.id)).filter((s) => s.kind === 'defence');
      const assessment = str(v.defenceAssessment);
      const defence = defences.length
        ? `你单位提出了陈述申辩${defences.some((s) => Number(s.late) === 1) ? '（部分在期限届满后提出，本机关仍予审查）' : ''}。${sentence(assessment ?? '经审查，陈述申辩的理由不能成立，不予采纳')}`
        : '你单位在规定期限内未提出陈述申辩。';
      const listedAt = parseInstant(v.listedAt) ?? now;
      const expiry = ((v.deadlines ?? {}) as { blacklist?: { listingTerm?: { dueDate?: string } } }).blacklist?.listingTerm?.dueDate;
      return {
        party, facts, reasons, basis: BASIS, noticeNumber, defence: cut(defence, 5000), responsiblePeople: people,
        listedDate: chinaDate(listedAt), expiryDate: expiry ?? chinaDate(listedAt), listingYears: rules['blacklist.listingTerm'].value,
        repairMonths: rules['blacklist.repairMinListed'].value, repairDays: rules['blacklist.repairDecision'].value,
      };
    }
    case 'blacklist-not-listed':
      return { party, facts, noticeNumber, reasons: sentence(cut(str(v.decisionReasons) ?? str(v.defenceAssessment) ?? '不符合列入条件', 4900)) };
    case 'blacklist-removal': {
      const reason = l.removal_reason === 'repair'
        ? `你单位已足额支付拖欠的劳动者工资，列入名单已满${rules['blacklist.repairMinListed'].value}个月，并作出守信承诺，经审核符合信用修复条件。`
        : `列入期限${rules['blacklist.listingTerm'].value}年已届满。`;
      return {
        party, decisionNumber, listingReasons: reasons, listedDate: chinaDate(Number(l.listed_at ?? now)), removedDate: chinaDate(Number(l.removed_at ?? now)),
        reason: str(v.repairOpinion) && l.removal_reason === 'repair' ? cut(`${reason}${sentence(str(v.repairOpinion)!)}`, 3000) : reason, responsiblePeople: people,
      };
    }
    case 'blacklist-repair-refusal': {
      const check = (v.repairCheck ?? {}) as { reasons?: string[] };
      const reasons = (check.reasons ?? []).length ? check.reasons! : [sentence(str(v.repairOpinion) ?? '经审核不符合信用修复条件')];
      return { party, decisionNumber, appliedDate: chinaDate(parseInstant(v.repairAppliedAt) ?? now), reasons: reasons.slice(0, 10).map((r) => cut(r, 1000)) };
    }
  }
}
