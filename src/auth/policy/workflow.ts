/** Diagrams and forms: everyone reads them (the case page draws the diagram); legal staff and admin change them. */
import type { Principal } from '../principal';
import { allowIf, Decision, hasRole } from './roles';

export const workflowPolicy = {
  read: (): Decision => 'allow',
  /** Deploy, check, drafts, diffs. */
  edit: (p: Principal): Decision => allowIf(hasRole(p, 'legal', 'admin')),
  /** How many instances run on each version: for migration planning and supervision. */
  instances: (p: Principal): Decision => allowIf(hasRole(p, 'legal', 'admin', 'supervisor')),
};
