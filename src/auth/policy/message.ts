/**
 * Outside answers (messages). Every message of the case lifecycles is correlated by the case number,
 * so a message is an action on the case its correlation key names: the sender must see that case.
 * A key that names no case is only for the office-wide staff who run processes without a case.
 */
import type { Principal } from '../principal';
import { casePolicy, CaseRef } from './case';
import { Decision, hasRole, allowIf } from './roles';

export interface MessageRef {
  /** The case whose number is the correlation key, or null when the key names no case of the office. */
  case: CaseRef | null;
}

export const messagePolicy = {
  publish: (p: Principal, m: MessageRef): Decision =>
    m.case ? casePolicy.answer(p, m.case) : allowIf(hasRole(p, 'supervisor', 'legal', 'admin'), hasRole(p, 'handler') ? 'hidden' : 'forbidden'),
};
