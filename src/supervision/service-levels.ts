/**
 * Service levels (时限督办标准): for each kind of work, when it should be done (goal, 目标), when it must
 * be done (deadline, 期限) and what happens while it stays undone after that (passed deadline, 逾期),
 * in the manner of Pega's goal / deadline / passed-deadline. The three warning colours follow from them:
 *
 *   黄 (yellow, 即将到期)  from the goal — `goal` days before the deadline — until the deadline's day begins;
 *   橙 (orange, 今日到期/刚逾期) on the deadline's day and until `red` days after it;
 *   红 (red, 严重逾期)      from then on.
 *
 * Days are working days (on the holiday calendar, 调休 included) or calendar days, per span.
 *
 * A level applies to user tasks (by element id, form id or process, narrowed by the case's route or
 * claim categories) or to the statutory deadlines of a case (`case_deadlines` rules: investigation,
 * penalty decision, police and court answers). Where several levels match, the
 * one naming the most criteria wins, then the earlier one. A task with a due date of its own
 * (zeebe:taskSchedule, computed from the legal rules) keeps it; `deadline` counts from the task's
 * creation only for tasks without one.
 *
 * Actions, fired once per level per task (goal, deadline, then every `passedDeadline.every` up to
 * `repeat` times): notify the assignee, notify the supervisors (mail outbox), raise the priority,
 * reassign to a group (`$grid` = the street grid of the case, "一级网格管理"), and 挂牌督办 (flag the
 * case supervised with a due date and an owner). Every escalation is written to the case's timeline.
 *
 * Overrides: a JSON file `service-levels.json` beside the legal-rules file (LEGAL_RULES_FILE), e.g.
 *   { "serviceLevels": {
 *       "default": { "goal": { "count": 3, "unit": "workingDays" } },
 *       "hearing": { "title": "听证", "appliesTo": { "elementIds": ["Task_HoldHearing"] },
 *                    "deadline": { "count": 5, "unit": "workingDays" } } } }
 * An id of a default changes the fields given; a new id adds a level (`title` and `appliesTo` needed),
 * its other fields taken from `default`. Every problem is listed at once and stops the start.
 *
 * A span that is a legal period or an office target is not written here as a figure: it names its
 * rule in src/config/legal-rules.ts (`{ "rule": "investigation.warning" }`, in the file too) and takes
 * the rule's value and unit, overrides of the legal-rules file included, when the levels are loaded.
 * The other figures (task targets, colour thresholds, repetitions) belong to the service levels alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_LEGAL_RULES, type LegalRules, type PeriodRuleId } from '../config/legal-rules';
import { CONTRACT_RULES } from '../cases/case-deadlines';
import { parseOverrideText, readOverrideFile, schemaProblems } from '../config/override-file';

export type DayUnit = 'workingDays' | 'calendarDays';

export interface Span {
  count: number;
  unit: DayUnit;
}

/** A span as declared: a figure, or the legal rule (a period in days) it is. */
export type SpanSpec = Span | { rule: PeriodRuleId };

export type EscalationAction =
  | { kind: 'notifyAssignee' }
  | { kind: 'notifySupervisor' }
  | { kind: 'raisePriority'; by: number }
  /** `group` is a candidate-group name (role or grid code), or `$grid` for the case's street grid. */
  | { kind: 'reassignToGroup'; group: string }
  /** 挂牌督办: `owner` is a username or a role whose members own it (`supervisor`). */
  | { kind: 'supervise'; dueIn: Span; owner: string };

type EscalationActionSpec = Exclude<EscalationAction, { kind: 'supervise' }> | { kind: 'supervise'; dueIn: SpanSpec; owner: string };

export interface PassedDeadlineAction {
  action: EscalationAction;
  /** From which repetition on (1 = the first interval after the deadline). */
  fromRepeat: number;
}

export interface ServiceLevel {
  id: string;
  title: string;
  appliesTo: {
    /** 'task' levels match user tasks; 'deadline' levels match statutory deadlines of a case. */
    subject: 'task' | 'deadline';
    elementIds?: string[];
    formIds?: string[];
    bpmnProcessIds?: string[];
    routes?: string[];
    claimCategories?: string[];
    deadlineRules?: string[];
  };
  /** From the task's creation, for tasks without a due date of their own. */
  deadline: Span;
  /** Lead before the deadline: from then on the work is 黄. */
  goal: Span;
  /** Overdue by this much: 红. */
  red: Span;
  passedDeadline: { every: Span; repeat: number };
  actions: { goal: EscalationAction[]; deadline: EscalationAction[]; passedDeadline: PassedDeadlineAction[] };
  /**
   * What the deadline is: `statutory` (法定期限) when it names a legal rule with a law behind it,
   * `office` (本单位目标) when it is a figure of its own or names an office target of the legal rules
   * (a rule whose note says 非法定期限, e.g. wageArrears.closure). Derived when the levels are loaded.
   */
  basis: 'statutory' | 'office';
  /** The law and article of a statutory deadline, or the origin of an office target that names a rule. */
  basisSource: string | null;
}

/** A level as declared, its spans figures or rule references. */
export interface ServiceLevelSpec extends Omit<ServiceLevel, 'deadline' | 'goal' | 'red' | 'passedDeadline' | 'actions' | 'basis' | 'basisSource'> {
  deadline: SpanSpec;
  goal: SpanSpec;
  red: SpanSpec;
  passedDeadline: { every: SpanSpec; repeat: number };
  actions: { goal: EscalationActionSpec[]; deadline: EscalationActionSpec[]; passedDeadline: { action: EscalationActionSpec; fromRepeat: number }[] };
}

const wd = (count: number): Span => ({ count, unit: 'workingDays' });
const cd = (count: number): Span => ({ count, unit: 'calendarDays' });
const ruleSpan = (id: PeriodRuleId): SpanSpec => ({ rule: id });
const passed = (action: EscalationActionSpec, fromRepeat = 1) => ({ action, fromRepeat });

/** Defaults. Between levels naming equally many criteria the earlier wins: a task's own level before its case type's. */
export const SERVICE_LEVEL_SPECS: readonly ServiceLevelSpec[] = [
  {
    id: 'default',
    title: '一般办理任务',
    appliesTo: { subject: 'task' },
    deadline: wd(10),
    goal: wd(2),
    red: wd(3),
    passedDeadline: { every: wd(2), repeat: 3 },
    actions: {
      goal: [{ kind: 'notifyAssignee' }],
      deadline: [{ kind: 'notifyAssignee' }, { kind: 'notifySupervisor' }],
      passedDeadline: [
        passed({ kind: 'raisePriority', by: 20 }),
        // "二级网格办理、一级网格管理": after two intervals the street takes the task back.
        passed({ kind: 'reassignToGroup', group: '$grid' }, 2),
        passed({ kind: 'supervise', dueIn: wd(5), owner: 'supervisor' }, 3),
      ],
    },
  },
  {
    id: 'triage',
    title: '投诉受理分流',
    appliesTo: { subject: 'task', elementIds: ['Task_Triage'] },
    deadline: ruleSpan('intake.acceptanceDecision'),
    goal: wd(1),
    red: wd(2),
    passedDeadline: { every: wd(1), repeat: 3 },
    actions: {
      goal: [{ kind: 'notifyAssignee' }],
      deadline: [{ kind: 'notifySupervisor' }, { kind: 'raisePriority', by: 20 }],
      passedDeadline: [passed({ kind: 'notifySupervisor' }), passed({ kind: 'supervise', dueIn: wd(2), owner: 'supervisor' }, 2)],
    },
  },
  {
    // The extension (investigation.extension, 劳动保障监察条例 第17条) is the head's decision: the supervisor hears of it early.
    id: 'extension-approval',
    title: '延长调查期限审批',
    appliesTo: { subject: 'task', elementIds: ['Task_ApproveExtension'] },
    deadline: wd(3),
    goal: wd(1),
    red: wd(1),
    passedDeadline: { every: wd(1), repeat: 3 },
    actions: {
      goal: [{ kind: 'notifySupervisor' }],
      deadline: [{ kind: 'notifySupervisor' }, { kind: 'raisePriority', by: 30 }],
      passedDeadline: [passed({ kind: 'notifySupervisor' })],
    },
  },
  {
    id: 'approvals',
    title: '负责人审批',
    appliesTo: { subject: 'task', elementIds: ['Task_ApproveFiling', 'Task_HandlingApproval', 'Task_ApproveWithdrawal', 'Task_ApproveClosure', 'Task_ApproveReferral', 'Task_ApprovePenalty', 'Task_ApproveApplication'] },
    deadline: wd(3),
    goal: wd(1),
    red: wd(2),
    passedDeadline: { every: wd(1), repeat: 3 },
    actions: {
      goal: [{ kind: 'notifyAssignee' }],
      deadline: [{ kind: 'notifySupervisor' }, { kind: 'raisePriority', by: 20 }],
      passedDeadline: [passed({ kind: 'notifySupervisor' })],
    },
  },
  {
    // Seed 001: wage arrears are registered and closed quickly (wageArrears.registration, wageArrears.closure)
    // and listed for supervision; each task of such a case is held to a short target of its own.
    id: 'wage-arrears',
    title: '欠薪案件任务',
    appliesTo: { subject: 'task', claimCategories: ['wage-arrears'] },
    deadline: cd(3),
    goal: cd(1),
    red: cd(1),
    passedDeadline: { every: cd(1), repeat: 3 },
    actions: {
      goal: [{ kind: 'notifyAssignee' }],
      deadline: [{ kind: 'notifyAssignee' }, { kind: 'notifySupervisor' }, { kind: 'raisePriority', by: 20 }],
      passedDeadline: [
        passed({ kind: 'raisePriority', by: 20 }),
        passed({ kind: 'supervise', dueIn: cd(3), owner: 'supervisor' }, 1),
        passed({ kind: 'reassignToGroup', group: '$grid' }, 2),
      ],
    },
  },
  {
    id: 'statutory-investigation',
    title: '调查办结期限（含经批准延长的期限）',
    appliesTo: { subject: 'deadline', deadlineRules: ['investigation.limit', 'investigation.extension'] },
    deadline: ruleSpan('investigation.limit'),
    goal: ruleSpan('investigation.warning'),
    red: wd(5),
    passedDeadline: { every: wd(5), repeat: 3 },
    actions: {
      goal: [{ kind: 'notifySupervisor' }],
      deadline: [{ kind: 'notifySupervisor' }, { kind: 'supervise', dueIn: wd(10), owner: 'supervisor' }],
      passedDeadline: [passed({ kind: 'notifySupervisor' })],
    },
  },
  {
    // The office's closure target (wageArrears.closure for wage arrears, seed 001; else the investigation limit).
    id: 'closure-target',
    title: '结案目标期限',
    appliesTo: { subject: 'deadline', deadlineRules: ['closure.target'] },
    deadline: ruleSpan('wageArrears.closure'),
    goal: cd(2),
    red: cd(3),
    passedDeadline: { every: cd(3), repeat: 2 },
    actions: {
      goal: [],
      deadline: [{ kind: 'notifySupervisor' }],
      passedDeadline: [passed({ kind: 'notifySupervisor' })],
    },
  },
  {
    id: 'statutory-penalty',
    title: '行政处罚决定期限',
    appliesTo: { subject: 'deadline', deadlineRules: ['punishment.decision'] },
    deadline: ruleSpan('punishment.decision'),
    goal: ruleSpan('punishment.decisionWarning'),
    red: cd(3),
    passedDeadline: { every: cd(3), repeat: 3 },
    actions: {
      goal: [{ kind: 'notifySupervisor' }],
      deadline: [{ kind: 'notifySupervisor' }, { kind: 'supervise', dueIn: wd(5), owner: 'supervisor' }],
      passedDeadline: [passed({ kind: 'notifySupervisor' })],
    },
  },
  {
    // 移送规定 第8、9条; 民事诉讼法 第104条: outside answers. No answer in time is the supervisor's item.
    id: 'outside-answers',
    title: '公安机关、人民法院答复期限',
    appliesTo: { subject: 'deadline', deadlineRules: ['police.decision', 'police.reconsiderationAnswer', 'preservation.courtRuling', 'police.headApproval', 'police.transfer'] },
    deadline: ruleSpan('police.decision'),
    goal: cd(1),
    red: cd(2),
    passedDeadline: { every: cd(1), repeat: 3 },
    actions: {
      goal: [],
      deadline: [{ kind: 'notifySupervisor' }],
      passedDeadline: [passed({ kind: 'notifySupervisor' })],
    },
  },
];

// ------------------------------------------------------------------ rule references

type Problem = { path: string; message: string };

function resolveSpan(spec: SpanSpec, rules: LegalRules, path: string, problems: Problem[]): Span {
  if (!('rule' in spec)) return spec;
  const r = (rules as Record<string, LegalRules[keyof LegalRules] | undefined>)[spec.rule];
  if (!r || r.kind !== 'period') {
    problems.push({ path, message: `${spec.rule} is not a period of the legal rules` });
    return { count: 0, unit: 'calendarDays' };
  }
  if (r.unit !== 'workingDays' && r.unit !== 'calendarDays') {
    problems.push({ path, message: `${spec.rule} is in ${r.unit}; a service level counts days` });
    return { count: 0, unit: 'calendarDays' };
  }
  return { count: r.value, unit: r.unit };
}

function resolveAction(a: EscalationActionSpec, rules: LegalRules, path: string, problems: Problem[]): EscalationAction {
  return a.kind === 'supervise' ? { ...a, dueIn: resolveSpan(a.dueIn, rules, `${path}.dueIn`, problems) } : a;
}

/** Whether a level's deadline is a legal period or an office target, from the rule it names. */
function basisOf(deadline: SpanSpec, rules: LegalRules): Pick<ServiceLevel, 'basis' | 'basisSource'> {
  if (!('rule' in deadline)) return { basis: 'office', basisSource: null };
  const r = (rules as Record<string, LegalRules[keyof LegalRules] | undefined>)[deadline.rule];
  if (!r) return { basis: 'office', basisSource: null };
  // The registry marks its office targets in their notes (办公室目标，非法定期限).
  return { basis: /非法定/.test(r.note) ? 'office' : 'statutory', basisSource: r.source };
}

/** A level with its rule references replaced by the rules' figures. */
function resolveLevel(l: ServiceLevelSpec, rules: LegalRules, problems: Problem[]): ServiceLevel {
  const p = `serviceLevels.${l.id}`;
  const span = (s: SpanSpec, name: string) => resolveSpan(s, rules, `${p}.${name}`, problems);
  return {
    ...l,
    ...basisOf(l.deadline, rules),
    deadline: span(l.deadline, 'deadline'), goal: span(l.goal, 'goal'), red: span(l.red, 'red'),
    passedDeadline: { every: span(l.passedDeadline.every, 'passedDeadline.every'), repeat: l.passedDeadline.repeat },
    actions: {
      goal: l.actions.goal.map((a, i) => resolveAction(a, rules, `${p}.actions.goal.${i}`, problems)),
      deadline: l.actions.deadline.map((a, i) => resolveAction(a, rules, `${p}.actions.deadline.${i}`, problems)),
      passedDeadline: l.actions.passedDeadline.map((x, i) => ({ action: resolveAction(x.action, rules, `${p}.actions.passedDeadline.${i}`, problems), fromRepeat: x.fromRepeat })),
    },
  };
}

const NATIONAL_RULES = DEFAULT_LEGAL_RULES as unknown as LegalRules;

/** The default levels with the national figures of the rules they name. */
export const DEFAULT_SERVICE_LEVELS: readonly ServiceLevel[] = SERVICE_LEVEL_SPECS.map((l) => resolveLevel(l, NATIONAL_RULES, []));

// ------------------------------------------------------------------ overrides

export class InvalidServiceLevelsError extends Error {
  constructor(readonly problems: { path: string; message: string }[], origin: string) {
    super(`Invalid ${origin}:\n` + problems.map((p) => `  ${p.path}: ${p.message}`).join('\n'));
    this.name = 'InvalidServiceLevelsError';
  }
}

const figure = z.strictObject({ count: z.number().int().min(0).max(400), unit: z.enum(['workingDays', 'calendarDays']) });
const span: z.ZodType<SpanSpec> = z.union([figure, z.strictObject({ rule: z.string().min(1).max(100) as unknown as z.ZodType<PeriodRuleId> })]);
const action: z.ZodType<EscalationActionSpec> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('notifyAssignee') }),
  z.strictObject({ kind: z.literal('notifySupervisor') }),
  z.strictObject({ kind: z.literal('raisePriority'), by: z.number().int().min(1).max(100) }),
  z.strictObject({ kind: z.literal('reassignToGroup'), group: z.string().min(1).max(64) }),
  z.strictObject({ kind: z.literal('supervise'), dueIn: span, owner: z.string().min(1).max(64) }),
]);
const names = z.array(z.string().min(1).max(255)).min(1);
/** A deadline is named by its legal rule's id; a file naming a camelCase name of before is refused, not silently unmatched. */
const deadlineIds = z.array(z.enum(CONTRACT_RULES, { message: 'not a deadline id: a deadline is named by its legal rule (src/config/legal-rules.ts)' })).min(1);
const levelOverride = z.strictObject({
  title: z.string().min(1).max(100).optional(),
  appliesTo: z.strictObject({
    subject: z.enum(['task', 'deadline']).default('task'),
    elementIds: names.optional(), formIds: names.optional(), bpmnProcessIds: names.optional(),
    routes: names.optional(), claimCategories: names.optional(), deadlineRules: deadlineIds.optional(),
  }).optional(),
  deadline: span.optional(),
  goal: span.optional(),
  red: span.optional(),
  passedDeadline: z.strictObject({ every: span.refine((s) => 'rule' in s || s.count > 0, 'an interval of at least one day'), repeat: z.number().int().min(0).max(20) }).optional(),
  actions: z.strictObject({
    goal: z.array(action).optional(),
    deadline: z.array(action).optional(),
    passedDeadline: z.array(z.strictObject({ action, fromRepeat: z.number().int().min(1).default(1) })).optional(),
  }).optional(),
});
const fileSchema = z.strictObject({ serviceLevels: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,63}$/), levelOverride) });

/**
 * The effective service levels: the defaults with `overrides` (parsed JSON or its text) applied, and
 * every rule reference resolved against `rules` (the installation's legal rules; national by default).
 */
export function loadServiceLevels(overrides?: unknown, origin = 'service levels', rules: LegalRules = NATIONAL_RULES): ServiceLevel[] {
  const input = parseOverrideText(overrides, origin, InvalidServiceLevelsError);
  const levels: ServiceLevelSpec[] = SERVICE_LEVEL_SPECS.map((l) => structuredClone(l));
  const resolved = (problems: Problem[]) => {
    const out = levels.map((l) => resolveLevel(l, rules, problems));
    if (problems.length) throw new InvalidServiceLevelsError(problems, origin);
    return out;
  };
  if (input === undefined || input === null) return resolved([]);
  const parsed = fileSchema.safeParse(input);
  if (!parsed.success) throw new InvalidServiceLevelsError(schemaProblems(parsed.error), origin);
  const problems: Problem[] = [];
  const base = levels.find((l) => l.id === 'default')!;
  for (const [id, o] of Object.entries(parsed.data.serviceLevels)) {
    const existing = levels.find((l) => l.id === id);
    if (!existing && (!o.title || !o.appliesTo)) {
      problems.push({ path: `serviceLevels.${id}`, message: 'a new service level needs title and appliesTo' });
      continue;
    }
    const target: ServiceLevelSpec = existing ?? { ...structuredClone(base), id, title: o.title!, appliesTo: o.appliesTo! };
    if (o.title) target.title = o.title;
    if (o.appliesTo) target.appliesTo = o.appliesTo;
    if (o.deadline) target.deadline = o.deadline;
    if (o.goal) target.goal = o.goal;
    if (o.red) target.red = o.red;
    if (o.passedDeadline) target.passedDeadline = o.passedDeadline;
    if (o.actions) target.actions = { ...target.actions, ...o.actions };
    if (target.id === 'default' && Object.keys(target.appliesTo).some((k) => k !== 'subject')) {
      problems.push({ path: `serviceLevels.default.appliesTo`, message: 'the default level applies to every task' });
    }
    if (!existing) levels.push(target);
  }
  if (problems.length) throw new InvalidServiceLevelsError(problems, origin);
  return resolved(problems);
}

/** The service-levels file beside the legal-rules file, when there is one. */
export function serviceLevelsFileFor(legalRulesFile: string | undefined): string | null {
  if (!legalRulesFile) return null;
  const file = path.join(path.dirname(legalRulesFile), 'service-levels.json');
  return fs.existsSync(file) ? file : null;
}

export function loadServiceLevelsFile(file: string | null, rules?: LegalRules): ServiceLevel[] {
  if (!file) return loadServiceLevels(undefined, undefined, rules);
  const origin = `service levels file ${file}`;
  return loadServiceLevels(readOverrideFile(file, origin, InvalidServiceLevelsError), origin, rules);
}

// ------------------------------------------------------------------ matching

export interface TaskFacts {
  elementId: string;
  formId: string | null;
  bpmnProcessId: string;
  route: string | null;
  claimCategories: string[];
}

const criteriaCount = (l: ServiceLevel) =>
  (['elementIds', 'formIds', 'bpmnProcessIds', 'routes', 'claimCategories', 'deadlineRules'] as const).filter((k) => l.appliesTo[k]?.length).length;

/** The level of a task: the matching level that names the most criteria. */
export function levelForTask(levels: readonly ServiceLevel[], t: TaskFacts): ServiceLevel {
  let best: ServiceLevel | null = null;
  for (const l of levels) {
    const a = l.appliesTo;
    if (a.subject !== 'task') continue;
    if (a.elementIds?.length && !a.elementIds.includes(t.elementId)) continue;
    if (a.formIds?.length && !(t.formId && a.formIds.includes(t.formId))) continue;
    if (a.bpmnProcessIds?.length && !a.bpmnProcessIds.includes(t.bpmnProcessId)) continue;
    if (a.routes?.length && !(t.route && a.routes.includes(t.route))) continue;
    if (a.claimCategories?.length && !t.claimCategories.some((c) => a.claimCategories!.includes(c))) continue;
    if (!best || criteriaCount(l) > criteriaCount(best)) best = l;
  }
  return best ?? levels.find((l) => l.id === 'default') ?? DEFAULT_SERVICE_LEVELS[0];
}

/** The level of a statutory deadline of a case, or null when no level covers its rule. */
export function levelForDeadline(levels: readonly ServiceLevel[], rule: string): ServiceLevel | null {
  return levels.find((l) => l.appliesTo.subject === 'deadline' && l.appliesTo.deadlineRules?.includes(rule)) ?? null;
}
