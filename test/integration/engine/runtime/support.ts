/**
 * Small executable models built in code for the runtime's tests (the compiler has its own tests), and
 * an engine on a fresh test database.
 */
import { TestClock } from '../../../../src/clock/clock';
import { MemoryDefinitions } from '../../../../src/engine/runtime/definitions';
import { ActivatedJob, EmbeddedEngine } from '../../../../src/engine/runtime/engine';
import { ElementKind, EventDefinition, ExecutableProcess, FlowElement, IoMapping, SequenceFlow } from '../../../../src/engine/model/types';
import { TestDatabase, TestDbKind, createTestDatabase } from '../../../support/db';

type Spec = { id: string; kind: ElementKind; scopeId?: string; default?: string } & Record<string, unknown>;

const io = (inputs: Array<[string, string]> = [], outputs: Array<[string, string]> = []): IoMapping => ({
  inputs: inputs.map(([source, target]) => ({ source, target })),
  outputs: outputs.map(([source, target]) => ({ source, target })),
});

export const el = {
  start: (id: string, event: EventDefinition = { type: 'none' }, scopeId?: string): Spec => ({ id, kind: 'startEvent', event, scopeId }),
  end: (id: string, event: EventDefinition = { type: 'none' }, scopeId?: string): Spec => ({ id, kind: 'endEvent', event, scopeId }),
  task: (id: string, jobType: string, extra: Record<string, unknown> = {}): Spec => ({ id, kind: 'serviceTask', jobType, retries: '3', headers: {}, ...extra }),
  user: (id: string, extra: Record<string, unknown> = {}): Spec => ({ id, kind: 'userTask', ...extra }),
  xor: (id: string, defaultTo?: string, scopeId?: string): Spec => ({ id, kind: 'exclusiveGateway', default: defaultTo, scopeId }),
  and: (id: string, scopeId?: string): Spec => ({ id, kind: 'parallelGateway', scopeId }),
  ebg: (id: string): Spec => ({ id, kind: 'eventBasedGateway' }),
  message: (id: string, messageName: string, correlationKey: string, extra: Record<string, unknown> = {}): Spec =>
    ({ id, kind: 'intermediateCatchEvent', event: { type: 'message', messageName, correlationKey }, ...extra }),
  timer: (id: string, kind: 'duration' | 'date' | 'cycle', expression: string): Spec =>
    ({ id, kind: 'intermediateCatchEvent', event: { type: 'timer', timer: { kind, expression } } }),
  boundary: (id: string, attachedToId: string, event: EventDefinition, cancelActivity = true, extra: Record<string, unknown> = {}): Spec =>
    ({ id, kind: 'boundaryEvent', attachedToId, event, cancelActivity, ...extra }),
  sub: (id: string, extra: Record<string, unknown> = {}): Spec => ({ id, kind: 'subProcess', ...extra }),
  call: (id: string, calledProcessId: string, extra: Record<string, unknown> = {}): Spec =>
    ({ id, kind: 'callActivity', calledProcessId, propagateAllChildVariables: true, propagateAllParentVariables: true, ...extra }),
  io,
};

/** Flows as [from, to, condition?]; ids are `from_to`. */
export function model(id: string, specs: Spec[], flows: Array<[string, string, string?]>): ExecutableProcess {
  const elements: Record<string, FlowElement> = {};
  for (const s of specs) {
    const { default: def, ...rest } = s;
    const e = { incoming: [], outgoing: [], ...rest, scopeId: s.scopeId ?? id } as unknown as FlowElement & { defaultFlowId?: string };
    if (def) e.defaultFlowId = `${s.id}_${def}`;
    elements[s.id] = e;
  }
  const flowMap: Record<string, SequenceFlow> = {};
  for (const [from, to, condition] of flows) {
    const f: SequenceFlow = { id: `${from}_${to}`, sourceId: from, targetId: to, condition };
    flowMap[f.id] = f;
    elements[from].outgoing.push(f.id);
    elements[to].incoming.push(f.id);
  }
  const boundaryEventsByHost: Record<string, string[]> = {};
  for (const e of Object.values(elements)) {
    if (e.kind === 'boundaryEvent') {
      e.scopeId = elements[e.attachedToId].scopeId;
      (boundaryEventsByHost[e.attachedToId] ??= []).push(e.id);
    }
  }
  for (const e of Object.values(elements)) {
    if (e.kind === 'subProcess') {
      e.childIds = Object.values(elements).filter((c) => c.scopeId === e.id).map((c) => c.id);
      e.startEventId = e.childIds.find((c) => elements[c].kind === 'startEvent')!;
    }
  }
  const startEventIds = Object.values(elements).filter((e) => e.kind === 'startEvent' && e.scopeId === id).map((e) => e.id);
  return { id, elements, flows: flowMap, startEventIds, boundaryEventsByHost };
}

export interface Harness {
  db: TestDatabase;
  engine: EmbeddedEngine;
  clock: TestClock;
  defs: MemoryDefinitions;
  deploy(p: ExecutableProcess): Promise<string>;
  jobs(type: string, max?: number): Promise<ActivatedJob[]>;
  /** Activates and completes every job of a type. */
  work(type: string, variables?: Record<string, unknown>): Promise<ActivatedJob[]>;
  close(): Promise<void>;
}

export async function harness(kind: TestDbKind, label: string): Promise<Harness> {
  const db = await createTestDatabase(kind, label);
  const clock = new TestClock();
  const defs = new MemoryDefinitions();
  const engine = new EmbeddedEngine(db.ds, clock, { definitions: defs });
  const h: Harness = {
    db, engine, clock, defs,
    async deploy(p) {
      const d = defs.add(p);
      await engine.registerStartEvents(d.definitionKey);
      return d.definitionKey;
    },
    jobs: (type, max = 100) => engine.activateJobs({ type, worker: 'test', maxJobs: max, timeoutMs: 60_000 }),
    async work(type, variables = {}) {
      const js = await h.jobs(type);
      for (const j of js) await engine.completeJob(j.key, variables);
      return js;
    },
    async close() {
      await engine.stop();
      await db.close();
    },
  };
  return h;
}

/** Element ids of an instance's history in a given state. */
export function elementsIn(view: { elements: Array<{ elementId: string; state: string }> }, state: string): string[] {
  return view.elements.filter((e) => e.state === state).map((e) => e.elementId);
}
