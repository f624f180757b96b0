/**
 * Every job worker of the product, one file per job type (named after it). The same registrations
 * run on the embedded engine's worker runtime and, through @camunda8/sdk, on Zeebe.
 */
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock/clock';
import type { LegalRuleSet } from '../config/legal-rules';
import type { WorkerRegistration } from './contract';

/** What workers are built from: injected, so tests pass their own database, clock and rules. */
export interface WorkerDeps {
  ds: DataSource;
  clock: Clock;
  rules: LegalRuleSet;
  logger: { info(obj: unknown, msg?: string): void; warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- registrations differ in their variable types
export type AnyRegistration = WorkerRegistration<any, any>;

export function createWorkers(_deps: WorkerDeps): AnyRegistration[] {
  return [];
}
