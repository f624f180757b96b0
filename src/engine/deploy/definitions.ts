/**
 * Deployed process definitions and forms of the embedded engine, stored in the case database.
 *
 * Deploying checks every resource first (BPMN: XML, subset, FEEL, Camunda 8.8 lint; forms: JSON with an
 * id) and writes nothing when any check finds an error. Each process then becomes a new version unless
 * its XML is identical to the latest version (Zeebe's duplicate behaviour: the same version is answered).
 * Definitions are immutable, so their compiled form is cached per database and key.
 *
 * Keys are database-generated integers exposed as strings, like Zeebe's int64 keys.
 * Every function takes the EntityManager explicitly so callers can share their transaction.
 */
import { sqliteTransactionLock } from '../../db/data-source';
import { isUniqueViolation } from '../../db/portable';
import type { DataSource, EntityManager } from 'typeorm';
import { systemClock, type Clock } from '../../clock/clock';
import { checkBpmn, sortProblems } from '../model/check';
import { compileBpmn } from '../model/compile';
import type { DiagramProblem, ExecutableProcess } from '../model/types';
import type { DeployResource, DeployedForm, DeployedProcess, DeploymentResult, ResourceProblem } from '../port-types';
import { reject } from '../rejection';
import { prepareDmn, storeDrg, type PreparedDrg } from '../dmn/store';
import { checksumOf, CompiledPerVersion, insertedKey, LATEST_RESOURCE_COLUMNS, latestVersion, nextVersion, retryLostVersion, type LatestResource } from './versions';

export type { DeployResource, DeployedForm, DeployedProcess, DeploymentResult, ResourceProblem } from '../port-types';

export interface DefinitionSummary {
  key: string;
  bpmnProcessId: string;
  name: string | null;
  version: number;
  resourceName: string;
  checksum: string;
  deploymentKey: string;
  deployedAt: number;
}

export interface DefinitionRecord extends DefinitionSummary {
  xml: string;
}

export interface ProcessSummary extends DefinitionSummary {
  /** How many versions of this process exist; the rest of the row is the latest version. */
  versionCount: number;
}

export interface FormRecord {
  key: string;
  formId: string;
  version: number;
  resourceName: string;
  checksum: string;
  deploymentKey: string;
  deployedAt: number;
  schema: Record<string, unknown>;
}

const PD_COLUMNS = 'd.`key`, d.bpmn_process_id, d.name, d.version, d.resource_name, d.checksum, d.deployment_key, d.deployed_at';

interface PreparedProcess {
  bpmnProcessId: string;
  process: ExecutableProcess;
  name: string | null;
  resourceName: string;
  xml: string;
  checksum: string;
}

interface PreparedForm {
  formId: string;
  resourceName: string;
  content: string;
  checksum: string;
}

/**
 * Checks and stores a deployment inside the caller's transaction. Rejects it (INVALID_ARGUMENT,
 * INVALID_DIAGRAM) with every problem (resource, element id, rule, message, severity) when any resource has an error.
 *
 * Concurrent deployments of the same process are kept apart by the unique (bpmn_process_id, version)
 * index: a losing insert re-reads the latest version and tries again. On SQLite (and on MySQL
 * deadlocks) the whole transaction can fail instead; deployWithRetry() retries it.
 */
export async function deployResources(em: EntityManager, resources: DeployResource[], deployedBy: string, clock: Clock = systemClock): Promise<DeploymentResult> {
  if (resources.length === 0) throw reject.invalidArgument('INVALID_DIAGRAM', 'Nothing to deploy: no resources were given.', []);
  const problems: ResourceProblem[] = [];
  const processes: PreparedProcess[] = [];
  const forms: PreparedForm[] = [];
  const drgs: PreparedDrg[] = [];
  const seenNames = new Set<string>();

  for (const resource of resources) {
    const add = (list: DiagramProblem[]) => problems.push(...list.map((p) => toResourceProblem(resource.name, p)));
    if (seenNames.has(resource.name)) {
      add([{ rule: 'resource', severity: 'error', message: `The resource '${resource.name}' is given twice.` }]);
      continue;
    }
    seenNames.add(resource.name);
    const kind = resourceKind(resource.name);
    if (kind === 'bpmn') {
      const check = await checkBpmn(resource.content);
      add(check.problems);
      for (const p of check.processes) {
        processes.push({ bpmnProcessId: p.id, process: p, name: p.name ?? null, resourceName: resource.name, xml: resource.content, checksum: checksumOf(resource.content) });
      }
    } else if (kind === 'form') {
      const form = checkForm(resource.content);
      add(form.problems);
      if (form.formId) forms.push({ formId: form.formId, resourceName: resource.name, content: resource.content, checksum: checksumOf(resource.content) });
    } else if (kind === 'dmn') {
      const dmn = await prepareDmn(resource.name, resource.content);
      add(dmn.problems);
      if (dmn.prepared) drgs.push(dmn.prepared);
    } else {
      add([{ rule: 'resource', severity: 'error', message: `'${resource.name}' is neither a BPMN diagram (.bpmn), a decision (.dmn) nor a form (.form).` }]);
    }
  }
  problems.push(...duplicatesWithin(processes.map((p) => [p.bpmnProcessId, p.resourceName]), 'process'));
  problems.push(...duplicatesWithin(forms.map((f) => [f.formId, f.resourceName]), 'form'));
  problems.push(...duplicatesWithin(drgs.map((d) => [d.drg.id, d.resourceName]), 'decision requirements'));
  problems.push(...duplicatesWithin(drgs.flatMap((d) => d.drg.decisions.map((x): [string, string] => [x.id, d.resourceName])), 'decision'));
  problems.push(...(await missingForms(em, processes, forms)));

  const sorted = sortProblems(problems) as ResourceProblem[];
  const errorCount = sorted.filter((p) => p.severity === 'error').length;
  if (errorCount > 0) {
    throw reject.invalidArgument('INVALID_DIAGRAM', `The deployment was refused: ${errorCount} problem${errorCount === 1 ? '' : 's'} must be fixed first.`, sorted);
  }

  const now = clock.now().getTime();
  const inserted = (await em.query('INSERT INTO engine_deployments (deployed_at, deployed_by) VALUES (?, ?)', [now, deployedBy])) as unknown;
  const deploymentKey = insertedKey(inserted);
  const result: DeploymentResult = { deploymentKey, processes: [], forms: [], warnings: sorted };
  for (const p of processes) result.processes.push(await storeProcess(em, p, deploymentKey, now));
  for (const f of forms) result.forms.push(await storeForm(em, f, deploymentKey, now));
  for (const d of drgs) {
    const stored = await storeDrg(em, d, deploymentKey, now);
    (result.decisionRequirements ??= []).push(stored.requirements);
    (result.decisions ??= []).push(...stored.decisions);
  }
  return result;
}

/**
 * Runs deployResources in its own transaction, retrying when a concurrent deployment (another
 * process on the same database) won a race.
 */
export async function deployWithRetry(ds: DataSource, resources: DeployResource[], deployedBy: string, clock: Clock = systemClock, attempts = 5): Promise<DeploymentResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await serialisedOnSqlite(ds, () => ds.transaction((em) => deployResources(em, resources, deployedBy, clock)));
    } catch (e) {
      if (attempt >= attempts || !isRetryable(e)) throw e;
      await new Promise((r) => setTimeout(r, 10 * attempt + Math.floor(Math.random() * 20)));
    }
  }
}

/** SQLite transactions of one process queue on the data source's shared lock (see src/db/data-source.ts). */
function serialisedOnSqlite<T>(ds: DataSource, work: () => Promise<T>): Promise<T> {
  if (ds.options.type === 'mysql') return work();
  return sqliteTransactionLock(ds).run(work);
}

function resourceKind(name: string): 'bpmn' | 'form' | 'dmn' | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.bpmn') || lower.endsWith('.bpmn20.xml')) return 'bpmn';
  if (lower.endsWith('.form')) return 'form';
  if (lower.endsWith('.dmn')) return 'dmn';
  return null;
}

function toResourceProblem(resource: string, p: DiagramProblem): ResourceProblem {
  return { resource, ...p, ...(p.elementId ? { path: p.elementId } : {}) };
}

function duplicatesWithin(entries: [string, string][], what: 'process' | 'form' | 'decision' | 'decision requirements'): ResourceProblem[] {
  const seen = new Map<string, string>();
  const out: ResourceProblem[] = [];
  for (const [id, resource] of entries) {
    const first = seen.get(id);
    if (first !== undefined) {
      out.push({ resource, elementId: id, path: id, rule: 'resource', severity: 'error', message: `The ${what} id '${id}' is defined in '${first}' and again in '${resource}'.` });
    } else seen.set(id, resource);
  }
  return out;
}

/** A form-js schema: a JSON object with a string id and a list of components. */
export function checkForm(content: string): { formId?: string; problems: DiagramProblem[] } {
  let schema: unknown;
  try {
    schema = JSON.parse(content);
  } catch (e) {
    return { problems: [{ rule: 'form', severity: 'error', message: `The form is not valid JSON: ${(e as Error).message}` }] };
  }
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
    return { problems: [{ rule: 'form', severity: 'error', message: 'The form must be a JSON object (a form-js schema).' }] };
  }
  const { id, components } = schema as { id?: unknown; components?: unknown };
  const problems: DiagramProblem[] = [];
  if (typeof id !== 'string' || id.trim() === '') problems.push({ rule: 'form', severity: 'error', message: 'The form schema needs an "id" (the formId user tasks refer to).' });
  if (!Array.isArray(components)) problems.push({ rule: 'form', severity: 'error', message: 'The form schema needs a "components" list.' });
  return typeof id === 'string' && id.trim() !== '' ? { formId: id, problems } : { problems };
}

/** User tasks whose formId is neither in this deployment nor deployed: a warning, as the form may follow. */
async function missingForms(em: EntityManager, processes: PreparedProcess[], forms: PreparedForm[]): Promise<ResourceProblem[]> {
  const out: ResourceProblem[] = [];
  const known = new Set(forms.map((f) => f.formId));
  for (const { process, resourceName } of processes) {
    for (const el of Object.values(process.elements)) {
      if (el.kind !== 'userTask' || !el.formId || known.has(el.formId)) continue;
      const rows = (await em.query('SELECT 1 AS found FROM engine_forms WHERE form_id = ? LIMIT 1', [el.formId])) as unknown[];
      if (rows.length > 0) {
        known.add(el.formId);
        continue;
      }
      out.push({ resource: resourceName, elementId: el.id, path: el.id, rule: 'form-reference', severity: 'warning', message: `User task '${el.id}' uses the form '${el.formId}', which is not deployed yet.` });
    }
  }
  return out;
}

async function storeProcess(em: EntityManager, p: PreparedProcess, deploymentKey: string, now: number): Promise<DeployedProcess> {
  return retryLostVersion(async (locked) => {
    const latest = await latestVersion<LatestResource>(em, 'engine_process_definitions', p.bpmnProcessId, LATEST_RESOURCE_COLUMNS, locked);
    // A deleted version is no answer to a deployment of the same diagram: it comes back as a new version.
    if (latest && latest.checksum === p.checksum && latest.deleted_at == null) {
      return { bpmnProcessId: p.bpmnProcessId, version: Number(latest.version), key: String(latest.key), resourceName: p.resourceName, duplicate: true };
    }
    const version = nextVersion(latest);
    const res = (await em.query(
      'INSERT INTO engine_process_definitions (bpmn_process_id, name, version, resource_name, checksum, xml, deployment_key, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [p.bpmnProcessId, p.name, version, p.resourceName, p.checksum, p.xml, Number(deploymentKey), now],
    )) as unknown;
    return { bpmnProcessId: p.bpmnProcessId, version, key: insertedKey(res), resourceName: p.resourceName, duplicate: false };
  });
}

async function storeForm(em: EntityManager, f: PreparedForm, deploymentKey: string, now: number): Promise<DeployedForm> {
  return retryLostVersion(async (locked) => {
    const latest = await latestVersion<LatestResource>(em, 'engine_forms', f.formId, LATEST_RESOURCE_COLUMNS, locked);
    if (latest && latest.checksum === f.checksum && latest.deleted_at == null) {
      return { formId: f.formId, version: Number(latest.version), key: String(latest.key), resourceName: f.resourceName, duplicate: true };
    }
    const version = nextVersion(latest);
    const res = (await em.query(
      'INSERT INTO engine_forms (form_id, version, resource_name, checksum, schema_json, deployment_key, deployed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [f.formId, version, f.resourceName, f.checksum, f.content, Number(deploymentKey), now],
    )) as unknown;
    return { formId: f.formId, version, key: insertedKey(res), resourceName: f.resourceName, duplicate: false };
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

interface DefinitionRow {
  key: number | string;
  bpmn_process_id: string;
  name: string | null;
  version: number | string;
  resource_name: string;
  checksum: string;
  deployment_key: number | string;
  deployed_at: number | string;
  xml?: string;
  versions?: number | string;
}

function toSummary(r: DefinitionRow): DefinitionSummary {
  return {
    key: String(r.key),
    bpmnProcessId: r.bpmn_process_id,
    name: r.name ?? null,
    version: Number(r.version),
    resourceName: r.resource_name,
    checksum: r.checksum,
    deploymentKey: String(r.deployment_key),
    deployedAt: Number(r.deployed_at),
  };
}

function toRecord(r: DefinitionRow): DefinitionRecord {
  return { ...toSummary(r), xml: r.xml ?? '' };
}

/** One version by its key, with its XML; undefined when there is none. */
export async function getDefinition(em: EntityManager, key: string): Promise<DefinitionRecord | undefined> {
  if (!/^\d{1,18}$/.test(key)) return undefined;
  const rows = (await em.query(`SELECT ${PD_COLUMNS}, d.xml FROM engine_process_definitions d WHERE d.\`key\` = ?`, [Number(key)])) as DefinitionRow[];
  return rows[0] && toRecord(rows[0]);
}

/** The latest version of a process, with its XML. */
export async function latestDefinition(em: EntityManager, bpmnProcessId: string): Promise<DefinitionRecord | undefined> {
  const rows = (await em.query(
    `SELECT ${PD_COLUMNS}, d.xml FROM engine_process_definitions d WHERE d.bpmn_process_id = ? ORDER BY d.version DESC LIMIT 1`,
    [bpmnProcessId],
  )) as DefinitionRow[];
  return rows[0] && toRecord(rows[0]);
}

/** One given version of a process, with its XML. */
export async function definitionByVersion(em: EntityManager, bpmnProcessId: string, version: number): Promise<DefinitionRecord | undefined> {
  const rows = (await em.query(
    `SELECT ${PD_COLUMNS}, d.xml FROM engine_process_definitions d WHERE d.bpmn_process_id = ? AND d.version = ?`,
    [bpmnProcessId, version],
  )) as DefinitionRow[];
  return rows[0] && toRecord(rows[0]);
}

/** Every process: its latest version plus how many versions it has, by process id. */
export async function listDefinitions(em: EntityManager): Promise<ProcessSummary[]> {
  const rows = (await em.query(
    `SELECT ${PD_COLUMNS}, c.versions FROM engine_process_definitions d
     JOIN (SELECT bpmn_process_id, MAX(version) AS latest, COUNT(*) AS versions FROM engine_process_definitions GROUP BY bpmn_process_id) c
       ON c.bpmn_process_id = d.bpmn_process_id AND c.latest = d.version
     ORDER BY d.bpmn_process_id`,
  )) as DefinitionRow[];
  return rows.map((r) => ({ ...toSummary(r), versionCount: Number(r.versions) }));
}

/** All versions of one process, newest first, without XML. */
export async function listVersions(em: EntityManager, bpmnProcessId: string): Promise<DefinitionSummary[]> {
  const rows = (await em.query(
    `SELECT ${PD_COLUMNS} FROM engine_process_definitions d WHERE d.bpmn_process_id = ? ORDER BY d.version DESC`,
    [bpmnProcessId],
  )) as DefinitionRow[];
  return rows.map(toSummary);
}

interface FormRow {
  key: number | string;
  form_id: string;
  version: number | string;
  resource_name: string;
  checksum: string;
  deployment_key: number | string;
  deployed_at: number | string;
  schema_json: string;
}

/** A form by id: the given version, or the latest. */
export async function getForm(em: EntityManager, formId: string, version?: number): Promise<FormRecord | undefined> {
  const cols = '`key`, form_id, version, resource_name, checksum, deployment_key, deployed_at, schema_json';
  const rows = (version === undefined
    ? await em.query(`SELECT ${cols} FROM engine_forms WHERE form_id = ? AND deleted_at IS NULL ORDER BY version DESC LIMIT 1`, [formId])
    : await em.query(`SELECT ${cols} FROM engine_forms WHERE form_id = ? AND version = ?`, [formId, version])) as FormRow[];
  const r = rows[0];
  if (!r) return undefined;
  return {
    key: String(r.key),
    formId: r.form_id,
    version: Number(r.version),
    resourceName: r.resource_name,
    checksum: r.checksum,
    deploymentKey: String(r.deployment_key),
    deployedAt: Number(r.deployed_at),
    schema: JSON.parse(r.schema_json) as Record<string, unknown>,
  };
}

// ---------------------------------------------------------------------------------------------
// Executable models

const executables = new CompiledPerVersion<ExecutableProcess>();

/**
 * The compiled process of a definition key, compiled once per key and database. Rejects with NOT_FOUND
 * when the key does not exist.
 */
export function loadExecutable(em: EntityManager, definitionKey: string): Promise<ExecutableProcess> {
  return executables.get(em, definitionKey, async () => {
    const def = await getDefinition(em, definitionKey);
    if (!def) throw reject.notFound('DEFINITION_NOT_FOUND', `No process definition ${definitionKey}.`);
    const compiled = await compileBpmn(def.xml);
    const process = compiled.processes.find((p) => p.id === def.bpmnProcessId);
    if (!process) throw new Error(`The stored definition ${definitionKey} does not contain process '${def.bpmnProcessId}'.`);
    return process;
  });
}

/** The latest version of a process with its compiled model, e.g. to start an instance or a call activity. */
export async function loadLatestExecutable(em: EntityManager, bpmnProcessId: string): Promise<{ definition: DefinitionSummary; process: ExecutableProcess } | undefined> {
  const rows = (await em.query(
    `SELECT ${PD_COLUMNS} FROM engine_process_definitions d WHERE d.bpmn_process_id = ? ORDER BY d.version DESC LIMIT 1`,
    [bpmnProcessId],
  )) as DefinitionRow[];
  if (!rows[0]) return undefined;
  const definition = toSummary(rows[0]);
  return { definition, process: await loadExecutable(em, definition.key) };
}

// ---------------------------------------------------------------------------------------------
// Driver differences

function driverError(e: unknown): { code?: string; errno?: number } {
  const inner = (e as { driverError?: unknown }).driverError ?? e;
  return (inner ?? {}) as { code?: string; errno?: number };
}

function isRetryable(e: unknown): boolean {
  const { code, errno } = driverError(e);
  return isUniqueViolation(e) || code === 'ER_LOCK_DEADLOCK' || errno === 1213 || code === 'ER_LOCK_WAIT_TIMEOUT' || errno === 1205
    || (typeof code === 'string' && code.startsWith('SQLITE_BUSY'));
}
