/**
 * The fine the discretion standard (行政处罚裁量基准, 国办发〔2022〕27号) proposes for a case: the
 * decision table `penalty-discretion` (decisions/penalty-discretion.dmn, versioned, edited by legal
 * staff) is evaluated once per kind of violation on the case (分别裁量), and the fines are added up
 * (合并处罚). Each item keeps the table version and the matched rule's annotation, its legal source.
 */
import type { EntityManager } from 'typeorm';
import type { LegalRules } from '../config/legal-rules';
import { evaluateLatestDecision } from '../engine/dmn';
import { CLAIM_CATEGORIES, type ClaimCategory } from './model';
import { caseClaims, type CaseRecord } from './store';

export const DISCRETION_DECISION_ID = 'penalty-discretion';

/** Statuses a case reaches only after a penalty decision: a later case of the same employer is a repeat. */
const PUNISHED_STATUSES = ['awaiting-payment', 'payment-overdue', 'enforcement-applied', 'penalty-executed'];

export interface DiscretionItem {
  violationKind: ClaimCategory;
  violationLabel: string;
  level: string;
  fineMin: number;
  fineMax: number;
  proposedFine: number;
  /** The matched rule's annotation: its legal source. */
  source: string;
}

export interface DiscretionProposal {
  decisionVersion: number;
  workerCount: number;
  amountOwed: number;
  isRepeat: boolean;
  items: DiscretionItem[];
  proposedFine: number;
  fineMin: number;
  fineMax: number;
}

export class DiscretionUnavailable extends Error {}

/** Whether the employer had an earlier case that ended in a penalty decision. */
export async function isRepeatOffence(em: EntityManager, c: CaseRecord): Promise<boolean> {
  if (!c.employerId) return false;
  const rows = (await em.query(
    `SELECT 1 AS x FROM cases WHERE employer_id = ? AND id <> ? AND created_at < ? AND status IN (${PUNISHED_STATUSES.map(() => '?').join(', ')}) LIMIT 1`,
    [c.employerId, c.id, c.createdAt, ...PUNISHED_STATUSES],
  )) as unknown[];
  return rows.length > 0;
}

export async function proposeFine(em: EntityManager, c: CaseRecord, rules: Pick<LegalRules, 'correction.refusalFine.min' | 'correction.refusalFine.max'>, now: Date, repeat?: boolean): Promise<DiscretionProposal> {
  const kinds = [...new Set((await caseClaims(em, c.id)).map((cl) => cl.category).filter((k) => CLAIM_CATEGORIES[k].matter === 'inspection'))];
  if (kinds.length === 0) kinds.push('other');
  const workerCount = Math.max(1, c.workersCount);
  const amountOwed = c.totalOwed ?? 0;
  const isRepeat = repeat ?? (await isRepeatOffence(em, c));
  const items: DiscretionItem[] = [];
  let version = 0;
  for (const violationKind of kinds) {
    const result = await evaluateLatestDecision(em, DISCRETION_DECISION_ID, {
      violationKind, workerCount, amountOwed, isRepeat,
      refusalFineMin: rules['correction.refusalFine.min'].value, refusalFineMax: rules['correction.refusalFine.max'].value,
    }, now);
    if (!result) throw new DiscretionUnavailable(`行政处罚裁量基准（决策“${DISCRETION_DECISION_ID}”）尚未部署`);
    if (result.failureMessage) throw new DiscretionUnavailable(`行政处罚裁量基准求值失败：${result.failureMessage}`);
    version = result.decision.version;
    const out = result.output as { level?: unknown; fineMin?: unknown; fineMax?: unknown; proposedFine?: unknown } | null;
    if (!out) continue; // no rule for this kind: the handler decides without a proposal
    const rule = result.evaluated.at(-1)?.matchedRules[0];
    items.push({
      violationKind, violationLabel: CLAIM_CATEGORIES[violationKind].label, level: String(out.level ?? ''),
      fineMin: Number(out.fineMin ?? 0), fineMax: Number(out.fineMax ?? 0), proposedFine: Number(out.proposedFine ?? 0), source: rule?.annotation ?? '',
    });
  }
  const sum = (k: 'fineMin' | 'fineMax' | 'proposedFine') => items.reduce((s, i) => s + i[k], 0);
  return { decisionVersion: version, workerCount, amountOwed, isRepeat, items, proposedFine: sum('proposedFine'), fineMin: sum('fineMin'), fineMax: sum('fineMax') };
}

/** The proposal in the reviewer's words, one line per violation and one comparing the handler's figure. */
export function discretionReasons(p: DiscretionProposal, handlerFine: number): string[] {
  const lines = p.items.map((i) => `${i.violationLabel}：裁量等级“${i.level}”，罚款幅度${i.fineMin}–${i.fineMax}元，建议罚款${i.proposedFine}元（${i.source}）`);
  if (p.items.length === 0) return ['行政处罚裁量基准中没有适用于本案违法行为的规则，罚款数额由承办人依法确定'];
  lines.push(handlerFine < p.fineMin || handlerFine > p.fineMax
    ? `拟罚款${handlerFine}元不在行政处罚裁量基准（第${p.decisionVersion}版）的幅度${p.fineMin}–${p.fineMax}元内，请说明理由或调整数额`
    : `拟罚款${handlerFine}元在行政处罚裁量基准（第${p.decisionVersion}版）的幅度内，建议罚款${p.proposedFine}元`);
  return lines;
}
