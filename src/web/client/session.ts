/** Who is logged in, as GET /api/session answers. The server checks every permission again. */
export interface Me {
  userId: string;
  username: string;
  displayName: string;
  roles: string[];
  office: { id: string; name: string } | null;
  gridIds: string[];
  visibleGridIds: string[];
  groups: string[];
}

export const isOfficeWide = (me: Me) => me.roles.some((r) => r === 'supervisor' || r === 'legal' || r === 'admin');
export const isIntake = (me: Me) => me.roles.includes('intake') || me.roles.includes('admin');
export const isHandler = (me: Me) => me.roles.includes('handler');
