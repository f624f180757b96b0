/** Document templates: everyone reads the list; legal staff and admin edit and preview them. */
import type { Principal } from '../principal';
import { Decision, hasRole, allowIf } from './roles';

export const templatePolicy = {
  read: (): Decision => 'allow',
  edit: (p: Principal): Decision => allowIf(hasRole(p, 'legal', 'admin')),
  /** A preview renders hostile sample data through a template: an editing tool, not a reading one. */
  preview: (p: Principal): Decision => allowIf(hasRole(p, 'legal', 'admin')),
};
