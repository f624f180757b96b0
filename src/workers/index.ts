/**
 * Every job worker of the product, one file per job type (named after it). The same registrations
 * run on the embedded engine's worker runtime and, through @camunda8/sdk, on Zeebe.
 */
import type { WorkerRegistration } from './contract';
import type { WorkerDeps } from './deps';
import { caseClose } from './case.close';
import { caseLinkDuplicates } from './case.link-duplicates';
import { caseRegister } from './case.register';
import { caseSetStatus } from './case.set-status';
import { complaintAssess } from './complaint.assess';
import { criminalThresholdCheck } from './criminal-threshold.check';
import { deadlineCompute } from './deadline.compute';
import { documentIssue } from './document.issue';
import { documentRecordService } from './document.record-service';
import { lateFeeCompute } from './late-fee.compute';
import { mailSend } from './mail.send';
import { penaltyAssess } from './penalty.assess';
import { patrolIssueOrder } from './patrol.issue-order';
import { patrolOpenCase } from './patrol.open-case';
import { patrolRaiseWarning } from './patrol.raise-warning';
import { patrolRecord } from './patrol.record';
import { patrolRecordFollowUp } from './patrol.record-follow-up';
import { warningClose } from './warning.close';
import { warningEscalate } from './warning.escalate';
import { warningRecordHandling } from './warning.record-handling';
import { warningRoute } from './warning.route';
import { blacklistCheckRepair } from './blacklist.check-repair';
import { blacklistIssueDocument } from './blacklist.issue-document';
import { blacklistRecordDecision } from './blacklist.record-decision';
import { blacklistRecordRepairDecision } from './blacklist.record-repair-decision';
import { blacklistRemove } from './blacklist.remove';
import { blacklistSetTerm } from './blacklist.set-term';
import { gradingCloseObjections } from './grading.close-objections';
import { gradingFinalize } from './grading.finalize';
import { gradingNotify } from './grading.notify';
import { gradingPropose } from './grading.propose';
import { drawPublicationOverdue } from './draw.publication-overdue';
import { drawPublicationPeriod } from './draw.publication-period';
import { reviewIssueDocument } from './review.issue-document';
import { reviewOpenCase } from './review.open-case';
import { reviewRecordResult } from './review.record-result';
import { reviewRecordReview } from './review.record-review';
import { reviewRecordVerification } from './review.record-verification';
import { guardCase } from './case-guard';

export type { WorkerDeps, MailDirectory } from './deps';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- registrations differ in their variable types
export type AnyRegistration = WorkerRegistration<any, any>;

export function createWorkers(deps: WorkerDeps): AnyRegistration[] {
  return [
    caseRegister(deps), caseLinkDuplicates(deps), complaintAssess(deps), caseSetStatus(deps), caseClose(deps), deadlineCompute(deps),
    documentIssue(deps), documentRecordService(deps), mailSend(deps), criminalThresholdCheck(deps), penaltyAssess(deps), lateFeeCompute(deps),
    patrolRecord(deps), patrolIssueOrder(deps), patrolRecordFollowUp(deps), patrolRaiseWarning(deps), patrolOpenCase(deps),
    warningRoute(deps), warningEscalate(deps), warningRecordHandling(deps), warningClose(deps),
    blacklistIssueDocument(deps), blacklistRecordDecision(deps), blacklistSetTerm(deps), blacklistCheckRepair(deps), blacklistRecordRepairDecision(deps), blacklistRemove(deps),
    gradingPropose(deps), gradingNotify(deps), gradingCloseObjections(deps), gradingFinalize(deps),
    drawPublicationPeriod(deps), drawPublicationOverdue(deps),
    reviewIssueDocument(deps), reviewRecordReview(deps), reviewRecordVerification(deps), reviewRecordResult(deps), reviewOpenCase(deps),
  ].map((r) => guardCase(deps.ds, r));
}
