/**
 * The grading criteria of 企业劳动保障守法诚信等级评价办法 (人社部, 2016), declared once as a table with
 * their source and with what on file shows each one. The grading (grading.ts) names the criterion of
 * every reason it gives; the review page and the notice quote the labels. The count of violations
 * that makes a C is the legal rule `credit.violationsForC`. Forced labour and obstructing inspection
 * have no record of their own in the system: legal staff set them at review, with the reason.
 */
export const GRADING_SOURCE = '《企业劳动保障守法诚信等级评价办法》（人力资源社会保障部，2016年）';

export interface GradingCriterion {
  grade: 'A' | 'B' | 'C';
  label: string;
  /** What on file shows it; "reviewer" when only legal staff can set it. */
  evidence: string;
}

export const GRADING_CRITERIA = {
  'no-violation': { grade: 'A', label: '评价年度内未发现劳动保障违法行为', evidence: '年度内办结的案件均未认定违法，日常巡查未现场责令改正' },
  violation: { grade: 'B', label: '评价年度内发现劳动保障违法行为，但不属于C级情形', evidence: '办结案件认定违法（已改正、行政处罚、行政处理等），或巡查现场责令改正' },
  repeated: { grade: 'C', label: '评价年度内因劳动保障违法行为被查处达到规定次数', evidence: '上述违法记录的次数达到法定规则 credit.violationsForC' },
  'mass-incident': { grade: 'C', label: '因劳动保障违法行为引发群体性事件、极端事件或造成严重不良社会影响', evidence: '以引发群体性、极端事件为由列入拖欠农民工工资失信联合惩戒对象名单' },
  'child-or-forced-labour': { grade: 'C', label: '使用童工或强迫劳动', evidence: '认定违法的案件含“使用童工”事项；强迫劳动由法制人员审核时认定' },
  'refused-order': { grade: 'C', label: '拒不履行劳动保障监察限期整改指令、行政处理决定或行政处罚决定', evidence: '经责令支付逾期拒不支付而列入名单、行政处罚决定申请法院强制执行，或巡查现场责令改正后复查仍未改正' },
  'obstructed-inspection': { grade: 'C', label: '无理抗拒、阻挠劳动保障监察', evidence: '由法制人员审核时认定' },
  criminal: { grade: 'C', label: '因劳动保障违法行为被追究刑事责任', evidence: '案件以涉嫌拒不支付劳动报酬罪移送公安机关' },
} as const satisfies Record<string, GradingCriterion>;

export type CriterionId = keyof typeof GRADING_CRITERIA;

/**
 * How an objection received after its period is decided (评价结果告知书 states it): recorded as late,
 * not reviewed, and answered in writing — never dropped.
 */
export const LATE_OBJECTION_RULE = '异议在规定期限届满后提出的，记为逾期，不予复核，书面答复异议人；评价结果维持。';
