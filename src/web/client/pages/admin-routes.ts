/**
 * 系统管理: the admin console's addresses and its menu entry, for admin. Others reach these addresses
 * only by typing them; the API refuses them (403) all the same.
 */
import type { PageContext } from '../router';
import type { Me } from '../session';
import { showCalendarYear, showCalendarYears } from './admin-calendar';
import { showContacts } from './admin-contacts';
import { showGrids } from './admin-grids';
import { showLevels } from './admin-levels';
import { showUsers } from './admin-users';

type Page = (ctx: PageContext) => Promise<void> | void;

export const ADMIN_ROUTES: [RegExp, Page, string[]][] = [
  [/^\/admin$/, showUsers, []],
  [/^\/admin\/users$/, showUsers, []],
  [/^\/admin\/grids$/, showGrids, []],
  [/^\/admin\/contacts$/, showContacts, []],
  [/^\/admin\/calendar$/, showCalendarYears, []],
  [/^\/admin\/calendar\/(\d{4})$/, showCalendarYear, ['year']],
  [/^\/admin\/levels$/, showLevels, []],
];

export function adminMenu(me: Me): [string, string][] {
  return me.roles.includes('admin') ? [['/admin', '系统管理']] : [];
}
