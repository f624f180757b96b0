/**
 * How a job says it cannot go on, in words a handler understands. Two kinds:
 *
 * - bad data (a date before the document was issued, a variable of the wrong shape, data a document
 *   type refuses): retrying cannot fix it, so the job becomes an incident at once (retries 0) whose
 *   message says, in Chinese, what is wrong and what to correct — the case page offers the repair;
 * - anything else (the database away, a lock timeout): retried, and if the retries run out the
 *   incident says in Chinese which step failed, with the technical cause after it for the administrator.
 */
import { DeadlineInputMissing } from '../cases/case-deadlines';
import { isAppError } from '../errors';

/** Thrown by a handler (or the modules it calls through `badData`) when the data, not the system, is wrong. */
export class BadData extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'BadData';
  }
}

/** The steps by job type, as the user knows them. */
export const JOB_STEP_LABELS: Record<string, string> = {
  'case.register': '登记案件',
  'case.link-duplicates': '关联重复投诉',
  'complaint.assess': '评估投诉',
  'case.set-status': '更新案件状态',
  'case.close': '结案',
  'deadline.compute': '计算期限',
  'document.issue': '出具文书',
  'document.record-service': '记录送达',
  'mail.send': '发送邮件',
  'criminal-threshold.check': '核对涉嫌犯罪标准',
  'penalty.assess': '核定罚款',
  'late-fee.compute': '计算加处罚款',
  'blacklist.issue-document': '出具失信名单文书',
  'blacklist.record-decision': '记录列入决定',
  'blacklist.set-term': '登记列入期限',
  'blacklist.check-repair': '审查信用修复条件',
  'blacklist.record-repair-decision': '记录信用修复决定',
  'blacklist.remove': '移出失信名单',
  'grading.propose': '拟定诚信等级',
  'grading.notify': '告知C级评价结果',
  'grading.close-objections': '汇总评价异议',
  'grading.finalize': '确定诚信等级',
  'review.issue-document': '出具书面审查文书',
  'review.record-review': '记录书面审查意见',
  'review.record-verification': '记录实地核查结果',
  'review.record-result': '记录书面审查结果',
  'review.open-case': '书面审查转立案调查',
};

export const stepLabel = (taskType: string): string => JOB_STEP_LABELS[taskType] ?? '系统步骤';

/** A diagram that asks a worker for something it does not know: nothing a handler can correct. */
export function configurationProblem(taskType: string, what: string): string {
  return `流程图中“${stepLabel(taskType)}”步骤的设置有误（${what}），请联系系统管理员修正流程图后重试`;
}

/** The variables handlers fill in, by the label of the form field that sets them. */
const VARIABLE_LABELS: Record<string, string> = {
  caseId: '案件', servedAt: '送达日期', serviceMethod: '送达方式', serviceReceiver: '受送达人', correctionDays: '改正期限（日）',
  hearingAt: '听证时间', hearingRequestedAt: '申请听证时间', paidAt: '缴款时间', fineAmount: '罚款金额', correctionReportedAt: '报告改正时间',
  policeDecisionAt: '公安机关决定时间', transferredAt: '移送时间', materialsCompletedAt: '补正材料时间', documents: '已出具文书', deadlines: '期限',
};
const variableLabel = (path: string) => VARIABLE_LABELS[path.split('.')[0]] ?? path;

/** A variable the step needs is missing or of the wrong kind: named by its form label where one is known. */
export function variablesProblem(taskType: string, fields: string[]): string {
  return `“${stepLabel(taskType)}”步骤收到的办理数据不完整或格式不对（${[...new Set(fields.map(variableLabel))].join('、')}），请更正后重试`;
}

/**
 * Whether an error thrown inside a step is bad data: a BadData, or a refusal of the data by the
 * service's own commands (a 4xx AppError: a document's data its type refuses, a case that is gone).
 */
export function isBadData(e: unknown): boolean {
  return e instanceof BadData || e instanceof DeadlineInputMissing || (isAppError(e) && e.status >= 400 && e.status < 500);
}

/** The incident message of a thrown error. */
export function failureMessage(taskType: string, e: unknown): string {
  if (e instanceof BadData) return e.reason;
  if (e instanceof DeadlineInputMissing) return `计算期限所需的${variableLabel(e.variable)}尚未填写或无法识别，“${stepLabel(taskType)}”无法继续；请核对后重试`;
  const cause = e instanceof Error ? e.message : String(e);
  if (isAppError(e) && e.status >= 400 && e.status < 500) return `“${stepLabel(taskType)}”步骤的办理数据有误，无法继续（技术信息：${e.code}，${cause}）`;
  return `“${stepLabel(taskType)}”步骤暂时未能完成，系统将自动重试；重试用尽仍失败的，请联系系统管理员（技术信息：${cause}）`;
}
