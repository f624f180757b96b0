/**
 * Repairing an incident of a case: put right the one value its message names (checked as its form
 * checks it), then resolve the incident so the step is retried. Audited on the case.
 */
import type { DataSource } from 'typeorm';
import { Actor, recordAudit } from '../audit/audit';
import type { CaseRef } from '../auth/policy';
import { inTransaction } from '../db/data-source';
import type { IncidentView, WorkflowEngine } from '../engine/port';
import { errors } from '../errors';
import { caseOfProcessInstance, findIncident } from './instance-case';
import { repairableField } from './repairable';

export interface RepairRequest {
  incidentKey: string;
  /** The corrected value of the field the incident names; none: retry as it is. */
  variables?: Record<string, unknown>;
}

/** The open incident `key` of case `c`, or 404 as for a key that does not exist. */
export async function incidentOfCase(ds: DataSource, engine: WorkflowEngine, c: CaseRef, key: string): Promise<IncidentView> {
  const incident = await findIncident(engine, key);
  const owner = incident ? await caseOfProcessInstance(ds.manager, engine, incident.processInstanceKey) : null;
  if (!incident || owner?.id !== c.id) throw errors.notFound('incident', key);
  if (incident.state !== 'active') throw errors.conflict('INCIDENT_ALREADY_RESOLVED', '该故障已处理。');
  return incident;
}

export async function repairIncident(
  deps: { ds: DataSource; engine: WorkflowEngine; now: Date; serviceDateDaysAhead: number }, actor: Actor, c: CaseRef, req: RepairRequest,
): Promise<{ key: string; corrected: string[] }> {
  const incident = await incidentOfCase(deps.ds, deps.engine, c, req.incidentKey);
  const given = Object.entries(req.variables ?? {});
  const field = repairableField(incident.errorMessage);
  if (given.length) {
    // Only the value the message names may be changed here: the rest of the case's data is not the incident's.
    const wrong = given.filter(([k]) => k !== field?.variable);
    if (wrong.length) {
      throw errors.validation('只能更正故障原因所指的内容。', wrong.map(([k]) => ({ path: `body.variables.${k}`, message: field ? `此处只能更正${field.label}` : '此故障不需要更正数据，直接重试即可' })));
    }
    const pi = await deps.engine.getInstance(incident.processInstanceKey);
    const why = field!.check(given[0][1], { variables: pi.variables, now: deps.now.getTime(), serviceDateDaysAhead: deps.serviceDateDaysAhead });
    if (why) throw errors.validation(why, [{ path: `body.variables.${field!.variable}`, message: why }]);
  }
  const variables = Object.fromEntries(given);
  await inTransaction(deps.ds, async (em) => {
    if (given.length) await deps.engine.setVariables(incident.elementInstanceKey, variables, { local: false, em });
    await recordAudit(em, actor, deps.now, {
      action: 'incident.repair', entityType: 'incident', entityId: incident.key, caseId: c.id,
      before: { reason: incident.errorMessage, elementId: incident.elementId }, after: { variables },
    });
  });
  await deps.engine.resolveIncident(incident.key);
  return { key: incident.key, corrected: Object.keys(variables) };
}
