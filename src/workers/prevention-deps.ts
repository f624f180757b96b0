/**
 * What the prevention workers need beyond the common deps: an engine to start and message the
 * lifecycles they open (a warning from a patrol, an inspection case opened by the office itself).
 */
import type { WarningEngine } from '../prevention/warnings';
import type { WorkerDeps } from './deps';

export function processesOf(deps: WorkerDeps): WarningEngine {
  if (!deps.processes) throw new Error('this worker starts processes: the service gives it the engine (WorkerDeps.processes)');
  return deps.processes;
}
