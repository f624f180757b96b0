/**
 * Random inspections (双随机、一公开) and the publication of major violations (人社部令第29号) are the
 * office's, not a grid's: a draw spans every grid, and what it drew is made public anyway. Office
 * staff who inspect or decide see them; an enterprise coordinator and a grid officer do not. Legal
 * staff and supervisors draw, publish and confirm; the inspection items list is kept by admin and
 * legal staff; each of a drawn employer's two inspectors records its result.
 */
import type { Principal } from '../principal';
import { allowIf, Decision, hasRole, seeThen } from './roles';

/** The office a draw or a publication belongs to. */
export interface OfficeRecordRef {
  officeId: string;
}

/** One drawn employer's inspection: its draw's office and its two inspectors (user ids). */
export interface DrawResultRef extends OfficeRecordRef {
  inspectorIds: string[];
}

const staff = (p: Principal) => hasRole(p, 'intake', 'handler', 'legal', 'supervisor', 'admin');
const sees = (p: Principal, r: OfficeRecordRef) => r.officeId === p.officeId && staff(p);
const decides = (p: Principal) => hasRole(p, 'legal', 'supervisor');

export const randomDrawsPolicy = {
  list: (p: Principal): Decision => allowIf(staff(p)),
  /** Making a draw: legal staff and supervisors. */
  create: (p: Principal): Decision => allowIf(decides(p)),
  /** The inspection items list (抽查事项清单). */
  manageItems: (p: Principal): Decision => allowIf(hasRole(p, 'admin', 'legal')),
  /** Recording a recusal: anyone who may be drawn records their own; legal staff, supervisors and admins anyone's. */
  recuse: (p: Principal, userId: string): Decision => allowIf(hasRole(p, 'legal', 'supervisor', 'admin') || (hasRole(p, 'handler') && userId === p.userId)),
};

export const randomDrawPolicy = {
  read: (p: Principal, r: OfficeRecordRef): Decision => seeThen(sees(p, r), true),
  publish: (p: Principal, r: OfficeRecordRef): Decision => seeThen(sees(p, r), decides(p)),
  /** A drawn inspection's result: one of its two inspectors, or legal staff and supervisors. */
  recordResult: (p: Principal, r: DrawResultRef): Decision => seeThen(sees(p, r), decides(p) || r.inspectorIds.includes(p.userId)),
};

export const publicationsPolicy = {
  list: (p: Principal): Decision => allowIf(staff(p)),
  /** Proposing the quarter's list: legal staff and supervisors. */
  propose: (p: Principal): Decision => allowIf(decides(p)),
};

export const publicationPolicy = {
  read: (p: Principal, r: OfficeRecordRef): Decision => seeThen(sees(p, r), true),
  /** Confirming what is published: legal staff (法制机构), the supervisor with them. */
  confirm: (p: Principal, r: OfficeRecordRef): Decision => seeThen(sees(p, r), decides(p)),
};
