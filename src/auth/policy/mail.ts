/** The outbox: a case's mail is seen with the case; mail about no case and the office-wide list are staff's; resending is supervisors'. */
import type { Principal } from '../principal';
import type { CaseRef } from './case';
import { allowIf, canSeeGrid, Decision, hasRole, seeThen } from './roles';

export interface MailRef {
  case: CaseRef | null;
}

function sees(p: Principal, m: MailRef): boolean {
  return m.case ? canSeeGrid(p, m.case.officeId, m.case.gridId) : hasRole(p, 'supervisor', 'legal', 'admin', 'intake');
}

export const mailPolicy = {
  read: (p: Principal, m: MailRef): Decision => seeThen(sees(p, m), true),
  requeue: (p: Principal, m: MailRef): Decision => seeThen(sees(p, m), hasRole(p, 'supervisor', 'admin')),
};

export const outboxPolicy = {
  listOffice: (p: Principal): Decision => allowIf(hasRole(p, 'supervisor', 'legal', 'admin')),
};
