/**
 * Where an employer sits in the grid tree: its own grid (a community, level 2, or a street when it was
 * placed there directly) and the street above it. Warnings and patrols go to these grids' codes, the
 * candidate groups of their user tasks.
 */
import type { EntityManager } from 'typeorm';
import { errors } from '../errors';

export interface EmployerPlace {
  employerId: string;
  officeId: string;
  name: string;
  creditCode: string | null;
  address: string | null;
  legalRepresentative: string | null;
  gridId: string;
  gridCode: string;
  gridName: string;
  streetId: string;
  streetCode: string;
}

type Row = Record<string, unknown>;
const s = (v: unknown) => (v === null || v === undefined ? null : String(v));

export async function findEmployerPlace(em: EntityManager, employerId: string): Promise<EmployerPlace | null> {
  const rows: Row[] = await em.query(
    `SELECT e.id, e.office_id, e.name, e.credit_code, e.address, e.legal_representative, g.id AS grid_id, g.code AS grid_code, g.name AS grid_name,
            g.level, p.id AS parent_id, p.code AS parent_code
       FROM employers e JOIN grids g ON g.id = e.grid_id LEFT JOIN grids p ON p.id = g.parent_id WHERE e.id = ?`, [employerId]);
  const r = rows[0];
  if (!r) return null;
  const isStreet = Number(r.level) === 1 || r.parent_id === null;
  return {
    employerId: String(r.id), officeId: String(r.office_id), name: String(r.name), creditCode: s(r.credit_code), address: s(r.address),
    legalRepresentative: s(r.legal_representative), gridId: String(r.grid_id), gridCode: String(r.grid_code), gridName: String(r.grid_name),
    streetId: isStreet ? String(r.grid_id) : String(r.parent_id), streetCode: isStreet ? String(r.grid_code) : String(r.parent_code),
  };
}

export async function mustFindEmployerPlace(em: EntityManager, employerId: string): Promise<EmployerPlace> {
  const p = await findEmployerPlace(em, employerId);
  if (!p) throw errors.notFound('employer');
  return p;
}
