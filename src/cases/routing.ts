/**
 * The routing rules of 诉前引导 (DOMAIN.md "Intake and routing"), as one pure function. They suggest;
 * the intake officer decides in the triage task of `intake-and-routing`.
 * - inspection's own matters, alone or with social-insurance matters → labour inspection;
 * - social-insurance contributions or fraud only → social-insurance audit;
 * - only disputes between employer and worker (relation, dismissal, compensation…) → arbitration,
 *   with a written notice (劳动保障监察条例 第21条);
 * - acceptance (若干规定 第18条): within 2 years of the violation's end (条例 第20条), an identified
 *   employer, within this office's jurisdiction (条例 第13条) — else not accepted or completion.
 */
import type { LegalRules } from '../config/legal-rules';
import { addMonths, chinaDate } from '../deadlines/china-time';
import { CLAIM_CATEGORIES, ClaimCategory, MatterType, Route } from './model';

export interface RoutingInput {
  claims: { category: ClaimCategory; periodTo?: string | null }[];
  receivedAt: number;
  violationEndedOn?: string | null;
  employerIdentified: boolean;
  withinJurisdiction: boolean;
}

export interface Assessment {
  withinLimitation: boolean;
  employerIdentified: boolean;
  withinJurisdiction: boolean;
  matterTypes: MatterType[];
  suggestedRoute: Route;
  /** One line per finding, in the UI's language. */
  reasons: string[];
  /** The last day the violation may have ended and still be pursued. */
  limitationFrom: string;
}

/** The day the violation ended, from the complaint or the latest claim period; null while it continues. */
export function violationEnd(input: Pick<RoutingInput, 'claims' | 'violationEndedOn'>): string | null {
  if (input.violationEndedOn) return input.violationEndedOn;
  const ends = input.claims.map((c) => c.periodTo).filter((d): d is string => Boolean(d));
  // A claim without an end date is a continuing violation: nothing to count from.
  if (ends.length === 0 || ends.length < input.claims.length) return null;
  return ends.sort().at(-1)!;
}

export function assessComplaint(rules: LegalRules, input: RoutingInput): Assessment {
  const reasons: string[] = [];
  const limitation = rules['intake.limitation'];
  const months = limitation.unit === 'years' ? limitation.value * 12 : limitation.value;
  const receivedDate = chinaDate(input.receivedAt);
  const earliest = addMonths(receivedDate, -months);
  const ended = violationEnd(input);
  const withinLimitation = ended === null || ended >= earliest;
  reasons.push(ended === null
    ? '违法行为处于连续或继续状态，未超过查处时效'
    : withinLimitation
      ? `违法行为终了于${ended}，未超过${limitation.value}年查处时效（${limitation.source}）`
      : `违法行为终了于${ended}，至收到投诉（${receivedDate}）已超过${limitation.value}年查处时效（${limitation.source}）`);

  const matterTypes = [...new Set(input.claims.map((c) => CLAIM_CATEGORIES[c.category].matter))].sort() as MatterType[];
  const has = (m: MatterType) => matterTypes.includes(m);
  let suggestedRoute: Route;
  if (!input.employerIdentified) {
    suggestedRoute = 'completion';
    reasons.push('未能确定被投诉的用人单位，应通知补正（若干规定 第18条）');
  } else if (!withinLimitation) {
    suggestedRoute = 'not-accepted';
  } else if (!input.withinJurisdiction) {
    suggestedRoute = 'not-accepted';
    reasons.push('不属于本机关管辖（劳动保障监察条例 第13条：由用人单位用工所在地管辖），应告知有管辖权的机关');
  } else if (has('inspection')) {
    suggestedRoute = 'inspection';
    reasons.push(has('social-insurance')
      ? '社会保险事项与其他劳动保障违法行为并存，由劳动保障监察一并处理'
      : '属于劳动保障监察事项');
  } else if (has('social-insurance') && !has('dispute')) {
    suggestedRoute = 'social-insurance-audit';
    reasons.push('仅涉及社会保险缴费或基金事项，转社会保险稽查');
  } else if (has('dispute') && !has('social-insurance')) {
    suggestedRoute = 'arbitration';
    reasons.push('属于劳动争议，应书面告知投诉人申请劳动人事争议调解仲裁（劳动保障监察条例 第21条）');
  } else {
    // Disputes together with contributions: the dispute goes to arbitration, the contributions to audit;
    // the officer decides which comes first, arbitration is suggested because it protects the period.
    suggestedRoute = 'arbitration';
    reasons.push('同时涉及劳动争议和社会保险缴费事项：劳动争议告知申请仲裁，社会保险事项另转稽查');
  }
  return {
    withinLimitation, employerIdentified: input.employerIdentified, withinJurisdiction: input.withinJurisdiction,
    matterTypes, suggestedRoute, reasons, limitationFrom: earliest,
  };
}

/** Wage arrears (欠薪) cases carry the office's same-day registration and 7-day closure targets (seed 001). */
export function isWageArrears(claims: { category: ClaimCategory }[]): boolean {
  return claims.some((c) => c.category === 'wage-arrears' || c.category === 'minimum-wage' || c.category === 'wage-deduction');
}
