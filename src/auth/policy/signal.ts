/**
 * Broadcasting a signal reaches every waiting case whose diagram catches it (e.g. a new holiday
 * schedule, a changed rule): office-wide, so it is the administrator's or a supervisor's, never a
 * handler's acting on one case.
 */
import type { Principal } from '../principal';
import { allowIf, Decision, hasRole } from './roles';

export const signalPolicy = {
  broadcast: (p: Principal): Decision => allowIf(hasRole(p, 'admin', 'supervisor')),
};
