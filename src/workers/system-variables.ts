/**
 * The process variables the service itself writes: the case's identity (`caseId`, `caseNumber`,
 * `gridCode`) and every worker's result. Workers trust them, so no user input may set them — not a
 * task completion (its form has no such field) and not an outside answer (message).
 * Read from the workers' own output contracts, so a new worker's results are covered by itself.
 */
import { output as caseClose } from './case.close';
import { output as caseLinkDuplicates } from './case.link-duplicates';
import { output as caseRegister } from './case.register';
import { output as caseSetStatus } from './case.set-status';
import { output as complaintAssess } from './complaint.assess';
import { output as criminalThreshold } from './criminal-threshold.check';
import { output as deadlineCompute } from './deadline.compute';
import { output as documentIssue } from './document.issue';
import { output as documentRecordService } from './document.record-service';
import { output as lateFee } from './late-fee.compute';
import { output as penaltyAssess } from './penalty.assess';
import { output as blacklistCheckRepair } from './blacklist.check-repair';
import { output as blacklistIssueDocument } from './blacklist.issue-document';
import { output as blacklistRecordDecision } from './blacklist.record-decision';

const outputs = [caseClose, caseLinkDuplicates, caseRegister, caseSetStatus, complaintAssess, criminalThreshold, deadlineCompute,
  documentIssue, documentRecordService, lateFee, penaltyAssess, blacklistCheckRepair, blacklistIssueDocument, blacklistRecordDecision];

/** Set by the service when it starts a credit lifecycle (src/credit/listings.ts), never by a form. */
const CREDIT_START_VARIABLES = ['listingId', 'paymentDeadlineAt', 'listingGround', 'repairSubmissionId', 'repairAppliedAt', 'defenceReceivedAt'];

export const SYSTEM_VARIABLES: ReadonlySet<string> = new Set([...outputs.flatMap((o) => Object.keys(o.shape)), ...CREDIT_START_VARIABLES]);
