/**
 * The rows a step has read or written, so that it reads each one at most once. Lives for one step:
 * nothing of an instance is kept in memory between steps.
 */
import type { EI, EiRow, PI, PiRow, VarRow } from './step-state';

export const num = (v: number | string | null | undefined): number => Number(v);
export const numOrNull = (v: number | string | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));

export class RowCache {
  readonly eis = new Map<number, EI>();
  readonly pis = new Map<number, PI>();
  /** Every variable of a scope, by scope id (present only when all of them were read). */
  readonly vars = new Map<number, Map<string, unknown>>();

  /** The cached element instance of the row, caching the row if none is: a cached one is never replaced. */
  ei(r: EiRow): EI {
    const e: EI = { id: num(r.id), piId: r.process_instance_id === null ? num(r.id) : num(r.process_instance_id), elementId: r.element_id, scopeId: numOrNull(r.scope_id), kind: r.kind, state: r.state };
    const cached = this.eis.get(e.id);
    if (cached) return cached;
    this.eis.set(e.id, e);
    return e;
  }

  pi(r: PiRow): PI {
    const cached = this.pis.get(num(r.id));
    if (cached) return cached;
    const p: PI = { id: num(r.id), definitionKey: r.definition_key, bpmnProcessId: r.bpmn_process_id, version: num(r.version), parentEiId: numOrNull(r.parent_element_instance_id), rootId: num(r.root_id), state: r.state };
    this.pis.set(p.id, p);
    return p;
  }

  /** Puts every variable of `scopes` (all of them, as read together) into the cache. */
  scopeVars(scopes: number[], rows: VarRow[]): void {
    for (const id of scopes) if (!this.vars.has(id)) this.vars.set(id, new Map());
    for (const r of rows) this.vars.get(num(r.scope_id))?.set(r.name, JSON.parse(r.value));
  }
}
