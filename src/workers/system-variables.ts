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

/**
 * The records the prevention and credit lifecycles act on, set by the service when it starts them
 * (a warning, a patrol, a written review's employer, a grading run, a draw). A job trusts them as it
 * trusts `caseId`, so whoever could set one could make a job act on another office's record.
 */
const RECORD_VARIABLES = ['caseId', 'caseNumber', 'gridCode', 'warningId', 'patrolId', 'reviewEmployerId', 'runId', 'drawId', 'openedCaseId', 'listingId', 'repairSubmissionId'];

export const SYSTEM_VARIABLES: ReadonlySet<string> = new Set([...outputs.flatMap((o) => Object.keys(o.shape)), ...CREDIT_START_VARIABLES, ...RECORD_VARIABLES]);

/** Variables naming the record an instance acts on: staff putting a running instance's data right may not change them. */
export const RECORD_IDENTITY_VARIABLES: ReadonlySet<string> = new Set(RECORD_VARIABLES);

/** The names among `variables` that only the service sets, or [] (the caller refuses the request with them). */
export function reservedNames(variables: Record<string, unknown>, reserved: ReadonlySet<string> = SYSTEM_VARIABLES): string[] {
  // A null names no record and no result (a job reads a string id, and recomputes a missing result).
  return Object.keys(variables).filter((k) => reserved.has(k) && variables[k] !== null);
}
