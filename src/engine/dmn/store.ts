/**
 * Deployed DMN resources in the engine's tables. A resource is one decision requirements graph (DRG):
 * it gets a new version unless its XML is the latest version's (Zeebe's duplicate rule), and each of its
 * decisions then gets a new version of its own, by decision id. Versions are immutable, so the compiled
 * graph is cached per database and key. Every function takes the EntityManager so callers can share
 * their transaction (deployment writes with the processes and forms of the same deployment).
 */
import type { EntityManager } from 'typeorm';
import type { DeployedDecision, DeployedDecisionRequirements } from '../port-types';
import { KEY_BASE, movedKeys } from '../deploy/resource-keys';
import { checksumOf, CompiledPerVersion, insertedKey, LATEST_RESOURCE_COLUMNS, latestVersion, nextVersion, retryLostVersion, type LatestResource } from '../deploy/versions';
import { select } from '../runtime/tx';
import { compileDmn } from './parse';
import type { CompiledDrg, DmnProblem } from './types';

export interface PreparedDrg {
  drg: CompiledDrg;
  resourceName: string;
  xml: string;
  checksum: string;
}

/** Checks a .dmn resource; `prepared` is there when it has no error. */
export async function prepareDmn(resourceName: string, xml: string): Promise<{ prepared?: PreparedDrg; problems: DmnProblem[] }> {
  const { drg, problems } = await compileDmn(xml);
  const ok = drg && !problems.some((p) => p.severity === 'error');
  return ok ? { prepared: { drg, resourceName, xml, checksum: checksumOf(xml) }, problems } : { problems };
}

export interface StoredDrg {
  requirements: DeployedDecisionRequirements;
  decisions: DeployedDecision[];
}

/** Writes one graph and its decisions (or answers the latest versions when the XML is unchanged). */
export async function storeDrg(em: EntityManager, p: PreparedDrg, deploymentKey: string, now: number): Promise<StoredDrg> {
  return retryLostVersion(async (locked) => {
    const latest = await latestVersion<LatestResource>(em, 'engine_decision_requirements', p.drg.id, LATEST_RESOURCE_COLUMNS, locked);
    const base = { decisionRequirementsId: p.drg.id, name: p.drg.name ?? null, resourceName: p.resourceName };
    // A deleted version is no answer to a deployment of the same XML: it comes back as a new version.
    if (latest && latest.checksum === p.checksum && latest.deleted_at == null) {
      const rows = (await em.query('SELECT `key`, decision_id, name, version FROM engine_decisions WHERE drg_key = ? ORDER BY `key`', [Number(latest.key)])) as DecisionRow[];
      return {
        requirements: { ...base, version: Number(latest.version), key: String(latest.key), duplicate: true },
        decisions: rows.map((r) => ({ decisionId: r.decision_id, name: r.name, version: Number(r.version), key: String(r.key), decisionRequirementsId: p.drg.id, decisionRequirementsKey: String(latest.key), duplicate: true })),
      };
    }
    const version = nextVersion(latest);
    const drgKey = insertedKey(await em.query(
      'INSERT INTO engine_decision_requirements (drg_id, name, version, resource_name, checksum, xml, deployment_key, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [p.drg.id, p.drg.name ?? null, version, p.resourceName, p.checksum, p.xml, Number(deploymentKey), now],
    ));
    const decisions: DeployedDecision[] = [];
    for (const d of p.drg.decisions) {
      const dVersion = nextVersion(await latestVersion(em, 'engine_decisions', d.id, 'version', locked));
      const key = insertedKey(await em.query(
        'INSERT INTO engine_decisions (decision_id, name, version, drg_key, drg_id, deployment_key, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [d.id, d.name ?? null, dVersion, Number(drgKey), p.drg.id, Number(deploymentKey), now],
      ));
      decisions.push({ decisionId: d.id, name: d.name ?? null, version: dVersion, key, decisionRequirementsId: p.drg.id, decisionRequirementsKey: drgKey, duplicate: false });
    }
    return { requirements: { ...base, version, key: drgKey, duplicate: false }, decisions };
  });
}

interface DecisionRow {
  key: number | string;
  decision_id: string;
  name: string | null;
  version: number | string;
  drg_key?: number | string;
  drg_id?: string;
  deployed_at?: number | string;
}

export interface DecisionRecord {
  key: string;
  decisionId: string;
  name: string | null;
  version: number;
  decisionRequirementsKey: string;
  decisionRequirementsId: string;
  deployedAt: number;
}

const DECISION_COLUMNS = '`key`, decision_id, name, version, drg_key, drg_id, deployed_at';

function toRecord(r: DecisionRow): DecisionRecord {
  return {
    key: String(r.key), decisionId: r.decision_id, name: r.name ?? null, version: Number(r.version),
    decisionRequirementsKey: String(r.drg_key), decisionRequirementsId: String(r.drg_id), deployedAt: Number(r.deployed_at),
  };
}

/** A decision by key, or the latest version of a decision id; undefined when there is none. */
export async function findDecision(em: EntityManager, by: { decisionKey: string } | { decisionId: string }): Promise<DecisionRecord | undefined> {
  let rows: DecisionRow[];
  if ('decisionKey' in by) {
    if (!/^\d{1,18}$/.test(by.decisionKey)) return undefined;
    // A key a client kept from before decision keys had their own range resolves to the key it has now.
    const [moved] = Number(by.decisionKey) < KEY_BASE.decision ? await movedKeys(em, Number(by.decisionKey), ['decision']) : [];
    rows = await select<DecisionRow>(em, `SELECT ${DECISION_COLUMNS} FROM engine_decisions WHERE \`key\` = ? AND deleted_at IS NULL`, [moved?.key ?? Number(by.decisionKey)]);
  } else {
    // A deleted version (DeleteResource of its graph) is skipped: the version before it is the latest.
    rows = await select<DecisionRow>(em, `SELECT ${DECISION_COLUMNS} FROM engine_decisions WHERE decision_id = ? AND deleted_at IS NULL ORDER BY version DESC LIMIT 1`, [by.decisionId]);
  }
  return rows[0] && toRecord(rows[0]);
}

/** Every decision: its latest version, newest deployment first within an id order. */
export async function listDecisions(em: EntityManager): Promise<Array<DecisionRecord & { versionCount: number; resourceName: string }>> {
  const rows = (await em.query(
    `SELECT d.\`key\`, d.decision_id, d.name, d.version, d.drg_key, d.drg_id, d.deployed_at, c.versions, r.resource_name FROM engine_decisions d
     JOIN (SELECT decision_id, MAX(version) AS latest, COUNT(*) AS versions FROM engine_decisions GROUP BY decision_id) c
       ON c.decision_id = d.decision_id AND c.latest = d.version
     JOIN engine_decision_requirements r ON r.\`key\` = d.drg_key
     ORDER BY d.decision_id`,
  )) as Array<DecisionRow & { versions: number | string; resource_name: string }>;
  return rows.map((r) => ({ ...toRecord(r), versionCount: Number(r.versions), resourceName: r.resource_name }));
}

/** One graph version's XML (for the editor and the version diff). */
export async function drgXml(em: EntityManager, drgKey: string): Promise<{ xml: string; drgId: string; version: number; resourceName: string } | undefined> {
  if (!/^\d{1,18}$/.test(drgKey)) return undefined;
  const rows = await select<{ xml: string; drg_id: string; version: number | string; resource_name: string }>(em, 'SELECT xml, drg_id, version, resource_name FROM engine_decision_requirements WHERE `key` = ?', [Number(drgKey)]);
  return rows[0] && { xml: rows[0].xml, drgId: rows[0].drg_id, version: Number(rows[0].version), resourceName: rows[0].resource_name };
}

const compiled = new CompiledPerVersion<CompiledDrg>();

/** The compiled graph of a stored version, compiled once per database and key. */
export function loadDrg(em: EntityManager, drgKey: string): Promise<CompiledDrg> {
  return compiled.get(em, drgKey, async () => {
    const row = await drgXml(em, drgKey);
    if (!row) throw new Error(`No decision requirements graph ${drgKey}.`);
    const { drg } = await compileDmn(row.xml);
    if (!drg) throw new Error(`The stored decision requirements graph ${drgKey} no longer compiles.`);
    return drg;
  });
}

export interface DrgSummary {
  key: string;
  drgId: string;
  name: string | null;
  version: number;
  resourceName: string;
  deployedAt: number;
}

interface DrgRow { key: number | string; drg_id: string; name: string | null; version: number | string; resource_name: string; deployed_at: number | string; versions?: number | string }

const toDrg = (r: DrgRow): DrgSummary => ({ key: String(r.key), drgId: r.drg_id, name: r.name ?? null, version: Number(r.version), resourceName: r.resource_name, deployedAt: Number(r.deployed_at) });

/** Every deployed decision resource: its latest version, how many versions it has, and its decisions. */
export async function listDrgs(em: EntityManager): Promise<Array<DrgSummary & { versionCount: number; decisions: Array<{ decisionId: string; name: string | null }> }>> {
  const rows = (await em.query(
    `SELECT r.\`key\`, r.drg_id, r.name, r.version, r.resource_name, r.deployed_at, c.versions FROM engine_decision_requirements r
     JOIN (SELECT drg_id, MAX(version) AS latest, COUNT(*) AS versions FROM engine_decision_requirements GROUP BY drg_id) c
       ON c.drg_id = r.drg_id AND c.latest = r.version
     ORDER BY r.drg_id`,
  )) as DrgRow[];
  const out = [];
  for (const r of rows) {
    const decisions = (await em.query('SELECT decision_id, name FROM engine_decisions WHERE drg_key = ? ORDER BY `key`', [Number(r.key)])) as Array<{ decision_id: string; name: string | null }>;
    out.push({ ...toDrg(r), versionCount: Number(r.versions), decisions: decisions.map((d) => ({ decisionId: d.decision_id, name: d.name ?? null })) });
  }
  return out;
}

/** One version of a decision resource (the latest when none is given), with its XML; and every version. */
export async function drgVersion(em: EntityManager, drgId: string, version?: number): Promise<(DrgSummary & { xml: string; versions: DrgSummary[] }) | undefined> {
  const all = ((await em.query(
    'SELECT `key`, drg_id, name, version, resource_name, deployed_at FROM engine_decision_requirements WHERE drg_id = ? ORDER BY version DESC', [drgId],
  )) as DrgRow[]).map(toDrg);
  const pick = version === undefined ? all[0] : all.find((v) => v.version === version);
  if (!pick) return undefined;
  const xml = await drgXml(em, pick.key);
  return { ...pick, xml: xml?.xml ?? '', versions: all };
}
