/**
 * The legal periods, thresholds and office targets the case lifecycles apply, as settings: each has a
 * national default with its legal source, and an installation may override it (its province's figures,
 * a local agreement with the court, an office's own targets) in a JSON file validated here. Code asks
 * for a rule by id; no period or amount is written into a workflow or worker.
 *
 * Override file (e.g. DATA_DIR/legal-rules.json):
 *   {
 *     "rules":   { "criminal.singleWorker.minAmount": 10000,
 *                  "preservation.courtRuling": { "value": 3, "unit": "workingDays", "source": "市法院、检察院、人社局诉前财产保全指导意见" } },
 *     "offices": { "<office code>": { "wageArrears.closure": { "value": 5, "note": "本队目标" } } }
 *   }
 * A value alone keeps the default's unit and source; an object may also change the unit (within the
 * rule's kind), the source and the note. Unknown ids, wrong types and figures outside the range the
 * law allows are refused, every problem listed at once.
 *
 * This is the one registry of legal figures: deadlines (src/cases/case-deadlines.ts), workers, the
 * public-notice period of service (src/documents/documents.ts) and the service levels
 * (src/supervision/service-levels.ts, `{ rule: '<id>' }`) name a rule by its id; diagram labels, forms
 * and templates state no figure of their own. test/unit/config/legal-rules-registry.test.ts fails on
 * a rule nothing reads and on such a figure written as a literal.
 */
import { z } from 'zod';
import { parseOverrideText, readOverrideFile, schemaProblems } from './override-file';

export type PeriodUnit = 'workingDays' | 'calendarDays' | 'hours' | 'months' | 'years';
export const PERIOD_UNITS: readonly PeriodUnit[] = ['workingDays', 'calendarDays', 'hours', 'months', 'years'];

interface RuleBase {
  /** What the rule is, in the UI's language. */
  title: string;
  /** Law and article, e.g. '行政处罚法 第64条第1款第2项、第85条'. */
  source: string;
  note: string;
}

export interface PeriodRule extends RuleBase {
  kind: 'period';
  value: number;
  unit: PeriodUnit;
  /**
   * A period in calendar days, months or years whose last day is a rest day ends on the next working
   * day (民法典 第203条; 民事诉讼法 第85条). Off only where the period is not a time limit for acting.
   */
  extendIfEndsOnHoliday: boolean;
  /** The units an override may choose, where the reader can count only in these; any unit when absent. */
  units?: readonly PeriodUnit[];
}

export interface AmountRule extends RuleBase {
  kind: 'amount';
  value: number;
  unit: 'yuan';
  /** Where the law leaves the figure to the province: the interval it must stay in. */
  range?: readonly [number, number];
}

export interface CountRule extends RuleBase {
  kind: 'count';
  value: number;
  unit: 'workers' | 'months' | 'complaints' | 'times';
}

export interface RateRule extends RuleBase {
  kind: 'rate';
  value: number;
  /** percentPerDay: % of the base per day; multipleOfBase: a cap as a multiple of the base. */
  unit: 'percentPerDay' | 'multipleOfBase' | 'percent';
}

export type LegalRule = PeriodRule | AmountRule | CountRule | RateRule;

const period = (title: string, value: number, unit: PeriodUnit, source: string, note = '', extendIfEndsOnHoliday = true): PeriodRule =>
  ({ kind: 'period', title, value, unit, source, note, extendIfEndsOnHoliday });
const yuan = (title: string, value: number, source: string, note = '', range?: readonly [number, number]): AmountRule =>
  ({ kind: 'amount', title, value, unit: 'yuan', source, note, ...(range ? { range } : {}) });
const count = (title: string, value: number, unit: CountRule['unit'], source: string, note = ''): CountRule =>
  ({ kind: 'count', title, value, unit, source, note });
const rate = (title: string, value: number, unit: RateRule['unit'], source: string, note = ''): RateRule =>
  ({ kind: 'rate', title, value, unit, source, note });

const 条例 = '劳动保障监察条例';
const 处罚法 = '行政处罚法';
const 移送规定 = '行政执法机关移送涉嫌犯罪案件的规定';
const 法释 = '最高人民法院关于审理拒不支付劳动报酬刑事案件适用法律若干问题的解释（法释〔2013〕3号）';
const 令45号 = '拖欠农民工工资失信联合惩戒对象名单管理暂行办法（人社部令第45号）';
const WORKING_DAYS_85 = '行政处罚法第85条：本法中“二日”“三日”“五日”“七日”的规定是指工作日，不含法定节假日。';

/** National defaults. Ids are stable: workflows, workers and stored deadlines refer to them. */
export const DEFAULT_LEGAL_RULES = {
  // Intake (诉前引导) and registration
  'intake.acceptanceDecision': period('投诉受理决定', 5, 'workingDays', '关于实施《劳动保障监察条例》若干规定 第18条',
    '自接到投诉之日起5个工作日内决定是否受理；受理之日立案。'),
  'intake.limitation': period('违法行为查处时效', 2, 'years', `${条例} 第20条`,
    '违法行为2年内未被发现、也未被举报投诉的不再查处；有连续或继续状态的，自行为终了之日起计算。这是回溯的时效区间，不是当事人的行为期限，故末日不顺延。', false),
  'intake.completion': period('补正材料期限', 15, 'calendarDays', '关于实施《劳动保障监察条例》若干规定 第18条',
    '材料不全的，通知投诉人补正；补正期限由本机关确定，默认15日。'),
  // Investigation
  'investigation.warning': period('调查期限预警提前量', 10, 'workingDays', '本机关督办要求',
    '办案期限届满前多少个工作日开始预警并提示申请延长；办公室目标，非法定期限。', false),
  'investigation.limit': period('调查办结期限', 60, 'workingDays', `${条例} 第17条`, '自立案之日起60个工作日内完成调查。'),
  'investigation.extension': period('调查延长期限', 30, 'workingDays', `${条例} 第17条`, '情况复杂的，经劳动保障行政部门负责人批准，可以延长30个工作日。'),
  'correction.refusalFine.min': yuan('拒不改正罚款下限', 2000, `${条例} 第30条第1款第3项`, '经责令改正拒不改正或拒不履行行政处理决定的，处2000元以上2万元以下罚款。'),
  'correction.refusalFine.max': yuan('拒不改正罚款上限', 20000, `${条例} 第30条第1款第3项`),
  // Punishment (行政处罚法, 2021)
  'punishment.decision': period('作出行政处罚决定期限', 90, 'calendarDays', `${处罚法} 第60条`,
    '自立案之日起90日内作出处罚决定（法律、法规、规章另有规定的从其规定）；与调查期限并行跟踪，取较早者预警。'),
  'punishment.decisionWarning': period('处罚决定期限预警提前量', 15, 'calendarDays', '本机关督办要求',
    '90日处罚决定期限届满前多少日开始预警；办公室目标，非法定期限。', false),
  'punishment.hearingRequest': period('听证申请期限', 5, 'workingDays', `${处罚法} 第64条第1项、第85条`, `告知后5日内提出。${WORKING_DAYS_85}`),
  'punishment.hearingNotice': period('听证通知提前期', 7, 'workingDays', `${处罚法} 第64条第2项、第85条`,
    `应在举行听证的7日前通知当事人及有关人员听证的时间、地点。${WORKING_DAYS_85}`),
  'punishment.finePayment': period('罚款缴纳期限', 15, 'calendarDays', `${处罚法} 第67条第3款`, '自收到行政处罚决定书之日起15日内缴纳罚款。'),
  'punishment.lateFeeRate': rate('加处罚款比例', 3, 'percentPerDay', `${处罚法} 第72条第1款第1项`, '到期不缴纳罚款的，每日按罚款数额的3%加处罚款。'),
  'punishment.lateFeeCap': rate('加处罚款上限', 1, 'multipleOfBase', `${处罚法} 第72条第1款第1项`, '加处罚款的数额不得超出罚款的数额。'),
  'punishment.hearingThreshold.organisation': yuan('听证较大数额罚款（单位）', 20000, `${处罚法} 第63条第1款第1项；省级规定`,
    '“较大数额罚款”由各省规定；默认值为示例，须按本省规定设置。'),
  'punishment.hearingThreshold.individual': yuan('听证较大数额罚款（个人）', 5000, `${处罚法} 第63条第1款第1项；省级规定`,
    '“较大数额罚款”由各省规定；默认值为示例，须按本省规定设置。'),
  'enforcement.eligible': period('申请强制执行的起算等待期', 6, 'months', '行政复议法 第20条（60日）；行政诉讼法 第46条（6个月）',
    '当事人在法定期限内不申请复议、不起诉又不履行的，方可申请法院强制执行；取二者中较长的6个月。'),
  'enforcement.application': period('申请法院强制执行期限', 3, 'months', '行政强制法 第53条', '自期限届满之日起3个月内申请人民法院强制执行。'),
  // Service (民事诉讼法, 2023)
  // Service is effective at the instant the period has run (not a time limit for acting), so it is
  // counted as elapsed time: calendar days or hours.
  'service.publicNotice': {
    ...period('公告送达生效期', 30, 'calendarDays', '民事诉讼法 第95条', '自发出公告之日起，经过30日即视为送达。', false),
    units: ['calendarDays', 'hours'],
  },
  // Referral to the police (移送规定, 2020); the 规定 does not make its 日 working days
  'police.headApproval': period('移送审批期限', 3, 'calendarDays', `${移送规定} 第5条`, '正职负责人或主持工作的负责人自接到报告之日起3日内作出批准移送或不批准移送的决定。'),
  'police.transfer': period('移送期限', 24, 'hours', `${移送规定} 第6条`, '批准移送的，应在24小时内向同级公安机关移送。'),
  'police.decision': period('公安机关立案审查期限', 3, 'calendarDays', `${移送规定} 第8条`, '公安机关自接受移送之日起3日内决定是否立案，并书面通知移送机关。'),
  'police.reconsiderationRequest': period('提请复议期限', 3, 'calendarDays', `${移送规定} 第9条`, '自接到不予立案通知书之日起3日内提请复议。'),
  'police.reconsiderationAnswer': period('复议决定期限', 3, 'calendarDays', `${移送规定} 第9条`, '公安机关自收到提请复议文件之日起3日内作出决定；对复议决定仍有异议的，可建议检察院立案监督。'),
  // Asset preservation before suit
  'preservation.courtRuling': period('法院保全裁定期限', 48, 'hours', '民事诉讼法 第104条第2款',
    '人民法院接受诉前保全申请后，必须在48小时内作出裁定。地方协议另有约定的（如《打造劳动保障监察一小时维权服务圈的探索和研究报告》：3个工作日），在设置中改为该期限。'),
  'preservation.suitWithin': period('保全后起诉或申请仲裁期限', 30, 'calendarDays', '民事诉讼法 第104条第3款', '采取保全措施后30日内不起诉或申请仲裁的，法院解除保全。'),
  // Criminal referral threshold (刑法 第276条之一)
  'criminal.singleWorker.minMonths': count('一名劳动者拖欠月数下限', 3, 'months', `${法释} 第3条第1项`, '拒不支付一名劳动者三个月以上的劳动报酬。'),
  'criminal.singleWorker.minAmount': yuan('一名劳动者“数额较大”标准', 5000, `${法释} 第3条第1项、第2款`,
    '各省高级人民法院在5000元至20000元幅度内确定本地标准。默认取下限：系统只是“提示可以移送”，取下限不致漏提示；须改为本省标准。', [5000, 20000]),
  'criminal.multiWorker.minWorkers': count('多名劳动者人数下限', 10, 'workers', `${法释} 第3条第2项`, '拒不支付十名以上劳动者的劳动报酬。'),
  'criminal.multiWorker.minTotal': yuan('十名以上劳动者累计“数额较大”标准', 30000, `${法释} 第3条第2项、第2款`,
    '各省高级人民法院在30000元至100000元幅度内确定本地标准。默认取下限，理由同上；须改为本省标准。', [30000, 100000]),
  // Office targets for wage arrears (seed 001): set per office
  'wageArrears.registration': period('欠薪案件立案目标', 0, 'calendarDays', '地方工作要求（《打造劳动保障监察一小时维权服务圈的探索和研究报告》：“当天立案”）', '办公室目标，非法定期限；0 = 受理当日。', false),
  'wageArrears.closure': period('欠薪案件结案目标', 7, 'calendarDays', '地方工作要求（《打造劳动保障监察一小时维权服务圈的探索和研究报告》：“7日结案”）', '办公室目标，非法定期限；自立案起算。', false),
  // Prevention (两网化): patrols by credit grade, three-colour warnings, office targets (seeds 000, 001, 004)
  'patrol.interval.default': period('日常巡查间隔（未评级）', 90, 'calendarDays', '劳动保障监察条例 第14条；本机关巡查计划',
    '每户用人单位两次日常巡查之间的最长间隔；尚未评定守法诚信等级的单位适用。办公室设置，非法定期限。', false),
  'patrol.interval.A': period('日常巡查间隔（A级）', 180, 'calendarDays', '企业劳动保障守法诚信等级评价办法（人社部，2016）',
    'A级单位适当减少日常巡视检查频次。办公室设置，非法定期限。', false),
  'patrol.interval.B': period('日常巡查间隔（B级）', 90, 'calendarDays', '企业劳动保障守法诚信等级评价办法（人社部，2016）',
    'B级单位按常规频次巡查。办公室设置，非法定期限。', false),
  'patrol.interval.C': period('日常巡查间隔（C级）', 30, 'calendarDays', '企业劳动保障守法诚信等级评价办法（人社部，2016）',
    'C级单位列为重点监察对象，增加日常巡视检查频次。办公室设置，非法定期限。', false),
  'patrol.followUp': period('现场责令改正后复查期限', 10, 'calendarDays', '劳动保障监察条例 第14条、第18条；本机关工作要求',
    '巡查中现场责令改正的，自责令之日起经过该期限进行复查。办公室设置，非法定期限。', false),
  'warning.lookback': period('预警规则回溯期', 12, 'months', '市人社局劳动保障监察维权服务工作材料（黑名单情形：“一年内被投诉举报两次以上”）',
    '预警规则统计投诉的时间范围：自当日往前推算。', false),
  'warning.minArrearsAmount': yuan('一次性拖欠工资数额预警线', 100000, '市人社局劳动保障监察维权服务工作材料（“拖欠农民工工资数额一次性达到10万元以上”）',
    '一宗投诉拖欠数额达到该数额的，发出红色预警。'),
  'warning.minComplaints': count('一年内投诉次数预警线', 2, 'complaints', '市人社局劳动保障监察维权服务工作材料（“一年内被投诉举报两次以上”）',
    '回溯期内欠薪投诉达到该次数的，发出橙色预警；一次欠薪投诉发出黄色预警。'),
  'warning.maxWorkers': count('一次性拖欠人数预警线', 20, 'workers', '市人社局劳动保障监察维权服务工作材料（“拖欠农民工工资人数一次性超过20人以上”）',
    '一宗投诉涉及人数超过该人数的，发出红色预警。'),
  'warning.handling.yellow': period('黄色预警处置期限', 5, 'workingDays', '《打造劳动保障监察一小时维权服务圈的探索和研究报告》（“二级网格处理、一级网格管理、监察大队跟踪”）；本机关工作要求',
    '黄色预警由二级网格（社区、村）处置；期满未处置的升为橙色，交一级网格。办公室设置，非法定期限。'),
  'warning.handling.orange': period('橙色预警处置期限', 3, 'workingDays', '《打造劳动保障监察一小时维权服务圈的探索和研究报告》（“二级网格处理、一级网格管理、监察大队跟踪”）；本机关工作要求',
    '橙色预警由一级网格（街道）处置；期满未处置的升为红色，交监察大队。办公室设置，非法定期限。'),
  'warning.handling.red': period('红色预警处置期限', 2, 'workingDays', '《打造劳动保障监察一小时维权服务圈的探索和研究报告》（“二级网格处理、一级网格管理、监察大队跟踪”“四个一”）；本机关工作要求',
    '红色预警由监察大队跟踪，落实“四个一”；期满未处置的再次提醒大队。办公室设置，非法定期限。'),
  'gridTarget.supervised.launch': rate('网格监管覆盖率目标（启动阶段）', 30, 'percent', '《建立城乡劳动保障监察体系方案》六（二）启动阶段', '实现网格监管的用人单位占比。'),
  'gridTarget.supervised.advance': rate('网格监管覆盖率目标（推进阶段）', 80, 'percent', '《建立城乡劳动保障监察体系方案》六（三）推进阶段', '实现网格监管的用人单位占比。'),
  'gridTarget.supervised.complete': rate('网格监管覆盖率目标（健全阶段）', 100, 'percent', '《建立城乡劳动保障监察体系方案》六（四）健全阶段', '全部实现对用人单位的网格监管。'),
  'gridTarget.collection.launch': rate('信息采集率目标（启动阶段）', 30, 'percent', '《建立城乡劳动保障监察体系方案》六（二）启动阶段', '网格用人单位信息采集率。'),
  'gridTarget.collection.advance': rate('信息采集率目标（推进阶段）', 70, 'percent', '《建立城乡劳动保障监察体系方案》六（三）推进阶段', '网格用人单位信息采集率。'),
  'gridTarget.collectionCurrency': period('用人单位信息有效期', 12, 'months', '《建立城乡劳动保障监察体系方案》五（三）3（“及时采集和维护本辖区内各用人单位的劳动保障基本信息档案”）',
    '必填信息齐全且在该期限内采集或核实过的档案，计入信息采集率。办公室设置，非法定期限。', false),
  'gridTarget.collection.complete': rate('信息采集率目标（健全阶段）', 90, 'percent', '《建立城乡劳动保障监察体系方案》六（四）健全阶段', '网格用人单位信息采集率。'),
  // Staffing norms per grid (seed 000 二（二）). The grids table has no village flag, so every level-2 grid
  // is counted as a community (2 people, 1 of them a 协管员); a village's norm (1 协管员) would need one.
  'gridNorm.streetInspectors': count('街道（一级网格）兼职监察员配备数', 2, 'workers', '《建立城乡劳动保障监察体系方案》二（二）', '每个街道劳动保障监察中队配备的兼职监察员人数。'),
  'gridNorm.communityStaff': count('社区（二级网格）监察员配备数', 2, 'workers', '《建立城乡劳动保障监察体系方案》二（二）', '每个社区劳动保障监察工作站配备的监察员人数，其中含协管监察员。'),
  'gridNorm.communityAssistants': count('社区（二级网格）协管员配备数', 1, 'workers', '《建立城乡劳动保障监察体系方案》二（二）', '社区工作站监察员中的协管监察员人数。'),
  'gridTarget.inspectorStaffing.launch': rate('专兼职监察员配备率目标（启动阶段）', 85, 'percent', '《建立城乡劳动保障监察体系方案》六（二）启动阶段', '专、兼职监察员实有人数占配备定额的比例。'),
  'gridTarget.inspectorStaffing.advance': rate('专兼职监察员配备率目标（推进阶段）', 90, 'percent', '《建立城乡劳动保障监察体系方案》六（三）推进阶段', '专职监察员配备率。'),
  'gridTarget.inspectorStaffing.complete': rate('专兼职监察员配备率目标（健全阶段）', 100, 'percent', '《建立城乡劳动保障监察体系方案》六（四）健全阶段（“配齐专职监察员和协管员”）', '配齐监察员。'),
  'gridTarget.assistantStaffing.launch': rate('协管员配备率目标（启动阶段）', 75, 'percent', '《建立城乡劳动保障监察体系方案》六（二）启动阶段', '协管员实有人数占配备定额的比例。'),
  'gridTarget.assistantStaffing.advance': rate('协管员配备率目标（推进阶段）', 90, 'percent', '《建立城乡劳动保障监察体系方案》六（三）推进阶段', '协管员配备率。'),
  'gridTarget.assistantStaffing.complete': rate('协管员配备率目标（健全阶段）', 100, 'percent', '《建立城乡劳动保障监察体系方案》六（四）健全阶段（“配齐专职监察员和协管员”）', '配齐协管员。'),
  'gridTarget.assistantTraining.launch': rate('协管员受训率目标（启动阶段）', 85, 'percent', '《建立城乡劳动保障监察体系方案》六（二）启动阶段', '有培训记录的协管员占在岗协管员的比例。'),
  'gridTarget.assistantTraining.advance': rate('协管员受训率目标（推进阶段）', 100, 'percent', '《建立城乡劳动保障监察体系方案》六（三）推进阶段', '协管员全部受训。'),
  'gridTarget.assistantTraining.complete': rate('协管员受训率目标（健全阶段）', 100, 'percent', '《建立城乡劳动保障监察体系方案》六（三）推进阶段（健全阶段未另定，沿用）', '协管员全部受训。'),
  // Credit supervision: the wage-arrears joint-discipline list (人社部令第45号) and A/B/C grading (2016)
  'blacklist.defence': period('拟列入失信名单陈述申辩期限', 5, 'workingDays', 令45号,
    '作出列入决定前书面告知拟列入的事由、依据和陈述申辩权利；当事人自收到告知书之日起5个工作日内陈述申辩。逾期提出的，记为逾期，仍由法制人员在列入决定中说明是否采纳。'),
  'blacklist.decision': period('作出列入决定期限', 20, 'workingDays', 令45号, '自责令限期支付的期限届满之日起20个工作日内作出列入决定。'),
  'blacklist.decisionExtension': period('列入决定延长期限', 20, 'workingDays', 令45号, '情况复杂的，经机关负责人批准，可以延长20个工作日。'),
  'blacklist.listingTerm': period('失信名单列入期限', 3, 'years', 令45号, '列入名单的期限为3年，期满由作出列入决定的机关移出。', false),
  'blacklist.repairMinListed': period('申请信用修复的最短列入时间', 6, 'months', 令45号,
    '已改正拖欠工资行为、列入名单满6个月并作出守信承诺的，可以申请提前移出（信用修复）。', false),
  'blacklist.repairDecision': period('信用修复决定期限', 15, 'workingDays', 令45号, '自收到信用修复申请之日起15个工作日内作出决定。'),
  'credit.violationsForC': count('评为C级的违法次数', 3, 'times', '企业劳动保障守法诚信等级评价办法（人社部，2016）',
    '评价年度内因劳动保障违法行为被查处达到该次数的，评为C级。'),
  // Random inspections (双随机、一公开) and the publication of major violations (人社部令第29号)
  'draw.proportion': rate('双随机抽查比例', 5, 'percent', '国务院办公厅关于推广随机抽查规范事中事后监管的通知（国办发〔2015〕58号）；本机关年度抽查计划',
    '每次抽取的用人单位占名录库的比例；抽查时未另行指定比例的，按此比例。本机关设置，非法定比例。'),
  'draw.weight.A': rate('抽查权重（A级）', 1, 'multipleOfBase', '企业劳动保障守法诚信等级评价办法（人社部，2016）：按等级实施分类监管', 'A级用人单位被抽中的相对权重；本机关设置。'),
  'draw.weight.B': rate('抽查权重（B级）', 2, 'multipleOfBase', '企业劳动保障守法诚信等级评价办法（人社部，2016）：按等级实施分类监管', 'B级用人单位被抽中的相对权重；本机关设置。'),
  'draw.weight.C': rate('抽查权重（C级）', 4, 'multipleOfBase', '企业劳动保障守法诚信等级评价办法（人社部，2016）：C级列为重点监控对象', 'C级用人单位被抽中的相对权重；本机关设置。'),
  'draw.weight.ungraded': rate('抽查权重（未评级）', 2, 'multipleOfBase', '本机关年度抽查计划', '尚无最终等级的用人单位被抽中的相对权重；本机关设置。'),
  'draw.inspectorsPerEmployer': count('每户抽派监察员人数', 2, 'workers', `${条例} 第16条`, '劳动保障监察员进行调查、检查，不得少于2人。'),
  'draw.publication': period('抽查结果公示期限', 20, 'workingDays', '国务院办公厅关于推广随机抽查规范事中事后监管的通知（国办发〔2015〕58号）；人社部推行“双随机、一公开”工作要求',
    '抽查检查结束后20个工作日内向社会公开抽查情况和查处结果。'),
  'publication.arrearsAmount': yuan('重大违法社会公布：拖欠工资数额较大标准', 100000, '重大劳动保障违法行为社会公布办法（人社部令第29号）第5条第1项；省级规定',
    '克扣、无故拖欠劳动者劳动报酬数额较大的予以公布；“数额较大”由各省规定，默认值为示例（市人社局劳动保障监察维权服务工作材料：一次拖欠10万元以上）。'),
  'credit.gradingObjection': period('C级评价结果异议期限', 10, 'workingDays', '企业劳动保障守法诚信等级评价办法（人社部，2016）',
    '评为C级的，书面告知用人单位评价结果及事由；用人单位可在告知后该期限内提出异议。办法未规定天数，此为默认值，以本省实施细则为准。逾期提出的，记为逾期，不予复核，书面答复。'),
  'credit.gradingObjectionDecision': period('C级评价异议复核期限', 15, 'workingDays', '企业劳动保障守法诚信等级评价办法（人社部，2016）',
    '异议期限届满后该期限内对收到的异议作出复核决定并书面答复。办法未规定天数，此为默认值，以本省实施细则为准。'),
  // The annual written review (书面审查, 条例 第14条): the office sets its periods in its review plan
  'writtenReview.submission': period('书面审查材料报送期限', 30, 'calendarDays', `${条例} 第14条；本机关年度书面审查工作方案`,
    '用人单位自书面审查通知书发出之日起在该期限内报送上年度遵守劳动保障法律法规情况的书面材料；期限由本机关在工作方案中确定，默认30日。'),
  'writtenReview.reminder': period('书面审查催报期限', 10, 'workingDays', `${条例} 第14条；本机关年度书面审查工作方案`,
    '报送期限届满未报送的，发出催报通知书，限期补报；逾期仍未报送的，记为未报送，作为违法线索并计入诚信档案。'),
  'writtenReview.correction': period('书面审查限期改正期限', 30, 'calendarDays', `${条例} 第18条；关于实施《劳动保障监察条例》若干规定 第24条`,
    '书面审查或实地核查发现违法行为、可以责令改正的，责令限期改正；期限由本机关确定，默认30日，届满复查。'),
  'writtenReview.sampleRate': rate('书面审查实地核查抽样比例', 10, 'percent', '本机关年度书面审查工作方案（《建立城乡劳动保障监察体系方案》：网格开展书面审查的实地核查）',
    '审查未发现疑点的用人单位，按此比例随机抽取进行实地核查；审查发现疑点的一律核查。'),
} as const satisfies Record<string, LegalRule>;

/**
 * Deadline ids. A case deadline is named by the id of the legal rule it applies, everywhere: the
 * diagrams' `deadline.compute` header `rule`, their expressions, `case_deadlines.rule`, the service
 * levels, mail purposes and forms. The process variable `deadlines` nests by the dotted id, so a diagram
 * reads `deadlines.police.decision.dueAt` — valid FEEL, and it says which rule it waits on. Nesting was
 * chosen over camelCase registry ids because the registry's ids are what installations' override files
 * and every other reader already name; a nested path keeps them all and changes only the deadlines.
 * No deadline id is the prefix of another (a deadline is a leaf of `deadlines`).
 *
 * A few deadlines are not one rule's period run from one event; each is a variant declared here, next to
 * the rules, with the rules it counts by (none when the period is set by a document, not the law).
 */
export const DEADLINE_VARIANTS = {
  'investigation.extensionApproved': { title: '调查办结期限（经批准延长）', rules: ['investigation.limit', 'investigation.extension'] },
  'closure.target': { title: '结案目标', rules: ['wageArrears.closure', 'investigation.limit'] },
  'correction.period': { title: '限期改正期限', rules: [] },
} as const satisfies Record<string, { title: string; rules: readonly string[] }>;

export type DeadlineVariantId = keyof typeof DEADLINE_VARIANTS;

type Defaults = typeof DEFAULT_LEGAL_RULES;
export type LegalRuleId = keyof Defaults;
export type PeriodRuleId = { [K in LegalRuleId]: Defaults[K]['kind'] extends 'period' ? K : never }[LegalRuleId];
export type AmountRuleId = { [K in LegalRuleId]: Defaults[K]['kind'] extends 'amount' ? K : never }[LegalRuleId];

/** The effective rules: every id present, overrides applied. */
export type LegalRules = {
  readonly [K in LegalRuleId]: Defaults[K]['kind'] extends 'period' ? PeriodRule
    : Defaults[K]['kind'] extends 'amount' ? AmountRule
      : Defaults[K]['kind'] extends 'count' ? CountRule : RateRule;
};

export interface LegalRuleSet {
  /** Installation-wide rules. */
  rules: LegalRules;
  /** Per-office overrides by office code, already merged over `rules`. */
  offices: Readonly<Record<string, LegalRules>>;
}

export interface LegalRulesProblem {
  path: string;
  message: string;
}

export class InvalidLegalRulesError extends Error {
  constructor(readonly problems: LegalRulesProblem[], origin = 'legal rules') {
    super(`Invalid ${origin}:\n` + problems.map((p) => `  ${p.path}: ${p.message}`).join('\n'));
    this.name = 'InvalidLegalRulesError';
  }
}

const overrideValue = z.union([
  z.number(),
  z.object({
    value: z.number(),
    unit: z.string().optional(),
    source: z.string().min(1).max(300).optional(),
    note: z.string().max(1000).optional(),
    extendIfEndsOnHoliday: z.boolean().optional(),
  }).strict(),
]);
const overridesSchema = z.record(z.string(), overrideValue);
const fileSchema = z.object({
  rules: overridesSchema.optional(),
  offices: z.record(z.string().min(1), overridesSchema).optional(),
}).strict();

type Overrides = z.infer<typeof overridesSchema>;

function applyOverride(id: string, base: LegalRule, raw: Overrides[string], path: string, problems: LegalRulesProblem[]): LegalRule {
  const o = typeof raw === 'number' ? { value: raw } : raw;
  const next = { ...base, ...o } as LegalRule & { unit: string };
  const before = problems.length;
  if (!Number.isFinite(next.value)) problems.push({ path: `${path}.value`, message: 'must be a finite number' });
  switch (base.kind) {
    case 'period': {
      const units = base.units ?? PERIOD_UNITS;
      if (!(units as readonly string[]).includes(next.unit)) {
        problems.push({ path: `${path}.unit`, message: `must be one of ${units.join(', ')}` });
      }
      if (!Number.isInteger(next.value) || next.value < 0) problems.push({ path: `${path}.value`, message: 'a period is a whole number ≥ 0' });
      break;
    }
    case 'amount': {
      if (next.unit !== 'yuan') problems.push({ path: `${path}.unit`, message: 'an amount is in yuan' });
      if (next.value < 0) problems.push({ path: `${path}.value`, message: 'an amount is ≥ 0' });
      if (base.range && (next.value < base.range[0] || next.value > base.range[1])) {
        problems.push({ path: `${path}.value`, message: `${id} must lie within ${base.range[0]}–${base.range[1]} (${base.source})` });
      }
      break;
    }
    case 'count': {
      if (next.unit !== base.unit) problems.push({ path: `${path}.unit`, message: `must stay ${base.unit}` });
      if (!Number.isInteger(next.value) || next.value < 1) problems.push({ path: `${path}.value`, message: 'a count is a whole number ≥ 1' });
      break;
    }
    case 'rate': {
      if (next.unit !== base.unit) problems.push({ path: `${path}.unit`, message: `must stay ${base.unit}` });
      if (next.value <= 0) problems.push({ path: `${path}.value`, message: 'a rate is > 0' });
      break;
    }
  }
  if ('extendIfEndsOnHoliday' in o && o.extendIfEndsOnHoliday !== undefined && base.kind !== 'period') {
    problems.push({ path: `${path}.extendIfEndsOnHoliday`, message: 'only periods have this' });
  }
  return problems.length > before ? base : next;
}

function applyOverrides(base: LegalRules, overrides: Overrides, pathPrefix: string, problems: LegalRulesProblem[]): LegalRules {
  const out: Record<string, LegalRule> = { ...base };
  for (const [id, raw] of Object.entries(overrides)) {
    const path = `${pathPrefix}.${id}`;
    const rule = out[id];
    if (!rule) {
      problems.push({ path, message: 'unknown rule id' });
      continue;
    }
    out[id] = applyOverride(id, rule, raw, path, problems);
  }
  return out as unknown as LegalRules;
}

/** Pairs of rules whose values must stay ordered (low, high); checked where an override touches one. */
const ORDERED_PAIRS: [LegalRuleId, LegalRuleId][] = [['correction.refusalFine.min', 'correction.refusalFine.max']];

function checkConsistency(rules: LegalRules, overridden: Overrides, prefix: string, problems: LegalRulesProblem[]): void {
  for (const [low, high] of ORDERED_PAIRS) {
    if (!(low in overridden) && !(high in overridden)) continue;
    if (rules[low].value > rules[high].value) problems.push({ path: `${prefix}.${low}`, message: `must not exceed ${high}` });
  }
}

/**
 * The effective rules: the national defaults with `overrides` applied. `overrides` is the parsed JSON
 * of the settings file, or its text; nothing or undefined gives the defaults. Throws
 * InvalidLegalRulesError listing every problem.
 */
export function loadLegalRules(overrides?: unknown, origin = 'legal rules'): LegalRuleSet {
  const parsed = fileSchema.safeParse(parseOverrideText(overrides, origin, InvalidLegalRulesError) ?? {});
  if (!parsed.success) throw new InvalidLegalRulesError(schemaProblems(parsed.error), origin);
  const problems: LegalRulesProblem[] = [];
  const rules = applyOverrides(DEFAULT_LEGAL_RULES as unknown as LegalRules, parsed.data.rules ?? {}, 'rules', problems);
  checkConsistency(rules, parsed.data.rules ?? {}, 'rules', problems);
  const offices: Record<string, LegalRules> = {};
  for (const [code, o] of Object.entries(parsed.data.offices ?? {})) {
    offices[code] = applyOverrides(rules, o, `offices.${code}`, problems);
    checkConsistency(offices[code], o, `offices.${code}`, problems);
  }
  if (problems.length) throw new InvalidLegalRulesError(problems, origin);
  return { rules, offices };
}

/** Reads and validates the settings file at `filePath`; a missing or unreadable file is an error too. */
export function loadLegalRulesFile(filePath: string): LegalRuleSet {
  const origin = `legal rules file ${filePath}`;
  return loadLegalRules(readOverrideFile(filePath, origin, InvalidLegalRulesError), origin);
}

/**
 * The installation's rule set, tied to its data source when the service starts, for code that is
 * reached with a transaction only (recording a service through the API): it then applies the same
 * overrides as the workers.
 */
const boundRuleSets = new WeakMap<object, LegalRuleSet>();

export function bindLegalRules(dataSource: object, set: LegalRuleSet): void {
  boundRuleSets.set(dataSource, set);
}

/** The rule set bound to `dataSource`; the national defaults when none was bound (tests, tools). */
let nationalDefaults: LegalRuleSet | null = null;

export function boundLegalRules(dataSource: object | undefined): LegalRuleSet {
  return (dataSource && boundRuleSets.get(dataSource)) || (nationalDefaults ??= loadLegalRules());
}

/** The rules that apply to one office: its own overrides, else the installation's. */
export function rulesForOffice(set: LegalRuleSet, officeCode?: string | null): LegalRules {
  return (officeCode && set.offices[officeCode]) || set.rules;
}

/** A deadline's name as the case page shows it: its rule's title, or its variant's. */
export function deadlineTitle(id: string): string | null {
  if (Object.hasOwn(DEADLINE_VARIANTS, id)) return DEADLINE_VARIANTS[id as DeadlineVariantId].title;
  if (Object.hasOwn(DEFAULT_LEGAL_RULES, id)) return DEFAULT_LEGAL_RULES[id as LegalRuleId].title;
  return null;
}
