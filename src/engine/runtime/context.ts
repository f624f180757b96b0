/**
 * What the embedded engine's commands, queries and scheduling share: the data source and clock, the
 * deployed definitions, the host the steps call back into, and the way to run a step. The facade
 * (engine.ts) makes one and hands it to each module, so a module is a set of functions of it.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../clock/clock';
import type { ExecutableProcess } from '../model/types';
import type { DefinitionSource } from './definitions';
import type { Step, StepHost } from './step';

export interface EngineLogger {
  error(obj: unknown, msg?: string): void;
}

export interface EngineContext {
  readonly ds: DataSource;
  readonly clock: Clock;
  readonly definitions: DefinitionSource;
  readonly host: StepHost;
  readonly logger?: EngineLogger;
  /** Runs one step: in the caller's transaction when `em` is given, else in its own; after the commit, pushes its jobs and wakes the poller. */
  step<T>(em: EntityManager | undefined, work: (step: Step) => Promise<T>): Promise<T>;
  executable(em: EntityManager, definitionKey: string): Promise<ExecutableProcess>;
}
