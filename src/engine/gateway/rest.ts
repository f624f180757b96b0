/**
 * The user task part of the Camunda 8.8 Orchestration Cluster REST API (`/v2`), served by the embedded
 * engine next to its gRPC gateway (GATEWAY_REST_PORT): what the service's Zeebe mode calls through
 * @camunda8/sdk's CamundaRestClient, so that mode is tested end to end here. Native user tasks are
 * REST-only in Camunda 8.8; the gRPC gateway cannot serve them.
 *
 * Served: POST /v2/user-tasks/search (filter state, userTaskKey, processInstanceKey, assignee,
 * elementId; page from/limit), GET /v2/user-tasks/{key}, PATCH /v2/user-tasks/{key} (priority, candidate groups and users), POST …/assignment (allowOverride false
 * refuses a task assigned to someone else with 409), DELETE …/assignee, POST …/completion,
 * POST …/variables/search, and POST /v2/incidents/search (filter jobKey, state) for resolving job
 * incidents. GET /v2/topology, POST /v2/process-instances/search and …/{key}/cancellation are in
 * rest-cluster.ts; POST /v2/decision-definitions/evaluation in decisions.ts; POST /v2/signals/broadcast and POST /v2/resources/{key}/deletion in rest-signals-resources.ts. Anything else answers 404 with a problem detail. Authenticated like the gRPC gateway (auth.ts) when configured.
 */
import http from 'node:http';
import { getForm } from '../deploy/definitions';
import { isRejection } from '../rejection';
import type { UserTaskView } from '../port-types';
import type { EmbeddedEngine } from '../runtime/engine';
import type { GatewayAuthenticator } from './auth';
import { broadcastSignalRest, deleteResourceRest } from './rest-signals-resources';
import { cancelProcessInstance, restTopology, searchProcessInstances } from './rest-cluster';
import { evaluateDecisionRest } from './decisions';
import { Problem, type Json } from './rest-problem';
import { DEFAULT_TENANT, type GatewayLogger } from './server';
import { REST_STATUS_OF_KIND } from './status';

const STATE_OUT = { created: 'CREATED', completed: 'COMPLETED', canceled: 'CANCELED' } as const;
const STATE_IN: Record<string, UserTaskView['state']> = { CREATED: 'created', COMPLETED: 'completed', CANCELED: 'canceled' };
/** Largest page of one search. */
const MAX_PAGE = 1000;

async function readBody(req: http.IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 4 * 1024 * 1024) throw new Problem(413, 'PAYLOAD_TOO_LARGE', 'The body is over 4 MiB.');
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Json;
  } catch { /* answered below */ }
  throw new Problem(400, 'INVALID_ARGUMENT', 'The body is not a JSON object.');
}

export interface RunningRestGateway {
  port: number;
  stop(): Promise<void>;
}

export async function startRestGateway(opts: {
  engine: EmbeddedEngine; port: number; host?: string; logger: GatewayLogger;
  /** The gRPC gateway's port, which the topology names as the broker's. */
  grpcPort?: number;
  /** Checks every request's credentials (auth.ts); none when absent. */
  auth?: GatewayAuthenticator;
}): Promise<RunningRestGateway> {
  const { engine, logger } = opts;
  /** A request without valid credentials is answered 401 before anything is read or changed. */
  const authenticated = async (req: http.IncomingMessage): Promise<void> => {
    if (!opts.auth?.enabled) return;
    const r = await opts.auth.check(req.headers.authorization);
    if (!r.ok) throw new Problem(401, 'UNAUTHENTICATED', r.reason);
  };
  const host = opts.host ?? '127.0.0.1';

  const restTask = async (t: UserTaskView): Promise<Json> => {
    const form = t.formId ? await getForm(engine.ds.manager, t.formId) : undefined;
    const [pi] = (await engine.ds.query('SELECT version FROM engine_process_instances WHERE id = ?', [Number(t.processInstanceKey)])) as Array<{ version: unknown }>;
    return {
      userTaskKey: t.key, name: t.name ?? t.elementId, state: STATE_OUT[t.state], assignee: t.assignee ?? undefined, elementId: t.elementId,
      candidateGroups: t.candidateGroups, candidateUsers: t.candidateUsers, processDefinitionId: t.bpmnProcessId,
      processDefinitionKey: t.processDefinitionKey, processDefinitionVersion: pi ? Number(pi.version) : undefined,
      processInstanceKey: t.processInstanceKey, elementInstanceKey: t.elementInstanceKey,
      creationDate: t.createdAt, completionDate: t.completedAt ?? undefined, dueDate: t.dueDate ?? undefined, followUpDate: t.followUpDate ?? undefined,
      priority: t.priority, tenantId: DEFAULT_TENANT, formKey: form?.key, customHeaders: {},
    };
  };

  const searchTasks = async (body: Json): Promise<Json> => {
    const filter = (body.filter ?? {}) as Json;
    const page = (body.page ?? {}) as Json;
    const from = Math.max(0, Number(page.from ?? 0) || 0);
    const limit = Math.min(MAX_PAGE, Math.max(1, Number(page.limit ?? 100) || 100));
    const state = filter.state === undefined ? 'created' : STATE_IN[String(filter.state)];
    if (!state) throw new Problem(400, 'INVALID_ARGUMENT', `Unsupported state filter ${String(filter.state)}.`);
    let all: UserTaskView[];
    if (filter.userTaskKey !== undefined) {
      const t = await engine.getTask(String(filter.userTaskKey)).catch(() => null);
      all = t && t.state === state ? [t] : [];
    } else {
      all = [];
      let after: string | undefined;
      // Offsets over the engine's keyset pages.
      for (;;) {
        const batch = await engine.listTasks({
          state, after, limit: 500,
          processInstanceKey: filter.processInstanceKey === undefined ? undefined : String(filter.processInstanceKey),
          assignee: typeof filter.assignee === 'string' ? filter.assignee : undefined,
        });
        all.push(...batch);
        if (batch.length < 500 || all.length >= from + limit) break;
        after = batch[batch.length - 1].key;
      }
    }
    if (typeof filter.elementId === 'string') all = all.filter((t) => t.elementId === filter.elementId);
    const items = await Promise.all(all.slice(from, from + limit).map(restTask));
    return { items, page: { totalItems: all.length } };
  };

  const task = async (key: string): Promise<UserTaskView & { variables: Json }> => {
    try {
      return await engine.getTask(key);
    } catch (e) {
      if (isRejection(e, 'NOT_FOUND')) throw new Problem(404, 'NOT_FOUND', `Command 'GET' rejected: user task ${key} not found.`);
      throw e;
    }
  };

  const route = async (method: string, path: string, body: () => Promise<Json>): Promise<{ status: number; json?: unknown }> => {
    if (method === 'GET' && path === '/v2/topology') return { status: 200, json: restTopology(host, opts.grpcPort) };
    if (method === 'POST' && path === '/v2/process-instances/search') return { status: 200, json: await searchProcessInstances(engine, await body()) };
    if (method === 'POST' && path === '/v2/decision-definitions/evaluation') return { status: 200, json: await evaluateDecisionRest(engine, await body(), DEFAULT_TENANT) };
    if (method === 'POST' && path === '/v2/signals/broadcast') return { status: 200, json: await broadcastSignalRest(engine, await body(), DEFAULT_TENANT, 'zeebe-rest-gateway') };
    const deletion = /^\/v2\/resources\/(\d{1,19})\/deletion$/.exec(path);
    if (deletion && method === 'POST') {
      await body();
      await deleteResourceRest(engine, deletion[1]);
      return { status: 200 };
    }
    const cancel = /^\/v2\/process-instances\/(\d{1,19})\/cancellation$/.exec(path);
    if (cancel && method === 'POST') {
      await body();
      await cancelProcessInstance(engine, cancel[1]);
      return { status: 204 };
    }
    if (method === 'POST' && path === '/v2/user-tasks/search') return { status: 200, json: await searchTasks(await body()) };
    if (method === 'POST' && path === '/v2/incidents/search') {
      const filter = ((await body()).filter ?? {}) as Json;
      const state = filter.state === 'RESOLVED' ? 'resolved' : 'active';
      const items = (await engine.listIncidents({ state, limit: 1000 }))
        .filter((i) => filter.jobKey === undefined || i.jobKey === String(filter.jobKey))
        .filter((i) => filter.processInstanceKey === undefined || i.processInstanceKey === String(filter.processInstanceKey))
        .map((i) => ({
          incidentKey: i.key, jobKey: i.jobKey ?? undefined, processInstanceKey: i.processInstanceKey, processDefinitionId: i.bpmnProcessId,
          elementId: i.elementId, elementInstanceKey: i.elementInstanceKey, errorType: i.errorType, errorMessage: i.errorMessage,
          state: i.state.toUpperCase(), creationTime: i.createdAt, tenantId: DEFAULT_TENANT,
        }));
      return { status: 200, json: { items, page: { totalItems: items.length } } };
    }
    const m = /^\/v2\/user-tasks\/(\d{1,19})(\/assignment|\/assignee|\/completion|\/variables\/search|\/update)?$/.exec(path);
    if (!m) throw new Problem(404, 'NOT_FOUND', `${method} ${path} is not served by the embedded engine.`);
    const [, key, sub] = m;
    if (!sub && method === 'GET') return { status: 200, json: await restTask(await task(key)) };
    if (sub === '/assignment' && method === 'POST') {
      const b = await body();
      if (typeof b.assignee !== 'string' || !b.assignee) throw new Problem(400, 'INVALID_ARGUMENT', 'No assignee provided.');
      await task(key);
      if (b.allowOverride === false) await engine.claimTask(key, b.assignee);
      else await engine.assignTask(key, b.assignee);
      return { status: 204 };
    }
    if ((!sub || sub === '/update') && method === 'PATCH') {
      // The API's body is {changeset: {…}}; the SDK sends the change set itself.
      const b = await body();
      const changes = (typeof b.changeset === 'object' && b.changeset !== null ? b.changeset : b) as Json;
      const t = await task(key);
      if (changes.priority !== undefined) await engine.setTaskPriority(key, Number(changes.priority));
      if (changes.candidateGroups !== undefined || changes.candidateUsers !== undefined) {
        const list = (v: unknown, what: string): string[] | undefined => {
          if (v === undefined) return undefined;
          if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Problem(400, 'INVALID_ARGUMENT', `${what} must be a list of names.`);
          return v as string[];
        };
        const groups = list(changes.candidateGroups, 'candidateGroups') ?? t.candidateGroups;
        await engine.reassignTask(key, { assignee: t.assignee, candidateGroups: groups, candidateUsers: list(changes.candidateUsers, 'candidateUsers') });
      }
      return { status: 204 };
    }
    if (sub === '/assignee' && method === 'DELETE') {
      await task(key);
      await engine.assignTask(key, null);
      return { status: 204 };
    }
    if (sub === '/completion' && method === 'POST') {
      const b = await body();
      const t = await task(key);
      const variables = b.variables === undefined || b.variables === null ? {} : b.variables;
      if (typeof variables !== 'object' || Array.isArray(variables)) throw new Problem(400, 'INVALID_ARGUMENT', 'variables must be a JSON object.');
      await engine.completeTask(key, variables as Json, t.assignee);
      return { status: 204 };
    }
    if (sub === '/variables/search' && method === 'POST') {
      const t = await task(key);
      const items = Object.entries(t.variables).map(([name, value]) => ({
        name, value: JSON.stringify(value), isTruncated: false, processInstanceKey: t.processInstanceKey, scopeKey: t.elementInstanceKey, tenantId: DEFAULT_TENANT,
      }));
      return { status: 200, json: { items, page: { totalItems: items.length } } };
    }
    throw new Problem(405, 'METHOD_NOT_ALLOWED', `${method} ${path} is not served.`);
  };

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = (status: number, json?: unknown) => {
      if (json === undefined) { res.writeHead(status); res.end(); return; }
      const text = JSON.stringify(json);
      res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    authenticated(req).then(() => route(req.method ?? 'GET', path, () => readBody(req))).then(
      (r) => answer(r.status, r.json),
      (e: unknown) => {
        const p = e instanceof Problem ? e
          : isRejection(e) ? new Problem(REST_STATUS_OF_KIND[e.kind], e.code, `${e.code}: ${e.message}`)
            : new Problem(500, 'INTERNAL', 'Internal error; see the engine log.');
        if (p.status >= 500) logger.error({ err: e, path }, 'REST gateway call failed');
        answer(p.status, { type: 'about:blank', title: p.title, status: p.status, detail: p.message, instance: path });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  logger.info({ host, port }, 'Camunda REST user task subset listening');
  return {
    port,
    stop: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
