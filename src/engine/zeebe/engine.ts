/**
 * The WorkflowEngine port on a Zeebe (Camunda 8.8) cluster through @camunda8/sdk: gRPC for deploying,
 * starting, cancelling, messages and incidents; the Orchestration Cluster REST API for user tasks.
 *
 * Commands that take the caller's EntityManager call Zeebe inside the caller's transaction, but
 * Zeebe's change is not part of it: if the caller's transaction rolls back after Zeebe accepted, the
 * cluster keeps the change (an instance started for a complaint whose registration then failed,
 * a message published although its audit row was not written). The calls come last in each route so
 * that window is small; such an instance's first job finds no case and raises an incident in Operate.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../clock/clock';
import { inTransaction } from '../../db/data-source';
import { deployResources } from '../deploy/definitions';
import type { WorkflowEngine } from '../port';
import type {
  CreateInstanceRequest, CreatedInstance, DeployResource, DeploymentResult, EngineCounts, IncidentQuery, IncidentView, InstanceQuery, InstanceSummary, InstanceView,
  PublishMessageRequest, PublishedMessage, TaskQuery, TaskReassignment, UserTaskView, Vars, VersionInstanceCount,
} from '../port-types';
import { parseTimeToLive } from '../runtime/checks';
import { isDuplicateKey } from '../runtime/tx';
import { reject } from '../rejection';
import { fromGrpc, grpcDetail, kindOfGrpc } from './rejections';
import * as mirror from './mirror';
import type { CamundaRestClient, ZeebeTasks } from './tasks';
import type { ZeebeGrpcClient } from './workers';

export interface ZeebeEngineOptions {
  ds: DataSource;
  clock: Clock;
  zbc: ZeebeGrpcClient;
  rest: CamundaRestClient;
  tasks: ZeebeTasks;
  logger: { info(obj: unknown, msg?: string): void; warn(obj: unknown, msg?: string): void };
}

export class ZeebeEngine implements WorkflowEngine {
  constructor(private readonly opts: ZeebeEngineOptions) {}

  private now(): number {
    return this.opts.clock.now().getTime();
  }

  private tx<T>(em: EntityManager | undefined, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return em ? work(em) : inTransaction(this.opts.ds, work);
  }

  /**
   * Checks and records the resources locally (the diagram and form views, the inbox's forms) and
   * deploys them to Zeebe in that transaction, so a refusal by either leaves nothing recorded.
   * Unchanged resources are a no-op on both sides: Zeebe answers a duplicate deployment with the
   * versions it has. The answer carries Zeebe's keys and versions.
   */
  async deploy(resources: DeployResource[], deployedBy: string, em?: EntityManager): Promise<DeploymentResult> {
    return this.tx(em, async (tx) => {
      const local = await deployResources(tx, resources, deployedBy, this.opts.clock);
      let res;
      try {
        res = await this.opts.zbc.deployResources(resources.map((r) => (r.name.endsWith('.form')
          ? { name: r.name, form: Buffer.from(r.content, 'utf8') }
          : { name: r.name, process: Buffer.from(r.content, 'utf8') })));
      } catch (e) {
        throw fromGrpc(e, { INVALID_ARGUMENT: 'INVALID_DIAGRAM' }, { INVALID_ARGUMENT: `Zeebe refused the deployment: ${grpcDetail(e)}` });
      }
      const deployments = res.deployments as Array<{ process?: { bpmnProcessId: string; version: number; processDefinitionKey: string; resourceName: string }; form?: { formId: string; version: number; formKey: string; resourceName: string } }>;
      const fresh = (name: string, kind: 'process' | 'form') =>
        !(kind === 'process' ? local.processes : local.forms).find((p) => p.resourceName === name)?.duplicate;
      for (const d of deployments) {
        if (!d.form) continue;
        const [known] = (await tx.query('SELECT form_id FROM zeebe_forms WHERE form_key = ?', [String(d.form.formKey)])) as unknown[];
        if (!known) await tx.query('INSERT INTO zeebe_forms (form_key, form_id, version) VALUES (?, ?, ?)', [String(d.form.formKey), d.form.formId, Number(d.form.version)]);
      }
      return {
        deploymentKey: String(res.key),
        processes: deployments.flatMap((d) => (d.process ? [{
          bpmnProcessId: d.process.bpmnProcessId, version: Number(d.process.version), key: String(d.process.processDefinitionKey),
          resourceName: d.process.resourceName, duplicate: !fresh(d.process.resourceName, 'process'),
        }] : [])),
        forms: deployments.flatMap((d) => (d.form ? [{
          formId: d.form.formId, version: Number(d.form.version), key: String(d.form.formKey), resourceName: d.form.resourceName,
          duplicate: !fresh(d.form.resourceName, 'form'),
        }] : [])),
        warnings: local.warnings,
      };
    });
  }

  /**
   * Zeebe has no business key: this service keeps it (unique per process id), answers a second start
   * with the first instance, and cancels the instance a concurrent duplicate start created.
   */
  async createInstance(req: CreateInstanceRequest, em?: EntityManager): Promise<CreatedInstance> {
    const businessKey = req.businessKey ?? null;
    const existing = async (tx: EntityManager) => {
      if (businessKey === null) return null;
      const f = await mirror.instanceByBusinessKey(tx, req.bpmnProcessId, businessKey);
      return f ? { processInstanceKey: f.processInstanceKey, bpmnProcessId: f.bpmnProcessId, version: f.version, definitionKey: f.definitionKey, created: false } : null;
    };
    const attempt = (tx: EntityManager) => this.start(tx, req, businessKey, existing);
    try {
      return await this.tx(em, attempt);
    } catch (e) {
      if (businessKey !== null && isDuplicateKey(e) && !em) {
        const found = await inTransaction(this.opts.ds, existing);
        if (found) return found;
      }
      throw e;
    }
  }

  private async start(
    tx: EntityManager, req: CreateInstanceRequest, businessKey: string | null, existing: (tx: EntityManager) => Promise<CreatedInstance | null>,
  ): Promise<CreatedInstance> {
    const before = await existing(tx);
    if (before) return before;
    let r;
    try {
      r = await this.opts.zbc.createProcessInstance({ bpmnProcessId: req.bpmnProcessId, variables: (req.variables ?? {}) as never, ...(req.version ? { version: req.version } : {}) });
    } catch (e) {
      throw fromGrpc(e, { NOT_FOUND: 'PROCESS_NOT_DEPLOYED', INVALID_ARGUMENT: 'INVALID_ARGUMENT' },
        { NOT_FOUND: `Process '${req.bpmnProcessId}'${req.version ? ` version ${req.version}` : ''} is not deployed.` });
    }
    const created: CreatedInstance = {
      processInstanceKey: String(r.processInstanceKey), bpmnProcessId: r.bpmnProcessId, version: Number(r.version), definitionKey: String(r.processDefinitionKey), created: true,
    };
    try {
      await mirror.recordInstance(tx, { ...created, businessKey }, this.now());
    } catch (e) {
      // Another start with this business key won: the instance made here must not run as well.
      if (isDuplicateKey(e)) await this.opts.zbc.cancelProcessInstance(created.processInstanceKey).catch(() => undefined);
      throw e;
    }
    return created;
  }

  async cancelInstance(key: string, em?: EntityManager): Promise<void> {
    await this.tx(em, async (tx) => {
      const [row] = (await tx.query('SELECT state FROM zeebe_instances WHERE process_instance_key = ?', [key])) as Array<{ state: string }>;
      if (row && row.state !== 'active') throw mirror.notActive(key, row.state);
      try {
        await this.opts.zbc.cancelProcessInstance(key);
      } catch (e) {
        throw fromGrpc(e, { NOT_FOUND: 'PROCESS_INSTANCE_NOT_FOUND', INVALID_STATE: 'PROCESS_INSTANCE_NOT_ACTIVE' },
          { NOT_FOUND: `No active process instance ${key} in Zeebe.` });
      }
      await mirror.endInstance(tx, key, 'canceled', this.now());
      await this.opts.tasks.closeOfInstance(tx, key);
    });
  }

  getInstance(key: string): Promise<InstanceView> {
    return mirror.readInstance(this.opts.ds, key);
  }

  /** The instances this service started or saw jobs and tasks of (the local record). */
  searchInstances(q: InstanceQuery = {}): Promise<InstanceSummary[]> {
    return mirror.searchInstances(this.opts.ds, q);
  }

  countInstancesByVersion(bpmnProcessId: string): Promise<VersionInstanceCount[]> {
    return mirror.countInstancesByVersion(this.opts.ds, bpmnProcessId);
  }

  counts(_now: number): Promise<EngineCounts> {
    return mirror.counts(this.opts.ds);
  }

  /**
   * Zeebe's answer does not say which instances a message reached, so `correlatedProcessInstanceKeys`
   * is empty; a repeated messageId while the first is buffered answers `duplicate: true`.
   */
  async publishMessage(req: PublishMessageRequest, _em?: EntityManager): Promise<PublishedMessage> {
    if (!req.name) throw reject.invalidArgument('INVALID_MESSAGE', 'A message name is required.');
    const ttl = parseTimeToLive(req.timeToLive);
    try {
      const r = await this.opts.zbc.publishMessage({
        name: req.name, correlationKey: req.correlationKey ?? '', variables: (req.variables ?? {}) as never, timeToLive: ttl,
        ...(req.messageId ? { messageId: req.messageId } : {}),
      });
      return { messageKey: r.key && String(r.key) !== '0' ? String(r.key) : null, duplicate: false, correlatedProcessInstanceKeys: [] };
    } catch (e) {
      if (kindOfGrpc(e) === 'ALREADY_EXISTS') return { messageKey: null, duplicate: true, correlatedProcessInstanceKeys: [] };
      throw fromGrpc(e, { INVALID_ARGUMENT: 'INVALID_MESSAGE' });
    }
  }

  async setVariables(key: string, variables: Vars, opts: { local?: boolean; em?: EntityManager } = {}): Promise<void> {
    try {
      await this.opts.zbc.setVariables({ elementInstanceKey: key, variables: variables as never, local: opts.local ?? false });
    } catch (e) {
      throw fromGrpc(e, { NOT_FOUND: 'ELEMENT_INSTANCE_NOT_FOUND', INVALID_ARGUMENT: 'VARIABLES_NOT_OBJECT' },
        { NOT_FOUND: `No active element instance ${key} in Zeebe.` });
    }
  }

  listIncidents(opts: IncidentQuery = {}): Promise<IncidentView[]> {
    return mirror.listIncidents(this.opts.ds, opts);
  }

  /**
   * Our incident key is the failed job's key. Resolving gives the job a retry (Zeebe needs retries
   * before the resolution) and resolves Zeebe's incident, found through the REST API by job key.
   */
  async resolveIncident(key: string): Promise<void> {
    const inc = await mirror.findIncident(this.opts.ds.manager, key);
    if (!inc) throw reject.notFound('INCIDENT_NOT_FOUND', `No incident ${key}.`);
    if (inc.state !== 'active') throw reject.invalidState('INCIDENT_ALREADY_RESOLVED', `Incident ${key} is already resolved.`);
    await this.opts.zbc.updateJobRetries({ jobKey: key, retries: 1 }).catch((e: unknown) => { throw fromGrpc(e, { NOT_FOUND: 'INCIDENT_NOT_FOUND' }); });
    const found = await this.opts.rest.searchIncidents({ filter: { jobKey: key, state: 'ACTIVE' } } as never) as { items: Array<{ incidentKey?: string; key?: string }> };
    for (const i of found.items) {
      const incidentKey = String(i.incidentKey ?? i.key);
      await this.opts.zbc.resolveIncident({ incidentKey }).catch((e: unknown) => {
        if (kindOfGrpc(e) !== 'NOT_FOUND') throw fromGrpc(e);
      });
    }
    await inTransaction(this.opts.ds, (tx) => mirror.markIncidentResolved(tx, key, this.now()));
  }

  getTask(key: string): Promise<UserTaskView & { variables: Vars }> {
    return this.opts.tasks.getTask(key);
  }

  searchTasks(q?: TaskQuery, em?: EntityManager): Promise<UserTaskView[]> {
    return this.opts.tasks.searchTasks(q, em);
  }

  listTasks(q?: TaskQuery): Promise<UserTaskView[]> {
    return this.opts.tasks.searchTasks(q);
  }

  setTaskPriority(key: string, priority: number, em?: EntityManager): Promise<UserTaskView> {
    return this.opts.tasks.setTaskPriority(key, priority, em);
  }

  reassignTask(key: string, to: TaskReassignment, em?: EntityManager): Promise<UserTaskView> {
    return this.opts.tasks.reassignTask(key, to, em);
  }

  claimTask(key: string, username: string, em?: EntityManager): Promise<UserTaskView> {
    return this.opts.tasks.claimTask(key, username, em);
  }

  unclaimTask(key: string, em?: EntityManager): Promise<UserTaskView> {
    return this.opts.tasks.unclaimTask(key, em);
  }

  assignTask(key: string, assignee: string | null, em?: EntityManager): Promise<UserTaskView> {
    return this.opts.tasks.assignTask(key, assignee, em);
  }

  completeTask(key: string, variables: Vars | undefined, user: string | null, em?: EntityManager): Promise<void> {
    return this.opts.tasks.completeTask(key, variables, user, em);
  }
}
