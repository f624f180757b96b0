/**
 * What changed between two versions of a diagram: elements added, removed and changed (with the
 * properties that changed, Zeebe extensions included), and elements only moved on the canvas.
 *
 * bpmn-js-differ finds the elements; the property list is computed here because the differ reports a
 * change inside extension elements (a job type, a form id, a timer) without saying what it was, and
 * its old and new attribute values come out swapped.
 */
import { diff } from 'bpmn-js-differ';
import type { ModdleElement } from 'bpmn-moddle';
import { errors } from '../errors';
import { parseBpmn } from '../engine/model/parse';

export interface DiffElement {
  id: string;
  type: string;
  name: string | null;
}

export interface PropertyChange {
  property: string;
  before: string | null;
  after: string | null;
}

export interface ChangedElement extends DiffElement {
  changes: PropertyChange[];
}

export interface DiagramDiff {
  added: DiffElement[];
  removed: DiffElement[];
  changed: ChangedElement[];
  /** Moved or resized on the canvas only. */
  layoutChanged: DiffElement[];
}

interface Descriptor {
  properties: { name: string; isMany?: boolean; isReference?: boolean; isAttr?: boolean; type?: string }[];
}

const isModdle = (v: unknown): v is ModdleElement => Boolean(v && typeof v === 'object' && '$type' in (v as object));

/**
 * Elements diffed on their own: the flattening of a container stops at them. Event definitions are
 * root elements in the BPMN schema, but one inside an event (a timer's timeDuration, timeDate or
 * timeCycle, a message reference) belongs to that event: stopping there hid every change to a timer.
 */
function hasOwnEntry(e: ModdleElement): boolean {
  if (e.$instanceOf('bpmn:EventDefinition')) return false;
  return Boolean(e.id) && ['bpmn:FlowElement', 'bpmn:Artifact', 'bpmn:LaneSet', 'bpmn:Lane', 'bpmn:RootElement'].some((t) => e.$instanceOf(t));
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The element's own properties as 'path → value', with its extensions and event definitions. */
function flatten(e: ModdleElement, prefix = '', out: Map<string, string> = new Map(), top = true): Map<string, string> {
  const descriptor = (e as unknown as { $descriptor: Descriptor }).$descriptor;
  for (const p of descriptor.properties) {
    if (!top && p.name === 'id') continue; // ids of nested definitions are generated, not meaningful
    const v = (e as unknown as Record<string, unknown>)[p.name];
    if (v === undefined || v === null) continue;
    const key = prefix + p.name;
    if (p.isReference) {
      // incoming/outgoing follow from the sequence flows, which are diffed themselves.
      if (!p.isMany && isModdle(v) && v.id) out.set(key, '#' + v.id);
      continue;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        if (!isModdle(item)) out.set(`${key}[${i}]`, text(item));
        else if (!hasOwnEntry(item)) flatten(item, `${key}[${i}]<${item.$type}>.`, out, false);
      });
    } else if (isModdle(v)) {
      if (!hasOwnEntry(v)) flatten(v, `${key}<${v.$type}>.`, out, false);
    } else {
      out.set(key, text(v));
    }
  }
  for (const [k, v] of Object.entries(e.$attrs ?? {})) out.set(prefix + k, v);
  return out;
}

/**
 * Readable property names: 'extensionElements<bpmn:ExtensionElements>.values[0]<zeebe:TaskDefinition>.type'
 * → 'zeebe:TaskDefinition.type'; 'eventDefinitions[0]<bpmn:TimerEventDefinition>.timeDuration<bpmn:FormalExpression>.body'
 * → 'bpmn:TimerEventDefinition.timeDuration'. The editor names them in Chinese by these keys.
 */
function readable(path: string): string {
  return path.replace(/^extensionElements<bpmn:ExtensionElements>\.values\[\d+\]<([^>]+)>\./, '$1.')
    .replace(/^eventDefinitions\[\d+\]<([^>]+)>\./, '$1.')
    .replace(/<bpmn:FormalExpression>\.body$/, '')
    .replace(/<[^>]+>/g, '');
}

function propertyChanges(a: ModdleElement, b: ModdleElement): PropertyChange[] {
  const before = flatten(a);
  const after = flatten(b);
  const out: PropertyChange[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const x = before.get(key) ?? null;
    const y = after.get(key) ?? null;
    if (x !== y) out.push({ property: readable(key), before: x, after: y });
  }
  return out;
}

function describe(e: ModdleElement): DiffElement {
  return { id: e.id!, type: e.$type, name: typeof e.name === 'string' && e.name ? e.name : null };
}

function byId(definitions: ModdleElement): Map<string, ModdleElement> {
  const out = new Map<string, ModdleElement>();
  const walk = (e: ModdleElement) => {
    if (e.id && hasOwnEntry(e)) out.set(e.id, e);
    for (const key of ['rootElements', 'flowElements', 'artifacts', 'laneSets', 'lanes']) {
      const v = (e as unknown as Record<string, unknown>)[key];
      if (Array.isArray(v)) for (const c of v) if (isModdle(c)) walk(c);
    }
  };
  walk(definitions);
  return out;
}

async function read(xml: string, which: string): Promise<ModdleElement> {
  const parsed = await parseBpmn(xml);
  if (!parsed.definitions) throw errors.badRequest('INVALID_DIAGRAM', `The ${which} version is not readable BPMN XML.`, parsed.problems);
  return parsed.definitions;
}

export async function diffDiagrams(fromXml: string, toXml: string): Promise<DiagramDiff> {
  const [a, b] = [await read(fromXml, 'first'), await read(toXml, 'second')];
  const changes = diff(a, b);
  const before = byId(a);
  const after = byId(b);
  const changed: ChangedElement[] = [];
  // The differ's candidates plus every element in both versions: a container whose children changed is
  // flagged by the differ without a change of its own, and is left out when none is found.
  for (const id of new Set([...Object.keys(changes._changed), ...before.keys()])) {
    const x = before.get(id);
    const y = after.get(id);
    if (!x || !y) continue;
    const list = propertyChanges(x, y);
    if (list.length > 0) changed.push({ ...describe(y), changes: list });
  }
  const keep = (m: Record<string, ModdleElement>, index: Map<string, ModdleElement>) =>
    Object.keys(m).map((id) => index.get(id)).filter((e): e is ModdleElement => Boolean(e)).map(describe);
  const changedIds = new Set(changed.map((c) => c.id));
  return {
    added: keep(changes._added, after),
    removed: keep(changes._removed, before),
    changed,
    layoutChanged: keep(changes._layoutChanged, after).filter((e) => !changedIds.has(e.id)),
  };
}
