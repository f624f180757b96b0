/**
 * The deployed forms as the form editor lists them: the latest version of each, with how many
 * versions it has. Both engines record their deployments in these tables (Zeebe mode too, for the
 * inbox's forms), so this reads the same in either mode.
 */
import type { EntityManager } from 'typeorm';

export interface FormSummary {
  formId: string;
  version: number;
  versionCount: number;
  deployedAt: number;
}

export async function listFormSummaries(em: EntityManager): Promise<FormSummary[]> {
  const rows = (await em.query(
    `SELECT f.form_id, f.version, f.deployed_at, c.n
       FROM engine_forms f
       JOIN (SELECT form_id, MAX(version) AS v, COUNT(*) AS n FROM engine_forms GROUP BY form_id) c ON c.form_id = f.form_id AND c.v = f.version
      ORDER BY f.form_id`,
  )) as { form_id: string; version: number | string; deployed_at: number | string; n: number | string }[];
  return rows.map((r) => ({ formId: r.form_id, version: Number(r.version), versionCount: Number(r.n), deployedAt: Number(r.deployed_at) }));
}
