/**
 * Repairing and migrating running instances: what the service asks of an engine that can (the
 * embedded engine; a Zeebe cluster is repaired in Camunda's own tools). Kept beside the port
 * (port.ts) rather than in it, because only one implementation has it: `instanceRepairOf` answers
 * the capability or null. The shapes follow Zeebe 8.8's ModifyProcessInstance and
 * MigrateProcessInstance.
 */
import type { EntityManager } from 'typeorm';
import type { Vars } from './port-types';

export interface VariableInstruction {
  /** Empty: the process instance. Else the activated element's id or the id of one of its enclosing sub-processes. */
  scopeId?: string;
  variables: Vars;
}

export interface ActivateInstruction {
  elementId: string;
  /** The element instance to activate inside (the process instance or a sub-process instance); empty, '0' or '-1': chosen by the engine. */
  ancestorElementInstanceKey?: string;
  variables?: VariableInstruction[];
}

export interface ModifyInstanceRequest {
  activate?: ActivateInstruction[];
  /** Element instance keys to terminate. */
  terminate?: string[];
}

export interface ModificationResult {
  activated: Array<{ elementId: string; elementInstanceKey: string }>;
  terminated: Array<{ elementId: string; elementInstanceKey: string }>;
}

export interface MappingInstruction { sourceElementId: string; targetElementId: string }

export interface MigrationPlan {
  targetDefinitionKey: string;
  mappings: MappingInstruction[];
}

export interface BatchMigrationPlan extends MigrationPlan {
  sourceDefinitionKey: string;
}

/** What a batch migration would touch: the running instances of the source version, per active element. */
export interface MigrationPreview {
  sourceDefinitionKey: string;
  targetDefinitionKey: string;
  /** Running instances of the source version. */
  instances: number;
  elements: Array<{
    elementId: string;
    name: string | null;
    kind: string;
    /** Active element instances of this element. */
    count: number;
    /** Instances holding one. */
    instances: number;
    targetElementId: string | null;
    /** Why instances at this element cannot move with this plan; null when they can. */
    problem: { code: string; message: string } | null;
  }>;
  /** Instances the plan would move, and those it would refuse. */
  migratable: number;
  blocked: number;
}

export interface MigrationFailure { processInstanceKey: string; code: string; message: string }

export interface MigrationReport {
  total: number;
  migrated: number;
  failed: MigrationFailure[];
}

export interface MigrationProgress { done: number; total: number; migrated: number; failed: number }

/** The elements of one deployed version, for choosing what to start and how to map. */
export interface VersionElements {
  definitionKey: string;
  bpmnProcessId: string;
  version: number;
  elements: Array<{
    elementId: string;
    name: string | null;
    kind: string;
    /** A modification may activate it (not a start or boundary event, not an event after an event-based gateway). */
    activatable: boolean;
  }>;
}

export interface InstanceRepair {
  modifyInstance(key: string, req: ModifyInstanceRequest, em?: EntityManager): Promise<ModificationResult>;
  migrateInstance(key: string, plan: MigrationPlan, em?: EntityManager): Promise<void>;
  previewMigration(plan: BatchMigrationPlan): Promise<MigrationPreview>;
  migrateAll(plan: BatchMigrationPlan, opts?: { batchSize?: number; onProgress?: (p: MigrationProgress) => Promise<void> | void }): Promise<MigrationReport>;
  /** A version's elements by definition key, or by process id and version; null when not deployed. */
  versionElements(which: { definitionKey: string } | { bpmnProcessId: string; version: number }): Promise<VersionElements | null>;
}

/** The engine's repair and migration commands, or null when it has none (Zeebe mode). */
export function instanceRepairOf(engine: object): InstanceRepair | null {
  const e = engine as Partial<InstanceRepair>;
  const all = [e.modifyInstance, e.migrateInstance, e.previewMigration, e.migrateAll, e.versionElements];
  return all.every((f) => typeof f === 'function') ? (e as InstanceRepair) : null;
}
