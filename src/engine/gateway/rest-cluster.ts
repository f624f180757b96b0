/**
 * The process instance and cluster part of the Camunda 8.8 REST API served by the embedded engine:
 * what Camunda's own client test suite calls to clean up after itself (search the running instances
 * of its diagrams and cancel them) and to see that the cluster is up.
 *
 * GET /v2/topology answers the one broker with its one partition, the same cluster the gRPC
 * Topology call describes. POST /v2/process-instances/search filters on processDefinitionId,
 * processDefinitionKey, processInstanceKey and state (ACTIVE, COMPLETED, TERMINATED; a cancelled
 * instance is TERMINATED, as Camunda reports it), pages with from/limit, newest first.
 * POST /v2/process-instances/{key}/cancellation cancels a running instance (204), 404 for an unknown key.
 */
import type { InstanceState, InstanceSummary } from '../port-types';
import { isRejection } from '../rejection';
import type { EmbeddedEngine } from '../runtime/engine';
import { Problem, type Json } from './rest-problem';
import { DEFAULT_TENANT, GATEWAY_VERSION } from './server';

/** Largest page of one search, as for user tasks. */
const MAX_PAGE = 1000;
/** Instances read per engine page while filtering. */
const SCAN_BATCH = 500;
/**
 * Most instances one search reads: beyond it totalItems is a lower bound and hasMoreTotalItems says
 * so (Camunda's own answer for counts it does not finish).
 */
const MAX_SCAN = 10_000;

const STATE_OUT: Record<InstanceState, string> = { active: 'ACTIVE', completed: 'COMPLETED', canceled: 'TERMINATED', terminated: 'TERMINATED' };
const STATE_IN: Record<string, InstanceState[]> = { ACTIVE: ['active'], COMPLETED: ['completed'], TERMINATED: ['canceled', 'terminated'] };
const KEY = /^\d{1,19}$/;

/** The one-broker, one-partition cluster, in the REST API's shape (roles and health in lower case). */
export function restTopology(host: string, grpcPort: number | undefined): Json {
  return {
    brokers: [{
      nodeId: 0, host, port: grpcPort ?? 0, version: GATEWAY_VERSION,
      partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }],
    }],
    clusterSize: 1, partitionsCount: 1, replicationFactor: 1, gatewayVersion: GATEWAY_VERSION, lastCompletedChangeId: '-1',
  };
}

function keyFilter(filter: Json, name: string): string | undefined {
  const v = filter[name];
  if (v === undefined || v === null) return undefined;
  const s = typeof v === 'number' ? String(v) : v;
  if (typeof s !== 'string' || !KEY.test(s)) throw new Problem(400, 'INVALID_ARGUMENT', `${name} must be a key (digits).`);
  return s;
}

function restInstance(i: InstanceSummary, hasIncident: boolean): Json {
  return {
    processInstanceKey: i.processInstanceKey, processDefinitionKey: i.definitionKey, processDefinitionId: i.bpmnProcessId,
    processDefinitionName: i.bpmnProcessId, processDefinitionVersion: i.version,
    parentProcessInstanceKey: i.parentProcessInstanceKey ?? undefined,
    state: STATE_OUT[i.state], startDate: i.startedAt, endDate: i.endedAt ?? undefined, hasIncident, tenantId: DEFAULT_TENANT,
  };
}

export async function searchProcessInstances(engine: EmbeddedEngine, body: Json): Promise<Json> {
  const filter = (body.filter ?? {}) as Json;
  const page = (body.page ?? {}) as Json;
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new Problem(400, 'INVALID_ARGUMENT', 'filter must be a JSON object.');
  const from = Math.max(0, Number(page.from ?? 0) || 0);
  const limit = Math.min(MAX_PAGE, Math.max(1, Number(page.limit ?? 100) || 100));
  const states = filter.state === undefined ? undefined : STATE_IN[String(filter.state)];
  if (filter.state !== undefined && !states) throw new Problem(400, 'INVALID_ARGUMENT', `Unsupported state filter ${String(filter.state)}.`);
  if (filter.processDefinitionId !== undefined && typeof filter.processDefinitionId !== 'string') {
    throw new Problem(400, 'INVALID_ARGUMENT', 'processDefinitionId must be a string.');
  }
  const processDefinitionId = filter.processDefinitionId as string | undefined;
  const processDefinitionKey = keyFilter(filter, 'processDefinitionKey');
  const processInstanceKey = keyFilter(filter, 'processInstanceKey');

  const matches = (i: InstanceSummary) => (!states || states.includes(i.state))
    && (processDefinitionKey === undefined || i.definitionKey === processDefinitionKey)
    && (processInstanceKey === undefined || i.processInstanceKey === processInstanceKey);

  const found: InstanceSummary[] = [];
  let scanned = 0;
  let more = false;
  if (processInstanceKey !== undefined) {
    const one = await engine.getInstance(processInstanceKey).catch((e: unknown) => {
      if (isRejection(e, 'NOT_FOUND')) return null;
      throw e;
    });
    if (one && (processDefinitionId === undefined || one.bpmnProcessId === processDefinitionId)) {
      // The instance view names no parent instance; a lookup by key leaves parentProcessInstanceKey out.
      const summary: InstanceSummary = {
        processInstanceKey: one.processInstanceKey, bpmnProcessId: one.bpmnProcessId, version: one.version, definitionKey: one.definitionKey,
        businessKey: one.businessKey, parentProcessInstanceKey: null, rootProcessInstanceKey: one.processInstanceKey,
        state: one.state, startedAt: one.startedAt, endedAt: one.endedAt,
      };
      if (matches(summary)) found.push(summary);
    }
  } else {
    // A single state maps onto the engine's own filter; TERMINATED (two engine states) is filtered here.
    const state = states?.length === 1 ? states[0] : undefined;
    let after: string | undefined;
    for (;;) {
      const batch = await engine.searchInstances({ bpmnProcessId: processDefinitionId, state, after, limit: SCAN_BATCH });
      scanned += batch.length;
      found.push(...batch.filter(matches));
      if (batch.length < SCAN_BATCH) break;
      if (scanned >= MAX_SCAN) { more = true; break; }
      after = batch[batch.length - 1].processInstanceKey;
    }
  }
  const pageOf = found.slice(from, from + limit);
  // Open incidents of the page's running instances only: an ended instance has none left open.
  const incident = await Promise.all(pageOf.map(async (i) => i.state === 'active'
    && (await engine.listIncidents({ state: 'active', processInstanceKey: i.processInstanceKey, limit: 1 })).length > 0));
  const items = pageOf.map((i, n) => restInstance(i, incident[n]));
  return {
    items,
    page: {
      totalItems: found.length, hasMoreTotalItems: more,
      startCursor: items.length ? String(from) : undefined, endCursor: items.length ? String(from + items.length) : undefined,
    },
  };
}

export async function cancelProcessInstance(engine: EmbeddedEngine, key: string): Promise<void> {
  try {
    await engine.cancelInstance(key);
  } catch (e) {
    if (isRejection(e, 'NOT_FOUND')) throw new Problem(404, 'NOT_FOUND', `Command 'CANCEL' rejected: process instance ${key} not found.`);
    throw e;
  }
}
