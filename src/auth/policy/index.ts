/**
 * The one authorization layer. Every route and command asks `authorize(principal, 'record.action',
 * record)`; the rules live in one file per record type beside this one. A record the principal may not
 * see answers 404, exactly like one that does not exist, so forged or foreign ids reveal nothing;
 * a record they see but may not act on answers 403.
 */
import { errors } from '../../errors';
import type { Principal } from '../principal';
import { casePolicy, casesPolicy } from './case';
import { documentPolicy } from './document';
import { employerPolicy, employersPolicy } from './employer';
import { messagePolicy } from './message';
import { taskPolicy } from './task';
import { templatePolicy } from './template';
import { userPolicy } from './user';
import { processPolicy, processesPolicy } from './process';
import { workflowPolicy } from './workflow';
import { instanceMigrationPolicy, instanceRepairPolicy } from './instance-repair';
import { signalPolicy } from './signal';
import { mailPolicy, outboxPolicy } from './mail';
import { officePolicy } from './office';
import { calendarPolicy } from './calendar';
import { addressRulesPolicy, gridStaffListPolicy, gridStaffPolicy } from './grid-staff';
import { creditListPolicy, creditPolicy } from './credit';
import { patrolPolicy, patrolsPolicy } from './patrol';
import { gridDashboardPolicy, warningPolicy, warningsPolicy } from './warning';
import { peoplePolicy } from './people';
import { writtenReviewPolicy, writtenReviewsPolicy } from './written-review';
import { publicationPolicy, publicationsPolicy, randomDrawPolicy, randomDrawsPolicy } from './random-draw';
import type { Decision } from './roles';

const policies = {
  case: casePolicy,
  cases: casesPolicy,
  task: taskPolicy,
  document: documentPolicy,
  message: messagePolicy,
  employer: employerPolicy,
  employers: employersPolicy,
  template: templatePolicy,
  user: userPolicy,
  process: processPolicy,
  processes: processesPolicy,
  workflow: workflowPolicy,
  instanceRepair: instanceRepairPolicy,
  instanceMigration: instanceMigrationPolicy,
  signal: signalPolicy,
  mail: mailPolicy,
  outbox: outboxPolicy,
  office: officePolicy,
  calendar: calendarPolicy,
  credit: creditPolicy,
  creditList: creditListPolicy,
  gridStaff: gridStaffPolicy,
  gridStaffList: gridStaffListPolicy,
  addressRules: addressRulesPolicy,
  patrol: patrolPolicy,
  patrols: patrolsPolicy,
  warning: warningPolicy,
  warnings: warningsPolicy,
  gridDashboard: gridDashboardPolicy,
  people: peoplePolicy,
  writtenReview: writtenReviewPolicy,
  writtenReviews: writtenReviewsPolicy,
  randomDraw: randomDrawPolicy,
  randomDraws: randomDrawsPolicy,
  publication: publicationPolicy,
  publications: publicationsPolicy,
};

type Policies = typeof policies;
// A rule with no record takes none; the others take the record type their first parameter names.
type Rule = (p: Principal, record: never) => Decision;
export type Action = { [K in keyof Policies]: `${K & string}.${keyof Policies[K] & string}` }[keyof Policies];
type RuleOf<A extends Action> = A extends `${infer K extends keyof Policies}.${infer V}` ? V extends keyof Policies[K] ? Policies[K][V] : never : never;
type RecordArg<A extends Action> = RuleOf<A> extends (p: Principal, ...rest: infer R) => Decision ? R : never;

export function decide<A extends Action>(p: Principal, action: A, ...record: RecordArg<A>): Decision {
  const [kind, verb] = action.split('.') as [keyof Policies, string];
  const rule = (policies[kind] as Record<string, Rule>)[verb];
  return (rule as (p: Principal, ...r: unknown[]) => Decision)(p, ...record);
}

export function allowed<A extends Action>(p: Principal, action: A, ...record: RecordArg<A>): boolean {
  return decide(p, action, ...record) === 'allow';
}

/** Throws 404 NOT_FOUND (named `what`) or 403 FORBIDDEN unless the policy allows the action. */
export function authorize<A extends Action>(p: Principal, action: A, ...record: RecordArg<A>): void {
  const d = decide(p, action, ...record);
  if (d === 'allow') return;
  if (d === 'hidden') throw errors.notFound(action.split('.')[0]);
  throw errors.forbidden(`Your role may not ${action.replace('.', ': ')}.`);
}

export type { Decision } from './roles';
export type { CaseRef } from './case';
export { caseReadScope } from './case';
export type { InstanceScope, TaskRef } from './task';
export type { DocumentRef } from './document';
export type { EmployerRef } from './employer';
export type { GridStaffRef } from './grid-staff';
export type { MessageRef } from './message';
export type { CreditRef } from './credit';
export type { ProcessRef } from './process';
export type { MailRef } from './mail';
export type { PatrolRef } from './patrol';
export type { WarningRef } from './warning';
export type { WrittenReviewRef } from './written-review';
export { isCandidate } from './task';
