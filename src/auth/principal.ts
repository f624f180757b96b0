/** Who is making a request: the user, their roles, grids and the groups used by user tasks. */
import { EntityManager } from 'typeorm';
import { Grid, Role, ROLES, User, UserEmployer, UserGrid, UserRole } from '../db/entities';

export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  officeId: string;
  roles: Role[];
  /** Grids assigned to the user. */
  gridIds: string[];
  /** Assigned grids and every grid below them (a street's communities). */
  visibleGridIds: string[];
  /** Candidate-group names this user belongs to: role names and grid codes. */
  groups: string[];
  /** Employers an enterprise coordinator (企业协管员) reports for; empty for everyone else. */
  employerIds?: string[];
}

export async function loadPrincipal(em: EntityManager, userId: string): Promise<Principal | null> {
  const user = await em.findOne(User, { where: { id: userId } });
  if (!user || !user.active) return null;
  const roles = (await em.find(UserRole, { where: { userId } })).map((r) => r.role);
  const gridIds = (await em.find(UserGrid, { where: { userId } })).map((g) => g.gridId);
  const officeGrids = await em.find(Grid, { where: { officeId: user.officeId } });
  const employerIds = roles.includes('enterprise_coordinator') ? (await em.find(UserEmployer, { where: { userId } })).map((e) => e.employerId) : [];
  const visible = descendantsOf(officeGrids, gridIds);
  // A grid code that reads as a role name (one made before such codes were refused) grants nothing.
  const gridCodes = officeGrids.filter((g) => visible.has(g.id) && !isRoleName(g.code)).map((g) => g.code);
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    officeId: user.officeId,
    roles,
    gridIds,
    visibleGridIds: [...visible],
    groups: [...roles, ...gridCodes],
    employerIds,
  };
}

function descendantsOf(grids: Grid[], roots: string[]): Set<string> {
  const out = new Set(roots.filter((id) => grids.some((g) => g.id === id)));
  let grew = true;
  while (grew) {
    grew = false;
    for (const g of grids) {
      if (g.parentId && out.has(g.parentId) && !out.has(g.id)) {
        out.add(g.id);
        grew = true;
      }
    }
  }
  return out;
}

/** Role names, compared without case: `Handler` must not pass for a grid code beside `handler`. */
export function isRoleName(code: string): boolean {
  return (ROLES as readonly string[]).includes(code.toLowerCase());
}
