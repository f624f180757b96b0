/**
 * The vocabulary of prevention (两网化): the three warning colours and who handles each
 * ("二级网格处理、一级网格管理、监察大队跟踪", seed 001), patrol outcomes and states, and the handling
 * actions a warning records. Spelled once here for the workers, routes and queries.
 */
import type { PeriodRuleId } from '../config/legal-rules';

export const COLOURS = ['yellow', 'orange', 'red'] as const;
export type Colour = (typeof COLOURS)[number];
export const COLOUR_LABELS: Record<Colour, string> = { yellow: '黄色', orange: '橙色', red: '红色' };

/** Handling period of each colour, by its id in the legal-rules registry. */
export const HANDLING_RULE: Record<Colour, PeriodRuleId> = {
  yellow: 'warning.handling.yellow', orange: 'warning.handling.orange', red: 'warning.handling.red',
};

/** Who handles each colour: the employer's community grid, its street grid, or the brigade (the supervisors). */
export const HANDLER_LEVEL: Record<Colour, 'community' | 'street' | 'brigade'> = { yellow: 'community', orange: 'street', red: 'brigade' };
export const BRIGADE_GROUP = 'supervisor';

export function colourRank(c: Colour): number {
  return COLOURS.indexOf(c);
}

/** The next colour up; red stays red (the brigade is the last level). */
export function escalated(c: Colour): Colour {
  return COLOURS[Math.min(COLOURS.length - 1, colourRank(c) + 1)];
}

export const WARNING_SOURCES = ['rule', 'report', 'patrol'] as const;
export type WarningSource = (typeof WARNING_SOURCES)[number];

export const HANDLING_ACTIONS = ['visit', 'talk', 'mediation', 'order', 'case'] as const;
export const HANDLING_ACTION_LABELS: Record<(typeof HANDLING_ACTIONS)[number], string> = {
  visit: '走访', talk: '约谈', mediation: '调解', order: '责令改正', case: '立案查处',
};

export const WARNING_RESULTS = ['resolved', 'paid', 'case-opened', 'no-risk'] as const;

export const PATROL_OUTCOMES = ['none', 'order', 'warning', 'case'] as const;
export type PatrolOutcome = (typeof PATROL_OUTCOMES)[number];

/** The checklist of a patrol (forms/grid-patrol.form): each item is `ok`, `problem` or `na`. */
export const CHECKLIST_ITEMS = ['contracts', 'wageLedger', 'hours', 'socialInsurance', 'childFemale', 'rulesPosted'] as const;
export const CHECKLIST_LABELS: Record<(typeof CHECKLIST_ITEMS)[number], string> = {
  contracts: '劳动合同签订', wageLedger: '工资台账及支付', hours: '考勤及工时', socialInsurance: '社会保险参保缴费',
  childFemale: '童工及女职工、未成年工保护', rulesPosted: '规章制度及劳动保障法规公示',
};

/** A month as the patrol plans count it: YYYY-MM in China's time. */
export const PERIOD_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The process ids of the two lifecycles. */
export const PATROL_PROCESS_ID = 'grid-patrol';
export const WARNING_PROCESS_ID = 'risk-warning';
