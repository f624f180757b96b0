/**
 * The embedded engine behind the Zeebe gateway gRPC protocol (gateway.proto as shipped in
 * @camunda8/sdk), so @camunda8/sdk, zbctl and other Zeebe tools can drive it. It serves one
 * "broker" with one partition; every command is one call of EmbeddedEngine and so one step in one
 * database transaction. What the engine cannot do answers UNIMPLEMENTED with the reason.
 *
 * Authentication (OAuth bearer tokens or basic, auth.ts) is checked before every method when configured;
 * without it the gateway must stay on the loopback interface (gatewayAuthFromSettings).
 */
import * as grpc from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { DeployedDefinitions } from '../runtime/definitions';
import type { InstanceView, Vars } from '../port-types';
import type { ActivatedJob, EmbeddedEngine } from '../runtime/engine';
import type { DeploymentResult } from '../deploy/definitions';
import * as pb from './proto';
import { GatewayError, invalidArgument, toStatus } from './status';
import { JobWakeups, type Waiter } from './wakeups';
import { decisionDeployments, evaluateDecisionRpc, type EvaluateDecisionRequest } from './decisions';
import type { GatewayAuthenticator } from './auth';
import { guardService } from './grpc-auth';
import { signalAndResourceRpcs, type BroadcastSignalRequest, type BroadcastSignalResponse, type DeleteResourceRequest } from './signals-resources';

/** The Zeebe version whose gateway protocol this server follows (the proto of @camunda8/sdk 8.8). */
export const GATEWAY_VERSION = '8.8.0';
/** Zeebe's name of the only tenant when multi-tenancy is off. */
export const DEFAULT_TENANT = '<default>';

export type GatewayLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export interface GatewayOptions {
  engine: EmbeddedEngine;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  logger: GatewayLogger;
  /** How often a waiting activation looks for jobs without a wake-up (leases and back-offs ending). */
  recheckMs?: number;
  /** Long polling when ActivateJobs asks for the default (requestTimeout 0); Zeebe's default is 10 s. */
  defaultLongPollMs?: number;
  /** Wait of CreateProcessInstanceWithResult when it asks for the default (requestTimeout 0); Zeebe's default is 15 s. */
  defaultRequestTimeoutMs?: number;
  /** Recorded as the deployer of resources deployed through the gateway. */
  deployedBy?: string;
  /** Checks every call's credentials (auth.ts); none when absent. */
  auth?: GatewayAuthenticator;
}

export interface RunningGateway {
  host: string;
  port: number;
  /** Answers waiting activations, ends job streams, and closes the server. */
  stop(): Promise<void>;
}

/** Jobs pushed to a StreamActivatedJobs stream per activation round. */
const STREAM_BATCH = 32;
/** Grace for calls in flight when stopping, before connections are cut. */
const SHUTDOWN_GRACE_MS = 3000;

type Unary<Req, Res> = (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>;

export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const { engine, logger } = opts;
  const host = opts.host ?? '127.0.0.1';
  const recheckMs = opts.recheckMs ?? 1000;
  const defaultLongPollMs = opts.defaultLongPollMs ?? 10_000;
  const defaultRequestTimeoutMs = opts.defaultRequestTimeoutMs ?? 15_000;
  const deployedBy = opts.deployedBy ?? 'zeebe-gateway';
  const definitions = engine.opts.definitions ?? new DeployedDefinitions();
  const wakeups = new JobWakeups(engine);
  let boundPort = 0;
  let stopping = false;

  const fail = (rpc: string, e: unknown): grpc.StatusObject => {
    const s = toStatus(e, (err) => logger.error({ err, rpc }, 'gateway call failed'));
    logger.debug({ rpc, code: grpc.status[s.code], details: s.details }, 'gateway call rejected');
    return { ...s, metadata: new grpc.Metadata() };
  };

  const unary = <Req, Res>(rpc: string, fn: Unary<Req, Res>): grpc.handleUnaryCall<Req, Res> => (call, callback) => {
    fn(call.request, call).then((res) => callback(null, res), (e: unknown) => callback(fail(rpc, e)));
  };

  // ------------------------------------------------------------ deployment

  const deploy = async (resources: Array<{ name: string; content: Buffer }>): Promise<DeploymentResult> => {
    if (!resources.length) throw invalidArgument('Expected to deploy at least one resource, but none was given.');
    const result = await engine.deploy(resources.map((r) => ({ name: r.name, content: Buffer.from(r.content).toString('utf8') })), deployedBy);
    if (result.warnings.length) logger.info({ deploymentKey: result.deploymentKey, warnings: result.warnings.length }, 'deployed through the gateway with warnings');
    return result;
  };

  const processMetadata = (r: DeploymentResult): pb.ProcessMetadata[] => r.processes.map((p) => ({
    bpmnProcessId: p.bpmnProcessId, version: p.version, processDefinitionKey: p.key, resourceName: p.resourceName, tenantId: DEFAULT_TENANT,
  }));

  // ------------------------------------------------------------ instances

  const createInstance = async (req: pb.CreateProcessInstanceRequest): Promise<pb.CreateProcessInstanceResponse> => {
    checkTenant(req.tenantId);
    const startInstructions = req.startInstructions?.map((i) => i.elementId);
    const variables = parseVariables(req.variables, 'variables');
    let bpmnProcessId = req.bpmnProcessId;
    let version = req.version > 0 ? req.version : undefined;
    if (req.processDefinitionKey && req.processDefinitionKey !== '0') {
      const def = /^\d{1,15}$/.test(req.processDefinitionKey) ? await definitions.get(engine.ds.manager, req.processDefinitionKey) : null;
      if (!def) throw new GatewayError(grpc.status.NOT_FOUND, `PROCESS_NOT_DEPLOYED: Expected to find a process definition with key '${req.processDefinitionKey}', but none was found.`);
      bpmnProcessId = def.bpmnProcessId;
      version = def.version;
    } else if (!bpmnProcessId) {
      throw invalidArgument('Expected a bpmnProcessId or a processDefinitionKey, but neither was given.');
    }
    const created = await engine.createInstance({ bpmnProcessId, version, variables, startInstructions });
    return {
      processDefinitionKey: created.definitionKey, bpmnProcessId: created.bpmnProcessId, version: created.version,
      processInstanceKey: created.processInstanceKey, tenantId: DEFAULT_TENANT,
    };
  };

  /** Polls the instance until it ends; a finished step emits no event the gateway could wait for. */
  const awaitEnd = async (key: string, timeoutMs: number, call: grpc.ServerUnaryCall<unknown, unknown>): Promise<InstanceView | null> => {
    const until = Date.now() + timeoutMs;
    let delay = 10;
    for (;;) {
      const view = await engine.getInstance(key);
      if (view.state !== 'active') return view;
      if (call.cancelled) return null;
      if (stopping) throw new GatewayError(grpc.status.UNAVAILABLE, 'The gateway is shutting down; the process instance goes on without this request.');
      const left = until - Date.now();
      if (left <= 0) {
        throw new GatewayError(grpc.status.DEADLINE_EXCEEDED,
          `Expected process instance ${key} to complete within ${timeoutMs} ms, but it is still active; it goes on, only this request ended.`);
      }
      await sleep(Math.min(delay, left));
      delay = Math.min(delay * 2, 250);
    }
  };

  // ------------------------------------------------------------ jobs

  const jobMessage = (j: ActivatedJob): pb.ActivatedJobMessage => ({
    key: j.key, type: j.type, processInstanceKey: j.processInstanceKey, bpmnProcessId: j.bpmnProcessId,
    processDefinitionVersion: j.processDefinitionVersion, processDefinitionKey: j.processDefinitionKey, elementId: j.elementId,
    elementInstanceKey: j.elementInstanceKey, customHeaders: JSON.stringify(j.customHeaders), worker: j.worker, retries: j.retries,
    deadline: String(j.deadline), variables: JSON.stringify(j.variables), tenantId: DEFAULT_TENANT,
  });

  /** Jobs activated for a caller that went away go back at once, retries unchanged, instead of waiting out their lease. */
  const handBack = async (jobs: ActivatedJob[]): Promise<void> => {
    for (const j of jobs) {
      await engine.failJob(j.key, { retries: j.retries, retryBackOff: 0, errorMessage: 'Handed back: the worker went away before the job reached it.' })
        .catch((err: unknown) => logger.warn({ err, jobKey: j.key }, 'could not hand back an undelivered job; it is activatable again when its lease ends'));
    }
  };

  const activation = (req: { type: string; worker: string; timeout: pb.Int64; fetchVariable: string[]; tenantIds: string[] }) => {
    if (!req.type) throw invalidArgument('Expected a job type, but none was given.');
    const timeoutMs = Number(req.timeout);
    if (!(timeoutMs > 0)) throw invalidArgument(`Expected a job timeout of at least 1 ms, but it was ${req.timeout}.`);
    for (const t of req.tenantIds ?? []) checkTenant(t);
    return { type: req.type, worker: req.worker || 'default', timeoutMs, fetchVariables: req.fetchVariable?.length ? req.fetchVariable : undefined };
  };

  const activateJobs = async (call: grpc.ServerWritableStream<pb.ActivateJobsRequest, pb.ActivateJobsResponse>): Promise<void> => {
    const req = call.request;
    let waiter: Waiter | null = null;
    try {
      const act = activation(req);
      if (!(req.maxJobsToActivate > 0)) throw invalidArgument(`Expected to activate at least 1 job, but maxJobsToActivate was ${req.maxJobsToActivate}.`);
      const requested = Number(req.requestTimeout);
      // Zeebe: a negative requestTimeout turns long polling off, 0 means the gateway's default.
      const until = Date.now() + (requested < 0 ? 0 : requested === 0 ? defaultLongPollMs : requested);
      const w = wakeups.subscribe(act.type);
      waiter = w;
      call.on('cancelled', () => w.wake());
      for (;;) {
        w.take();
        const jobs = await engine.activateJobs({ ...act, maxJobs: req.maxJobsToActivate });
        if (jobs.length) {
          if (call.cancelled) return await handBack(jobs);
          call.write({ jobs: jobs.map(jobMessage) });
          break;
        }
        const left = until - Date.now();
        if (left <= 0 || stopping || call.cancelled) break;
        await w.sleep(Math.min(left, recheckMs));
      }
      if (!call.cancelled) call.end();
    } catch (e) {
      if (!call.cancelled) call.emit('error', fail('ActivateJobs', e));
    } finally {
      waiter?.close();
    }
  };

  const send = (call: grpc.ServerWritableStream<unknown, unknown>, msg: unknown): Promise<void> => new Promise((resolve) => {
    if (call.write(msg)) return resolve();
    const done = () => {
      call.off('drain', done);
      call.off('cancelled', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
  });

  /** Pushes jobs of a type as they become activatable, until the worker closes the stream. */
  const streamActivatedJobs = async (call: grpc.ServerWritableStream<pb.StreamActivatedJobsRequest, pb.ActivatedJobMessage>): Promise<void> => {
    let waiter: Waiter | null = null;
    try {
      const act = activation(call.request);
      const w = wakeups.subscribe(act.type);
      waiter = w;
      call.on('cancelled', () => w.wake());
      while (!call.cancelled && !stopping) {
        w.take();
        let jobs: ActivatedJob[] = [];
        try {
          jobs = await engine.activateJobs({ ...act, maxJobs: STREAM_BATCH });
        } catch (err) {
          // The stream outlives one failed round (a busy database); the next round tries again.
          logger.warn({ err, type: act.type }, 'job stream: activation failed; trying again');
        }
        for (let i = 0; i < jobs.length; i++) {
          if (call.cancelled) return await handBack(jobs.slice(i));
          await send(call, jobMessage(jobs[i]));
        }
        if (jobs.length < STREAM_BATCH) await w.sleep(recheckMs);
      }
      if (!call.cancelled) call.end();
    } catch (e) {
      if (!call.cancelled) call.emit('error', fail('StreamActivatedJobs', e));
    } finally {
      waiter?.close();
    }
  };

  // ------------------------------------------------------------ the service

  const signalsAndResources = signalAndResourceRpcs(engine, { logger, tenant: DEFAULT_TENANT, checkTenant, parseVariables, caller: deployedBy });

  const impl: grpc.UntypedServiceImplementation = {
    Topology: unary<pb.Empty, pb.TopologyResponse>('Topology', async () => ({
      brokers: [{
        nodeId: 0, host, port: boundPort, version: GATEWAY_VERSION,
        partitions: [{ partitionId: 1, role: 'LEADER', health: 'HEALTHY' }],
      }],
      clusterSize: 1, partitionsCount: 1, replicationFactor: 1, gatewayVersion: GATEWAY_VERSION,
    })),

    DeployResource: unary<pb.DeployResourceRequest, pb.DeployResourceResponse>('DeployResource', async (req) => {
      checkTenant(req.tenantId);
      const r = await deploy(req.resources);
      return {
        key: r.deploymentKey,
        deployments: [
          ...processMetadata(r).map((process) => ({ process })),
          ...decisionDeployments(r, DEFAULT_TENANT),
          ...r.forms.map((f) => ({ form: { formId: f.formId, version: f.version, formKey: f.key, resourceName: f.resourceName, tenantId: DEFAULT_TENANT } })),
        ],
        tenantId: DEFAULT_TENANT,
      };
    }),

    DeployProcess: unary<pb.DeployProcessRequest, pb.DeployProcessResponse>('DeployProcess', async (req) => {
      const r = await deploy(req.processes.map((p) => ({ name: p.name, content: p.definition })));
      return { key: r.deploymentKey, processes: processMetadata(r) };
    }),

    CreateProcessInstance: unary('CreateProcessInstance', createInstance),

    CreateProcessInstanceWithResult: unary<pb.CreateProcessInstanceWithResultRequest, pb.CreateProcessInstanceWithResultResponse>(
      'CreateProcessInstanceWithResult', async (req, call) => {
        if (!req.request) throw invalidArgument('Expected the request to create a process instance, but none was given.');
        const created = await createInstance(req.request);
        const requested = Number(req.requestTimeout);
        const view = await awaitEnd(created.processInstanceKey, requested > 0 ? requested : defaultRequestTimeoutMs, call);
        if (!view) return { ...created, variables: '{}' };
        if (view.state !== 'completed') {
          throw new GatewayError(grpc.status.FAILED_PRECONDITION,
            `PROCESS_INSTANCE_NOT_COMPLETED: Process instance ${created.processInstanceKey} ended ${view.state}, not completed; it has no result.`);
        }
        const wanted = req.fetchVariables?.length ? new Set(req.fetchVariables) : null;
        const variables = wanted ? Object.fromEntries(Object.entries(view.variables).filter(([k]) => wanted.has(k))) : view.variables;
        return { ...created, variables: JSON.stringify(variables) };
      }),

    CancelProcessInstance: unary<pb.CancelProcessInstanceRequest, pb.Empty>('CancelProcessInstance', async (req) => {
      await engine.cancelInstance(req.processInstanceKey);
      return {};
    }),

    ActivateJobs: (call: grpc.ServerWritableStream<pb.ActivateJobsRequest, pb.ActivateJobsResponse>) => void activateJobs(call),
    StreamActivatedJobs: (call: grpc.ServerWritableStream<pb.StreamActivatedJobsRequest, pb.ActivatedJobMessage>) => void streamActivatedJobs(call),

    CompleteJob: unary<pb.CompleteJobRequest, pb.Empty>('CompleteJob', async (req) => {
      await engine.completeJob(req.jobKey, parseVariables(req.variables, 'variables'));
      return {};
    }),

    FailJob: unary<pb.FailJobRequest, pb.Empty>('FailJob', async (req) => {
      const variables = parseVariables(req.variables, 'variables');
      if (variables && Object.keys(variables).length) {
        // The engine has no command to write variables with a failure; dropping them keeps the failure (and its retry count) effective.
        logger.warn({ jobKey: req.jobKey, variables: Object.keys(variables) }, 'FailJob variables are not supported by the embedded engine and were ignored');
      }
      const retryBackOff = Number(req.retryBackOff);
      await engine.failJob(req.jobKey, { retries: req.retries, errorMessage: req.errorMessage || undefined, retryBackOff: retryBackOff > 0 ? retryBackOff : 0 });
      return {};
    }),

    ThrowError: unary<pb.ThrowErrorRequest, pb.Empty>('ThrowError', async (req) => {
      await engine.throwError(req.jobKey, { errorCode: req.errorCode, errorMessage: req.errorMessage || undefined, variables: parseVariables(req.variables, 'variables') });
      return {};
    }),

    UpdateJobRetries: unary<pb.UpdateJobRetriesRequest, pb.Empty>('UpdateJobRetries', async (req) => {
      await engine.updateJobRetries(req.jobKey, req.retries);
      return {};
    }),

    PublishMessage: unary<pb.PublishMessageRequest, pb.PublishMessageResponse>('PublishMessage', async (req) => {
      checkTenant(req.tenantId);
      if (!req.name) throw invalidArgument('Expected a message name, but none was given.');
      const ttl = Number(req.timeToLive);
      if (!(ttl >= 0)) throw invalidArgument(`Expected a timeToLive of 0 ms or more, but it was ${req.timeToLive}.`);
      const res = await engine.publishMessage({
        name: req.name, correlationKey: req.correlationKey, timeToLive: ttl, messageId: req.messageId || undefined,
        variables: parseVariables(req.variables, 'variables'),
      });
      if (res.duplicate) {
        throw new GatewayError(grpc.status.ALREADY_EXISTS,
          `MESSAGE_ALREADY_PUBLISHED: Expected to publish a new message with id '${req.messageId}', but a message with that id was already published.`);
      }
      // A message with no time to live is not stored and has no key of its own; 0 says so.
      return { key: res.messageKey ?? '0', tenantId: DEFAULT_TENANT };
    }),

    ResolveIncident: unary<pb.ResolveIncidentRequest, pb.Empty>('ResolveIncident', async (req) => {
      await engine.resolveIncident(req.incidentKey);
      return {};
    }),

    SetVariables: unary<pb.SetVariablesRequest, pb.SetVariablesResponse>('SetVariables', async (req) => {
      const variables = parseVariables(req.variables, 'variables');
      if (!variables) throw invalidArgument('Expected variables as a JSON document, but none were given.');
      await engine.setVariables(req.elementInstanceKey, variables, { local: req.local });
      // The command leaves no record of its own here, so it has no key; 0 says so (as PublishMessage).
      return { key: '0' };
    }),
    UpdateJobTimeout: unary<pb.UpdateJobTimeoutRequest, pb.Empty>('UpdateJobTimeout', async (req) => {
      const timeout = Number(req.timeout);
      if (!(timeout >= 1)) throw invalidArgument(`Expected a timeout of 1 ms or more, but it was ${req.timeout}.`);
      await engine.updateJobTimeout(req.jobKey, timeout);
      return {};
    }),
    EvaluateDecision: unary<EvaluateDecisionRequest, unknown>('EvaluateDecision', async (req) => {
      checkTenant(req.tenantId);
      return evaluateDecisionRpc(engine, req, parseVariables(req.variables, 'variables'), DEFAULT_TENANT);
    }),
    ModifyProcessInstance: unary<pb.ModifyProcessInstanceRequest, pb.Empty>('ModifyProcessInstance', async (req) => {
      await engine.modifyInstance(req.processInstanceKey, modificationOf(req));
      return {};
    }),
    MigrateProcessInstance: unary<pb.MigrateProcessInstanceRequest, pb.Empty>('MigrateProcessInstance', async (req) => {
      if (!req.migrationPlan) throw invalidArgument('Expected a migration plan, but none was given.');
      await engine.migrateInstance(req.processInstanceKey, {
        targetDefinitionKey: req.migrationPlan.targetProcessDefinitionKey, mappings: req.migrationPlan.mappingInstructions ?? [],
      });
      return {};
    }),
    DeleteResource: unary<DeleteResourceRequest, Record<string, never>>('DeleteResource', (req) => signalsAndResources.deleteResource(req)),
    BroadcastSignal: unary<BroadcastSignalRequest, BroadcastSignalResponse>('BroadcastSignal', (req) => signalsAndResources.broadcastSignal(req)),
  };

  const server = new grpc.Server();
  server.addService(pb.gatewayService(), opts.auth?.enabled ? guardService(impl, pb.gatewayService(), opts.auth, logger) : impl);
  boundPort = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${opts.port}`, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port)));
  });
  logger.info({ host, port: boundPort }, 'Zeebe gateway of the embedded engine listening');

  let stopped: Promise<void> | null = null;
  return {
    host,
    port: boundPort,
    stop() {
      stopped ??= (async () => {
        stopping = true;
        wakeups.dispose();
        await new Promise<void>((resolve) => {
          const force = setTimeout(() => {
            server.forceShutdown();
            resolve();
          }, SHUTDOWN_GRACE_MS);
          force.unref();
          server.tryShutdown(() => {
            clearTimeout(force);
            resolve();
          });
        });
        logger.info({ port: boundPort }, 'Zeebe gateway stopped');
      })();
      return stopped;
    },
  };
}

function checkTenant(tenantId: string | undefined): void {
  if (tenantId && tenantId !== DEFAULT_TENANT) {
    throw invalidArgument(`Expected tenant '${DEFAULT_TENANT}' or none, but got '${tenantId}': the embedded engine has no multi-tenancy.`);
  }
}

/** A ModifyProcessInstance request as the engine's modification; each instruction's variables are parsed JSON objects. */
function modificationOf(req: pb.ModifyProcessInstanceRequest) {
  return {
    activate: (req.activateInstructions ?? []).map((a) => ({
      elementId: a.elementId,
      ancestorElementInstanceKey: a.ancestorElementInstanceKey,
      variables: (a.variableInstructions ?? []).map((v) => ({ scopeId: v.scopeId, variables: parseVariables(v.variables, 'variables') ?? {} })),
    })),
    terminate: (req.terminateInstructions ?? []).map((t) => t.elementInstanceKey),
  };
}

/** Variables travel as JSON documents; an empty string means none. */
function parseVariables(json: string, field: string): Vars | undefined {
  if (!json) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch (e) {
    throw invalidArgument(`Expected '${field}' to be a JSON object, but it is not valid JSON: ${(e as Error).message}`);
  }
  if (v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidArgument(`Expected '${field}' to be a JSON object, but it is ${Array.isArray(v) ? 'an array' : typeof v}.`);
  return v as Vars;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
