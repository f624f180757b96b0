/**
 * Where the runtime finds deployed processes. The default reads the deployment tables
 * (src/engine/deploy); tests may pass an in-memory source. Executables are cached by definition key:
 * a deployed version never changes, and their number does not grow with the number of instances.
 */
import { EntityManager } from 'typeorm';
import { definitionByVersion, getDefinition, loadExecutable } from '../deploy/definitions';
import { ExecutableProcess } from '../model/types';
import { select } from './tx';

export interface DefinitionInfo {
  definitionKey: string;
  bpmnProcessId: string;
  version: number;
}

export interface DefinitionSource {
  latest(em: EntityManager, bpmnProcessId: string): Promise<DefinitionInfo | null>;
  byVersion(em: EntityManager, bpmnProcessId: string, version: number): Promise<DefinitionInfo | null>;
  get(em: EntityManager, definitionKey: string): Promise<DefinitionInfo | null>;
  executable(em: EntityManager, definitionKey: string): Promise<ExecutableProcess>;
}

/** The deployed definitions (engine_process_definitions). */
export class DeployedDefinitions implements DefinitionSource {
  /** Read on every start, so only the columns the runtime uses, not the diagram's XML. */
  async latest(em: EntityManager, bpmnProcessId: string) {
    // Through the step's statement queue, so that on MySQL it goes out with START TRANSACTION.
    const [d] = await select<{ k: number | string; version: number | string }>(em,
      'SELECT d.`key` AS k, d.version FROM engine_process_definitions d WHERE d.bpmn_process_id = ? AND d.deleted_at IS NULL ORDER BY d.version DESC LIMIT 1',
      [bpmnProcessId]);
    return d ? { definitionKey: String(d.k), bpmnProcessId, version: Number(d.version) } : null;
  }

  async byVersion(em: EntityManager, bpmnProcessId: string, version: number) {
    const d = await definitionByVersion(em, bpmnProcessId, version);
    return d && !(await isDeleted(em, d.key)) ? { definitionKey: d.key, bpmnProcessId: d.bpmnProcessId, version: d.version } : null;
  }

  /** A deleted version (DeleteResource) is not found here: the runtime starts nothing on it; history reads deploy/definitions directly. */
  async get(em: EntityManager, definitionKey: string) {
    const d = await getDefinition(em, definitionKey);
    return d && !(await isDeleted(em, d.key)) ? { definitionKey: d.key, bpmnProcessId: d.bpmnProcessId, version: d.version } : null;
  }

  executable(em: EntityManager, definitionKey: string) {
    return loadExecutable(em, definitionKey);
  }
}

async function isDeleted(em: EntityManager, definitionKey: string): Promise<boolean> {
  const [row] = await select<{ deleted_at: number | string | null }>(em, 'SELECT deleted_at FROM engine_process_definitions WHERE `key` = ?', [Number(definitionKey)]);
  return row?.deleted_at != null;
}

/** Definitions held in memory; for tests and tools that compile diagrams without deploying them. */
export class MemoryDefinitions implements DefinitionSource {
  private readonly defs: Array<DefinitionInfo & { process: ExecutableProcess }> = [];

  add(process: ExecutableProcess): DefinitionInfo {
    const version = this.defs.filter((d) => d.bpmnProcessId === process.id).length + 1;
    const info = { definitionKey: String(this.defs.length + 1), bpmnProcessId: process.id, version };
    this.defs.push({ ...info, process });
    return info;
  }

  async latest(_em: EntityManager, bpmnProcessId: string) {
    const all = this.defs.filter((d) => d.bpmnProcessId === bpmnProcessId);
    return all.length ? strip(all[all.length - 1]) : null;
  }

  async byVersion(_em: EntityManager, bpmnProcessId: string, version: number) {
    const d = this.defs.find((x) => x.bpmnProcessId === bpmnProcessId && x.version === version);
    return d ? strip(d) : null;
  }

  async get(_em: EntityManager, definitionKey: string) {
    const d = this.defs.find((x) => x.definitionKey === definitionKey);
    return d ? strip(d) : null;
  }

  async executable(_em: EntityManager, definitionKey: string) {
    const d = this.defs.find((x) => x.definitionKey === definitionKey);
    if (!d) throw new Error(`no definition ${definitionKey}`);
    return d.process;
  }
}

function strip(d: DefinitionInfo): DefinitionInfo {
  return { definitionKey: d.definitionKey, bpmnProcessId: d.bpmnProcessId, version: d.version };
}
