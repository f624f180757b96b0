/** Users, roles and grids: admin manages them; supervisors read the list to assign work. */
import type { Principal } from '../principal';
import { Decision, hasRole, allowIf } from './roles';

export const userPolicy = {
  list: (p: Principal): Decision => allowIf(hasRole(p, 'admin', 'supervisor')),
  manage: (p: Principal): Decision => allowIf(hasRole(p, 'admin')),
};
