/**
 * Process instance modification, as Zeebe 8.8's ModifyProcessInstance: activate elements (inside a
 * chosen ancestor scope, or the one scope instance there is, created when there is none) and terminate
 * element instances, with variables written before an activated element runs. The whole modification
 * is one step: every instruction is checked before anything is written, and it commits or rolls back
 * as a whole. Start instructions on instance creation (start at given elements instead of the none
 * start event) use the same activation.
 *
 * This is how a supervisor repairs an instance stuck on bad data: move the token (activate the next
 * element, terminate the stuck one), cancel a branch, or start an element again.
 */
import type { EntityManager } from 'typeorm';
import type { ExecutableProcess, FlowElement } from '../../model/types';
import type { Vars } from '../../port-types';
import { reject } from '../../rejection';
import type { ModificationResult, ModifyInstanceRequest, VariableInstruction, ActivateInstruction, VersionElements } from '../../repair-port';
import { checkVariables, num, parseKey } from '../checks';
import type { EngineContext } from '../context';
import type { DefinitionInfo } from '../definitions';
import { IncidentError } from '../interpreter/errors';
import { openBoundaries } from '../interpreter/events';
import { applyInputs } from '../interpreter/variables';
import type { Step } from '../step';
import type { EI, PI } from '../storage/step-state';
import { select } from '../tx';

export type { ActivateInstruction, ModificationResult, ModifyInstanceRequest, VariableInstruction } from '../../repair-port';

/**
 * Kinds Zeebe refuses to activate by modification: a start event starts a scope and a boundary event
 * belongs to its activity's instance.
 */
const NOT_ACTIVATABLE = new Set(['startEvent', 'boundaryEvent']);

/** What one checked activate instruction will do. */
interface ActivationPlan {
  el: FlowElement;
  /** The scope instance to activate in, when it exists. */
  scope: EI;
  /** Sub-process ids to create inside `scope` before the element, outermost first. */
  create: string[];
  variables: VariableInstruction[];
}

export async function modifyInstance(ctx: EngineContext, key: string, req: ModifyInstanceRequest, em?: EntityManager): Promise<ModificationResult> {
  const id = parseKey(key, 'PROCESS_INSTANCE_NOT_FOUND', 'process instance');
  const activate = req.activate ?? [];
  const terminate = req.terminate ?? [];
  if (!activate.length && !terminate.length) {
    throw reject.invalidArgument('MODIFICATION_EMPTY', 'A modification activates or terminates at least one element.');
  }
  for (const a of activate) for (const v of a.variables ?? []) v.variables = checkVariables(v.variables);
  return ctx.step(em, async (step) => {
    const [row] = await select<{ root_id: number | string }>(step.em, 'SELECT root_id FROM engine_process_instances WHERE id = ?', [id]);
    if (!row) throw reject.notFound('PROCESS_INSTANCE_NOT_FOUND', `No process instance ${key}.`);
    await step.lockRoot(num(row.root_id));
    const pi = await step.mustPi(id);
    if (pi.state !== 'active') throw reject.invalidState('PROCESS_INSTANCE_NOT_ACTIVE', `Process instance ${key} is ${pi.state}.`);
    const p = await step.proc(pi);
    const root = await step.mustEi(pi.id);
    // Every instruction is checked before the first write.
    const plans: ActivationPlan[] = [];
    for (const a of activate) plans.push(await planActivation(step, p, pi, root, a));
    const ends: EI[] = [];
    for (const k of terminate) ends.push(await terminable(step, pi, k));

    const result: ModificationResult = { activated: [], terminated: [] };
    // Activations first, as Zeebe does: terminating the last element must not end the instance the modification still adds to.
    for (const plan of plans) {
      if (pi.state !== 'active') break;
      const ei = await activateElement(step, p, pi, plan);
      result.activated.push({ elementId: plan.el.id, elementInstanceKey: String(ei.id) });
    }
    for (const ei of ends) {
      if (ei.state !== 'active' || pi.state !== 'active') continue;
      result.terminated.push({ elementId: ei.elementId, elementInstanceKey: String(ei.id) });
      await terminateAndPrune(step, pi, ei);
    }
    return result;
  });
}

/**
 * Creates a process instance that starts at the given elements instead of its none start event
 * (CreateProcessInstance's start instructions). The caller has found the definition.
 */
export async function startAtElements(step: Step, def: DefinitionInfo, elementIds: string[], variables: Vars, businessKey: string | null): Promise<PI> {
  const p = await step.state.executable(def.definitionKey);
  for (const elementId of elementIds) checkActivatable(p, elementId);
  const root = await step.insertEi(null, p.id, null, 'process');
  const pi: PI = { id: root.id, definitionKey: def.definitionKey, bpmnProcessId: def.bpmnProcessId, version: def.version, parentEiId: null, rootId: root.id, state: 'active' };
  await step.state.insertPi(pi, businessKey);
  await step.setLocal(root, variables);
  for (const elementId of elementIds) {
    if (pi.state !== 'active') break;
    const el = p.elements[elementId];
    // A new instance has no sub-process instances yet: every enclosing sub-process is created.
    await activateElement(step, p, pi, { el, scope: root, create: flowScopes(p, el).reverse(), variables: [] });
  }
  return pi;
}

/** The elements of a version and whether a modification may activate each (for the repair page). */
export function elementsOf(def: DefinitionInfo, p: ExecutableProcess): VersionElements {
  return {
    definitionKey: def.definitionKey, bpmnProcessId: def.bpmnProcessId, version: def.version,
    elements: Object.values(p.elements).map((el) => ({ elementId: el.id, name: el.name ?? null, kind: el.kind, activatable: activatable(p, el) })),
  };
}

function activatable(p: ExecutableProcess, el: FlowElement): boolean {
  return !NOT_ACTIVATABLE.has(el.kind) && !el.incoming.some((f) => p.elements[p.flows[f].sourceId]?.kind === 'eventBasedGateway');
}

function checkActivatable(p: ExecutableProcess, elementId: string): FlowElement {
  const el = p.elements[elementId];
  if (!el) throw reject.invalidArgument('ELEMENT_NOT_FOUND', `Process '${p.id}' has no element '${elementId}'.`);
  if (NOT_ACTIVATABLE.has(el.kind)) {
    throw reject.invalidArgument('ELEMENT_NOT_ACTIVATABLE', `Element '${elementId}' is a ${el.kind}; a modification cannot activate one.`);
  }
  // An event after an event-based gateway is entered only by the gateway's race.
  if (el.incoming.some((f) => p.elements[p.flows[f].sourceId]?.kind === 'eventBasedGateway')) {
    throw reject.invalidArgument('ELEMENT_NOT_ACTIVATABLE', `Element '${elementId}' follows an event-based gateway; activate the gateway instead.`);
  }
  return el;
}

/** The ids of the sub-processes an element lies in, innermost first (the process itself not included). */
function flowScopes(p: ExecutableProcess, el: FlowElement): string[] {
  const out: string[] = [];
  let scopeId = el.scopeId;
  while (scopeId !== p.id) {
    out.push(scopeId);
    const scope = p.elements[scopeId];
    if (!scope) break;
    scopeId = scope.scopeId;
  }
  return out;
}

const NO_ANCESTOR = new Set(['', '0', '-1']);

async function planActivation(step: Step, p: ExecutableProcess, pi: PI, root: EI, a: ActivateInstruction): Promise<ActivationPlan> {
  const el = checkActivatable(p, a.elementId);
  const scopes = flowScopes(p, el); // innermost first
  const variables = a.variables ?? [];
  for (const v of variables) {
    if (v.scopeId && v.scopeId !== el.id && !scopes.includes(v.scopeId)) {
      throw reject.invalidArgument('VARIABLE_SCOPE_INVALID',
        `Variables for '${el.id}' go to the process, the element or one of its sub-processes; '${v.scopeId}' is none of them.`);
    }
  }
  // Walk down from the ancestor (or the process) through the element's enclosing sub-processes.
  let scope = root;
  let below = [...scopes].reverse(); // outermost first
  const ancestorKey = a.ancestorElementInstanceKey ?? '';
  if (!NO_ANCESTOR.has(ancestorKey)) {
    const ancestorId = parseKey(ancestorKey, 'ANCESTOR_NOT_FOUND', 'ancestor element instance');
    const ancestor = await step.ei(ancestorId);
    const inInstance = ancestor && (ancestor.id === pi.id || ancestor.piId === pi.id);
    if (!ancestor || !inInstance || ancestor.state !== 'active') {
      throw reject.invalidArgument('ANCESTOR_NOT_FOUND', `No active element instance ${ancestorKey} in process instance ${pi.id}.`);
    }
    if (ancestor.id !== pi.id) {
      const at = below.indexOf(ancestor.elementId);
      if (at < 0) {
        throw reject.invalidArgument('ANCESTOR_INVALID', `Element instance ${ancestorKey} ('${ancestor.elementId}') does not enclose '${el.id}'.`);
      }
      below = below.slice(at + 1);
    }
    scope = ancestor;
  }
  const create: string[] = [];
  for (let i = 0; i < below.length; i++) {
    const found = (await step.state.activeChildren(scope.id)).filter((c) => c.elementId === below[i]);
    if (found.length > 1) {
      throw reject.invalidArgument('ANCESTOR_AMBIGUOUS',
        `Sub-process '${below[i]}' has ${found.length} active instances; choose one as the ancestor of '${el.id}'.`);
    }
    if (!found.length) { create.push(...below.slice(i)); break; }
    scope = found[0];
  }
  return { el, scope, create, variables };
}

async function terminable(step: Step, pi: PI, key: string): Promise<EI> {
  const id = parseKey(key, 'ELEMENT_INSTANCE_NOT_FOUND', 'element instance');
  const ei = await step.ei(id);
  if (!ei || ei.piId !== pi.id || ei.kind === 'process' || ei.state !== 'active') {
    throw reject.notFound('ELEMENT_INSTANCE_NOT_FOUND', `No active element instance ${key} in process instance ${pi.id}.`);
  }
  return ei;
}

/** Creates the missing sub-process instances, writes the instruction's variables and runs the element. */
async function activateElement(step: Step, p: ExecutableProcess, pi: PI, plan: ActivationPlan): Promise<EI> {
  const byScope = new Map<string, EI>();
  let scope = plan.scope;
  byScope.set(scope.elementId, scope);
  for (const subId of plan.create) {
    // Entered without its start event: only the element asked for runs in it.
    const sub = await step.insertEi(pi.id, subId, scope.id, 'subProcess');
    try {
      await applyInputs(step, sub, p.elements[subId]);
      await openBoundaries(step, pi, sub, p.elements[subId]);
    } catch (e) {
      // A sub-process that cannot be entered refuses the whole modification (the step rolls back) rather than leaving an incident behind.
      if (e instanceof IncidentError) throw reject.invalidState('SCOPE_NOT_ENTERABLE', `Sub-process '${subId}' cannot be entered: ${e.message}`);
      throw e;
    }
    byScope.set(subId, sub);
    scope = sub;
  }
  const ei = await step.insertEi(pi.id, plan.el.id, scope.id, plan.el.kind);
  byScope.set(plan.el.id, ei);
  for (const v of plan.variables) {
    if (!v.scopeId) { await step.setLocal(await step.mustEi(pi.id), v.variables); continue; }
    // An enclosing sub-process that existed before: find its instance on the chain above the new element.
    const target = byScope.get(v.scopeId) ?? (await step.chain(ei)).find((c) => c.elementId === v.scopeId);
    if (target) await step.setLocal(target, v.variables);
  }
  await step.run(pi, ei, plan.el);
  return ei;
}

/**
 * Terminates an element instance; a sub-process left with nothing to do is terminated in turn, and a
 * process instance left empty ends terminated (as in Zeebe).
 */
async function terminateAndPrune(step: Step, pi: PI, ei: EI): Promise<void> {
  let scope = await step.mustEi(ei.scopeId!);
  await step.terminate(ei);
  while (scope.state === 'active' && !(await step.state.scopeBusy(scope.id))) {
    if (scope.kind === 'process') {
      await step.terminateProcess(pi, 'terminated');
      return;
    }
    const outer = await step.mustEi(scope.scopeId!);
    await step.terminate(scope);
    scope = outer;
  }
}
