/**
 * Deployment and instance commands of the embedded engine: deploy (opening the start events of each new
 * version), start an instance (once per business key), cancel one, and write variables into a scope.
 */
import type { EntityManager } from 'typeorm';
import { deployResources } from '../../deploy/definitions';
import type { EventDefinition } from '../../model/types';
import type { CreateInstanceRequest, CreatedInstance, DeployResource, DeploymentResult, Vars } from '../../port-types';
import { reject } from '../../rejection';
import { checkVariables, notFound, num, parseKey } from '../checks';
import type { EngineContext } from '../context';
import { exprString } from '../expr';
import { schedule } from '../timers';
import { isDuplicateKey, later, select, serialTransaction } from '../tx';
import { startAtElements } from './modify-instance';
import { registerSignalStarts } from './signals';

/**
 * Deploys diagrams and forms and opens the start events of each new version, in one transaction
 * (the caller's, when given).
 */
export async function deploy(ctx: EngineContext, resources: DeployResource[], deployedBy: string, em?: EntityManager): Promise<DeploymentResult> {
  const work = async (tx: EntityManager) => {
    const result = await deployResources(tx, resources, deployedBy, ctx.clock);
    for (const p of result.processes) if (!p.duplicate) await registerStartEvents(ctx, p.key, tx);
    return result;
  };
  return em ? work(em) : serialTransaction(ctx.ds, work);
}

/**
 * Opens the message, timer and signal start events of a newly deployed version and closes those of the
 * version it replaces. Call it in the deployment's transaction.
 */
export async function registerStartEvents(ctx: EngineContext, definitionKey: string, em?: EntityManager): Promise<void> {
  await ctx.step(em, async (step) => {
    const def = await ctx.definitions.get(step.em, definitionKey);
    if (!def) throw notFound('DEFINITION_NOT_FOUND', `No process definition ${definitionKey}.`);
    const proc = await ctx.executable(step.em, definitionKey);
    await later(step.em, 'DELETE FROM engine_timers WHERE bpmn_process_id = ? AND definition_key IS NOT NULL', [def.bpmnProcessId]);
    await later(step.em, 'DELETE FROM engine_message_subscriptions WHERE bpmn_process_id = ? AND definition_key IS NOT NULL', [def.bpmnProcessId]);
    for (const id of proc.startEventIds) {
      const ev = (proc.elements[id] as { event?: EventDefinition }).event;
      if (ev?.type === 'timer') {
        const s = schedule(ev.timer, step.now, {});
        await later(step.em,
          `INSERT INTO engine_timers (due_at, element_id, definition_key, bpmn_process_id, interrupting, repetitions, interval_spec, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [s.dueAt, id, definitionKey, def.bpmnProcessId, false, s.repetitions, s.interval, step.now]);
        step.noteTimer(s.dueAt);
      } else if (ev?.type === 'message') {
        const name = exprString(ev.messageName, {}, 'message name');
        await later(step.em,
          `INSERT INTO engine_message_subscriptions (message_name, correlation_key, element_id, definition_key, bpmn_process_id, interrupting, created_at)
           VALUES (?, '', ?, ?, ?, ?, ?)`,
          [name, id, definitionKey, def.bpmnProcessId, false, step.now]);
      }
    }
    await registerSignalStarts(step, definitionKey, def.bpmnProcessId, proc);
  });
}

export async function createInstance(ctx: EngineContext, req: CreateInstanceRequest, em?: EntityManager): Promise<CreatedInstance> {
  const variables = checkVariables(req.variables);
  const businessKey = req.businessKey ?? null;
  const attempt = () => ctx.step(em, async (step) => {
    const def = req.version
      ? await ctx.definitions.byVersion(step.em, req.bpmnProcessId, req.version)
      : await ctx.definitions.latest(step.em, req.bpmnProcessId);
    if (!def) {
      throw notFound('PROCESS_NOT_DEPLOYED', `Process '${req.bpmnProcessId}'${req.version ? ` version ${req.version}` : ''} is not deployed.`);
    }
    if (businessKey !== null) {
      const existing = await byBusinessKey(step.em, req.bpmnProcessId, businessKey);
      if (existing) return existing;
    }
    if (req.startInstructions?.length) {
      const started = await startAtElements(step, def, req.startInstructions, variables, businessKey);
      return { processInstanceKey: String(started.id), bpmnProcessId: def.bpmnProcessId, version: def.version, definitionKey: def.definitionKey, created: true };
    }
    const proc = await ctx.executable(step.em, def.definitionKey);
    const start = proc.startEventIds.find((id) => (proc.elements[id] as { event?: EventDefinition }).event?.type === 'none');
    if (!start) throw reject.invalidArgument('NO_NONE_START_EVENT', `Process '${req.bpmnProcessId}' starts only by message or timer.`);
    const pi = await step.startInstance(def, start, variables, { businessKey });
    return { processInstanceKey: String(pi.id), bpmnProcessId: def.bpmnProcessId, version: def.version, definitionKey: def.definitionKey, created: true };
  });
  try {
    return await attempt();
  } catch (e) {
    // Two starts with one business key at once: the loser answers the winner's instance.
    if (businessKey !== null && isDuplicateKey(e) && !em) {
      const found = await serialTransaction(ctx.ds, (tx) => byBusinessKey(tx, req.bpmnProcessId, businessKey));
      if (found) return found;
    }
    throw e;
  }
}

async function byBusinessKey(em: EntityManager, bpmnProcessId: string, businessKey: string): Promise<CreatedInstance | null> {
  const [row] = await select<{ id: number | string; version: number | string; definition_key: string }>(em,
    'SELECT id, version, definition_key FROM engine_process_instances WHERE bpmn_process_id = ? AND business_key = ?', [bpmnProcessId, businessKey]);
  return row ? { processInstanceKey: String(row.id), bpmnProcessId, version: num(row.version), definitionKey: row.definition_key, created: false } : null;
}

export async function cancelInstance(ctx: EngineContext, key: string, em?: EntityManager): Promise<void> {
  const id = parseKey(key, 'PROCESS_INSTANCE_NOT_FOUND', 'process instance');
  await ctx.step(em, async (step) => {
    await step.lockRoot(id);
    const pi = await step.pi(id);
    if (!pi) throw notFound('PROCESS_INSTANCE_NOT_FOUND', `No process instance ${key}.`);
    if (pi.parentEiId !== null) throw reject.invalidState('CHILD_INSTANCE', 'A called process instance is cancelled through its root instance.');
    if (pi.state !== 'active') throw reject.invalidState('PROCESS_INSTANCE_NOT_ACTIVE', `Process instance ${key} is ${pi.state}.`);
    await step.terminateProcess(pi, 'canceled');
  });
}

/**
 * Writes variables into a running scope, as Zeebe's SetVariables does: `local` puts them on the
 * element instance itself; otherwise each goes to the nearest scope outwards that already holds a
 * variable of its name, else to the process instance. This is how a variable that made an element
 * fail (an incident) is put right before the incident is resolved.
 */
export async function setVariables(ctx: EngineContext, key: string, variables: Vars, opts: { local?: boolean; em?: EntityManager } = {}): Promise<void> {
  const id = parseKey(key, 'ELEMENT_INSTANCE_NOT_FOUND', 'element instance');
  const vars = checkVariables(variables);
  const gone = () => notFound('ELEMENT_INSTANCE_NOT_FOUND', `No active element instance ${key}.`);
  await ctx.step(opts.em, async (step) => {
    const [first] = await select<{ root_id: number | string }>(step.em,
      `SELECT p.root_id FROM engine_element_instances e JOIN engine_process_instances p ON p.id = COALESCE(e.process_instance_id, e.id)
       WHERE e.id = ?`, [id]);
    if (!first) throw gone();
    await step.lockRoot(num(first.root_id));
    const ei = await step.ei(id);
    if (!ei || ei.state !== 'active') throw gone();
    if (opts.local) await step.setLocal(ei, vars);
    else await step.propagate(ei, vars);
  });
}
