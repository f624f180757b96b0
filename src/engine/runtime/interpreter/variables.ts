/**
 * Variables as BPMN sees them: scopes nest (element instance → sub-process → process instance), inner
 * scopes shadow outer ones, input mappings make locals, and Zeebe's propagation decides where a
 * variable a trigger brings is written.
 */
import type { FlowElement } from '../../model/types';
import type { Vars } from '../../port-types';
import type { EI } from '../storage/step-state';
import type { StepContext } from './context';
import { evalFeel } from './expressions';

/** The element instance and its enclosing scopes up to the process instance, innermost first. */
export async function chain(s: StepContext, ei: EI): Promise<EI[]> {
  const out = [ei];
  let cur = ei;
  while (cur.scopeId !== null) {
    cur = await s.state.mustEi(cur.scopeId);
    out.push(cur);
  }
  return out;
}

/** Every variable visible from the element instance; inner scopes shadow outer ones. */
export async function context(s: StepContext, ei: EI): Promise<Vars> {
  const scopes = await chain(s, ei);
  const ctx: Vars = {};
  for (let i = scopes.length - 1; i >= 0; i--) {
    for (const [k, v] of await s.state.localVars(scopes[i].id)) ctx[k] = v;
  }
  return ctx;
}

/**
 * Zeebe's variable propagation: each variable goes to the nearest scope, from `from` outwards, that
 * already holds a variable of that name, else to the process instance's scope.
 */
export async function propagate(s: StepContext, from: EI, vars: Vars): Promise<void> {
  const scopes = await chain(s, from);
  const byScope = new Map<EI, Vars>();
  for (const [name, value] of Object.entries(vars)) {
    let target = scopes[scopes.length - 1];
    for (const sc of scopes) {
      if ((await s.state.localVars(sc.id)).has(name)) { target = sc; break; }
    }
    const bucket = byScope.get(target) ?? {};
    bucket[name] = value;
    byScope.set(target, bucket);
  }
  for (const [scope, v] of byScope) await s.state.setLocal(scope, v);
}

/** Applies one mapping's value to a (possibly dotted) target, merging into the variable it names. */
export function assignMapping(out: Vars, ctx: Vars, target: string, value: unknown): void {
  const path = target.split('.');
  if (path.length === 1) { out[target] = value; return; }
  const head = path[0];
  const base = out[head] ?? ctx[head];
  const root: Record<string, unknown> = base && typeof base === 'object' && !Array.isArray(base) ? structuredClone(base as Record<string, unknown>) : {};
  let cur = root;
  for (const key of path.slice(1, -1)) {
    const next = cur[key];
    cur = cur[key] = next && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : {};
  }
  cur[path[path.length - 1]] = value;
  out[head] = root;
}

/** Input mappings: evaluated in the flow scope's variables, written as the element instance's locals. */
export async function applyInputs(s: StepContext, ei: EI, el: FlowElement): Promise<void> {
  const inputs = el.ioMapping?.inputs ?? [];
  if (!inputs.length) return;
  const ctx = ei.scopeId === null ? {} : await context(s, await s.state.mustEi(ei.scopeId));
  const locals: Vars = {};
  for (const m of inputs) assignMapping(locals, ctx, m.target, evalFeel(s.now, m.source, { ...ctx, ...locals }, 'IO_MAPPING_ERROR'));
  await s.state.setLocal(ei, locals);
}

/**
 * Output mappings, or propagation without them: with outputs the trigger's variables become the
 * element's locals and the outputs go to the flow scope; without, they propagate.
 */
export async function applyOutputs(s: StepContext, ei: EI, el: FlowElement, vars: Vars | undefined): Promise<void> {
  const outputs = el.ioMapping?.outputs ?? [];
  if (outputs.length) {
    if (vars) await s.state.setLocal(ei, vars);
    const ctx = await context(s, ei);
    const out: Vars = {};
    const scope = await s.state.mustEi(ei.scopeId!);
    const scopeCtx = await context(s, scope);
    for (const m of outputs) assignMapping(out, scopeCtx, m.target, evalFeel(s.now, m.source, ctx, 'IO_MAPPING_ERROR'));
    await propagate(s, scope, out);
  } else if (vars && Object.keys(vars).length) {
    await propagate(s, ei, vars);
  }
}
