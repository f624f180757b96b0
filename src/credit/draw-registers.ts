/**
 * The registers a random draw reads (一单两库): the office's employers (the employer file) with the
 * grade in force of each, and its inspectors — active users with the handler role (监察员), with the
 * grids they are assigned to — and the recusals recorded. Read in four queries whatever the size of
 * the office, and put in the canonical order src/credit/draw-random.ts stores and hashes.
 */
import type { EntityManager } from 'typeorm';
import type { DrawInputs, DrawParams, GradeKey } from './draw-random';

export interface Registers {
  inputs: DrawInputs;
  /** User id → username and display name, for the case variables and the lists. */
  inspectors: Map<string, { username: string; displayName: string }>;
}

const byId = <T extends [string, ...unknown[]]>(a: T, b: T) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * The grade in force of every graded employer of the office: the final grade of its latest graded
 * year, as `currentGrade` (src/credit/grading.ts) answers for one employer, read in one pass.
 */
export async function gradesInForce(em: EntityManager, officeId: string): Promise<Map<string, GradeKey>> {
  const rows: { employer_id: string; final_grade: GradeKey; year: number | string }[] = await em.query(
    "SELECT employer_id, final_grade, year FROM credit_grades WHERE office_id = ? AND state = 'final'", [officeId]);
  const latest = new Map<string, { grade: GradeKey; year: number }>();
  for (const r of rows) {
    const y = Number(r.year);
    const seen = latest.get(r.employer_id);
    if (!seen || y > seen.year) latest.set(r.employer_id, { grade: r.final_grade, year: y });
  }
  return new Map([...latest].map(([id, g]) => [id, g.grade]));
}

export async function loadRegisters(em: EntityManager, officeId: string, params: DrawParams): Promise<Registers> {
  const employerRows: { id: string; grid_id: string | null }[] = await em.query('SELECT id, grid_id FROM employers WHERE office_id = ?', [officeId]);
  const grades = await gradesInForce(em, officeId);
  const userRows: { id: string; username: string; display_name: string; grid_id: string | null }[] = await em.query(
    `SELECT u.id, u.username, u.display_name, ug.grid_id FROM users u
       JOIN user_roles r ON r.user_id = u.id AND r.role = 'handler'
       LEFT JOIN user_grids ug ON ug.user_id = u.id
      WHERE u.office_id = ? AND u.active = 1`, [officeId]);
  const recusalRows: { user_id: string; employer_id: string }[] = await em.query('SELECT user_id, employer_id FROM inspector_recusals WHERE office_id = ?', [officeId]);

  const gridIds = new Set<string>();
  for (const e of employerRows) if (e.grid_id) gridIds.add(e.grid_id);
  for (const u of userRows) if (u.grid_id) gridIds.add(u.grid_id);
  const grids = [...gridIds].sort();
  const gridIndex = new Map(grids.map((g, i) => [g, i]));

  const employers: DrawInputs['employers'] = employerRows.map((e) => [e.id, e.grid_id ? gridIndex.get(e.grid_id)! : -1, grades.get(e.id) ?? '-']);
  employers.sort(byId);
  const inspectorGrids = new Map<string, Set<number>>();
  const names = new Map<string, { username: string; displayName: string }>();
  for (const u of userRows) {
    const set = inspectorGrids.get(u.id) ?? new Set<number>();
    if (u.grid_id) set.add(gridIndex.get(u.grid_id)!);
    inspectorGrids.set(u.id, set);
    names.set(u.id, { username: u.username, displayName: u.display_name });
  }
  const inspectors: DrawInputs['inspectors'] = [...inspectorGrids].map(([id, set]) => [id, [...set].sort((a, b) => a - b)]);
  inspectors.sort(byId);
  const recusals: DrawInputs['recusals'] = recusalRows.map((r) => [r.user_id, r.employer_id]);
  recusals.sort((a, b) => byId(a, b) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  // Recorded twice for the same pair: once is enough for the draw, and the snapshot stays canonical.
  const unique = recusals.filter((r, i) => i === 0 || r[0] !== recusals[i - 1][0] || r[1] !== recusals[i - 1][1]);
  return { inputs: { version: 1, params, grids, employers, inspectors, recusals: unique }, inspectors: names };
}
