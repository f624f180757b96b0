/** The office's own settings and records: outside contacts, the audit log, supervision views, the whole inbox. */
import type { Principal } from '../principal';
import { allowIf, Decision, hasRole } from './roles';

export const officePolicy = {
  manageContacts: (p: Principal): Decision => allowIf(hasRole(p, 'admin')),
  readAudit: (p: Principal): Decision => allowIf(hasRole(p, 'admin', 'supervisor')),
  /** Overdue work, statistics, service levels. */
  supervise: (p: Principal): Decision => allowIf(hasRole(p, 'supervisor', 'admin')),
  /** Every open task of the office, not only one's own and one's groups'. */
  readAllTasks: (p: Principal): Decision => allowIf(hasRole(p, 'supervisor', 'legal', 'admin')),
};
