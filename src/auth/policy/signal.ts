/**
 * Broadcasting a signal reaches every waiting case of one office whose diagram catches it (e.g. a
 * new holiday schedule, a changed rule): office-wide, so it is the administrator's or a supervisor's,
 * never a handler's acting on one case. A supervisor broadcasts to his own office only; the
 * administrator to any one office, or to every office at once (audited as such).
 */
import type { Principal } from '../principal';
import { allowIf, Decision, hasRole } from './roles';

/** Where a broadcast goes: one office, or (officeId null) every office. */
export interface SignalTarget {
  officeId: string | null;
}

export const signalPolicy = {
  /** The signal page: which signals the diagrams declare and how many cases wait. */
  read: (p: Principal): Decision => allowIf(hasRole(p, 'admin', 'supervisor')),
  broadcast: (p: Principal, t: SignalTarget): Decision =>
    allowIf(hasRole(p, 'admin') || (hasRole(p, 'supervisor') && t.officeId === p.officeId)),
};
