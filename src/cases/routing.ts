/**
 * The routing suggestion of 诉前引导 (DOMAIN.md "Intake and routing"). They suggest; the intake officer
 * decides in the triage task of `intake-and-routing`. The facts (limitation counted from the legal
 * registry, the matter types of the claims) are worked out here; which route they suggest is the
 * decision table `complaint-routing` (decisions/complaint-routing.dmn, versioned, edited by legal staff):
 * - inspection's own matters, alone or with social-insurance matters → labour inspection;
 * - social-insurance contributions or fraud only → social-insurance audit;
 * - only disputes between employer and worker (relation, dismissal, compensation…) → arbitration,
 *   with a written notice (劳动保障监察条例 第21条);
 * - acceptance (若干规定 第18条): within 2 years of the violation's end (条例 第20条), an identified
 *   employer, within this office's jurisdiction (条例 第13条) — else not accepted or completion.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EntityManager } from 'typeorm';
import type { LegalRules } from '../config/legal-rules';
import { compileDmn, evaluateDecision, latestDecisionGraph, type CompiledDrg } from '../engine/dmn';
import { DECISIONS_DIR } from '../paths';
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

export const ROUTING_DECISION_ID = 'complaint-routing';

/** The compiled routing table an assessment evaluates. */
export type RoutingTable = CompiledDrg;

let bundled: Promise<RoutingTable> | undefined;

/** The table shipped in decisions/: what the service deploys at start, and the answer before any deployment. */
export function bundledRoutingTable(): Promise<RoutingTable> {
  bundled ??= compileDmn(fs.readFileSync(path.join(DECISIONS_DIR, `${ROUTING_DECISION_ID}.dmn`), 'utf8')).then(({ drg, problems }) => {
    if (!drg) throw new Error(`decisions/${ROUTING_DECISION_ID}.dmn does not compile: ${problems.map((p) => p.message).join('; ')}`);
    return drg;
  });
  return bundled;
}

/** The latest deployed version of the routing table (the shipped one while none is deployed). */
export async function routingTable(em: EntityManager): Promise<RoutingTable> {
  return (await latestDecisionGraph(em, ROUTING_DECISION_ID))?.drg ?? bundledRoutingTable();
}

export function assessComplaint(rules: LegalRules, input: RoutingInput, table: RoutingTable): Assessment {
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
  const result = evaluateDecision(table, ROUTING_DECISION_ID, {
    employerIdentified: input.employerIdentified, withinLimitation, withinJurisdiction: input.withinJurisdiction,
    hasInspection: has('inspection'), hasSocialInsurance: has('social-insurance'), hasDispute: has('dispute'),
  });
  const out = result.output as { route?: unknown; reason?: unknown } | null;
  if (result.failureMessage || !out || typeof out.route !== 'string') {
    throw new Error(`The routing table gave no route: ${result.failureMessage ?? 'no rule matched'}`);
  }
  const suggestedRoute = out.route as Route;
  if (typeof out.reason === 'string' && out.reason) reasons.push(out.reason);
  return {
    withinLimitation, employerIdentified: input.employerIdentified, withinJurisdiction: input.withinJurisdiction,
    matterTypes, suggestedRoute, reasons, limitationFrom: earliest,
  };
}

/** Wage arrears (欠薪) cases carry the office's same-day registration and 7-day closure targets (seed 001). */
export function isWageArrears(claims: { category: ClaimCategory }[]): boolean {
  return claims.some((c) => c.category === 'wage-arrears' || c.category === 'minimum-wage' || c.category === 'wage-deduction');
}
