/**
 * The holiday calendar: everyone logged in reads it (deadlines are explained with it); only admin
 * enters a year's schedule, since it changes every deadline computed from then on.
 */
import type { Principal } from '../principal';
import { allowIf, Decision, hasRole } from './roles';

export const calendarPolicy = {
  read: (_p: Principal): Decision => 'allow',
  manage: (p: Principal): Decision => allowIf(hasRole(p, 'admin')),
};
