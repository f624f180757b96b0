/**
 * The shapes of the API answers as the browser reads them (JSON: dates are ISO strings or epoch numbers as
 * each field says). One module for the server and the browser bundle: the pages import these types, and
 * `src/http/contract-conformance.ts` makes the server's typecheck fail when what a route returns drifts from them.
 * Types only: nothing here may import server code (the browser bundle compiles it too).
 */

export interface CaseSummary {
  id: string;
  caseNumber: string;
  kind: 'complaint' | 'report';
  channel: string;
  receivedAt: number;
  suggestedRoute: string | null;
  route: string | null;
  status: string;
  outcome: string | null;
  preservationStatus: string | null;
  supervised: boolean;
  duplicate: boolean;
  linkedCaseId: string | null;
  summary: string;
  totalOwed: number | null;
  workersCount: number;
  wageArrears: boolean;
  filedAt: number | null;
  closedAt: number | null;
  createdBy: string;
  gridId: string | null;
  employerId: string | null;
  violationEndedOn: string | null;
}

export interface Party {
  role: 'complainant' | 'employer';
  name: string;
  idType: string | null;
  idNumber: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  creditCode: string | null;
  legalRepresentative: string | null;
}

export interface CaseDeadline {
  rule: string;
  dueAt: number;
  dueDate: string;
  warnAt: number | null;
  provisional: boolean;
  state: 'open' | 'met' | 'overdue' | 'cancelled';
  processInstanceKey: string | null;
  elementId: string | null;
  explanation: { text?: string; ruleTitle?: string | null; legalSource?: string; startEvent?: string; startedAt?: string; count?: number; unitLabel?: string } | null;
}

export interface CaseDocument {
  id: string;
  typeId: string;
  title: string;
  number: string;
  templateVersion: number;
  issuedAt: number;
  issuedBy: string;
}

export interface TimelineEntry {
  at: number;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

export interface CaseDetail extends CaseSummary {
  complainants: Party[];
  employer: Party | null;
  workers: { name: string; idType: string | null; idNumber: string | null; phone: string | null; amountOwed: number | null; monthsOwed: number | null }[];
  claims: { category: string; description: string; amount: number | null; periodFrom: string | null; periodTo: string | null }[];
  linkedCase: { id: string; caseNumber?: string; status?: string } | null;
  /** Display names of the users the timeline names, by username. */
  people?: Record<string, string>;
  /** ID numbers and phones come masked; `mayReveal` users fetch them whole, one case at a time (audited). */
  personalData: { masked: boolean; mayReveal: boolean };
  deadlines: CaseDeadline[];
  documents: CaseDocument[];
  processes: { processInstanceKey: string; bpmnProcessId: string; role: string; createdAt: number }[];
  timeline: TimelineEntry[];
}

export interface ProcessView {
  processInstanceKey: string;
  parentProcessInstanceKey: string | null;
  bpmnProcessId: string;
  version: number;
  definitionKey: string;
  state: string;
  startedAt: string;
  endedAt: string | null;
  activeElementIds: string[];
  completedElementIds: string[];
  incidents: { key: string; elementId: string; errorType: string; errorMessage: string; createdAt: string }[];
}

export interface Task {
  key: string;
  processInstanceKey: string;
  elementId: string;
  bpmnProcessId: string;
  name: string | null;
  formId: string | null;
  assignee: string | null;
  candidateGroups: string[];
  candidateUsers: string[];
  dueDate: string | null;
  followUpDate: string | null;
  priority: number;
  state: 'created' | 'completed' | 'canceled';
  createdAt: string;
  completedAt: string | null;
  completedBy: string | null;
}

export interface TaskDetail extends Task {
  variables: Record<string, unknown>;
  /** The case the task works on, when it belongs to one. */
  caseId: string | null;
  /** Display names of the users the task names, by username. */
  people: Record<string, string>;
  form: { formId: string; version: number; schema: Record<string, unknown> } | null;
  mayComplete: boolean;
}

export interface TaskCase {
  taskKey: string;
  caseId: string;
  caseNumber: string;
  employerName: string | null;
  status: string;
}

export interface MailSummary {
  id: string;
  to: { email: string; name?: string }[];
  subject: string;
  purpose: string;
  state: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}
