/**
 * The variables a job trusts to name its record (the case, the warning, the patrol…) and its results
 * are the service's to set. Staff may not start an instance with any of them, nor point a running
 * one at another record; either would let a job act on a record the request could not reach.
 */
import { AppError } from '../errors';
import { RECORD_IDENTITY_VARIABLES, reservedNames, SYSTEM_VARIABLES } from '../workers/system-variables';

/** Refuses variables for a new instance (`start`) or for a running one (`running`) with 400 RESERVED_VARIABLE. */
export function refuseReservedVariables(variables: Record<string, unknown>, when: 'start' | 'running'): void {
  const names = reservedNames(variables, when === 'start' ? SYSTEM_VARIABLES : RECORD_IDENTITY_VARIABLES);
  if (names.length) {
    throw new AppError(400, 'RESERVED_VARIABLE', `Set by the service, not by a request: ${names.join(', ')}.`,
      names.map((k) => ({ path: `body.variables.${k}`, message: 'set by the service, not by a request' })));
  }
}
