/**
 * Reads BPMN XML into a bpmn-moddle tree with the Zeebe extensions, and repairs what the lint and the
 * compiler rely on: bpmn-moddle fills `incoming`/`outgoing` only where the XML lists them, so they are
 * derived from the sequence flows here (otherwise lint rules that follow flows see disconnected
 * elements and miss real problems).
 */
import { BpmnModdle, type ModdleElement, type ParseWarning } from 'bpmn-moddle';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json';
import type { DiagramProblem } from './types';

export type { ModdleElement };

export interface ParsedDiagram {
  /** The bpmn:Definitions root; absent when the XML could not be read at all. */
  definitions?: ModdleElement;
  problems: DiagramProblem[];
}

let moddle: BpmnModdle | undefined;

function getModdle(): BpmnModdle {
  // Building the meta-model is the expensive part; the instance holds no per-diagram state.
  moddle ??= new BpmnModdle({ zeebe: zeebeSchema });
  return moddle;
}

export async function parseBpmn(xml: string): Promise<ParsedDiagram> {
  if (typeof xml !== 'string' || xml.trim() === '') {
    return { problems: [{ rule: 'xml', message: 'The diagram is empty.', severity: 'error' }] };
  }
  let definitions: ModdleElement;
  let warnings: ParseWarning[];
  try {
    ({ rootElement: definitions, warnings } = await getModdle().fromXML(xml, 'bpmn:Definitions'));
  } catch (e) {
    return { problems: [{ rule: 'xml', message: `The diagram is not readable BPMN XML: ${(e as Error).message}`, severity: 'error' }] };
  }
  const problems = warnings.map(warningToProblem);
  deriveFlowReferences(definitions);
  return { definitions, problems };
}

function warningToProblem(w: ParseWarning): DiagramProblem {
  const elementId = typeof w.element?.id === 'string' ? w.element.id : undefined;
  // A reference to a missing element or a reused id breaks the model; unknown extra content does not.
  const severe = /unresolved reference|duplicate ID/i.test(w.message);
  const message = w.message.split('\n')[0];
  return { ...(elementId ? { elementId } : {}), rule: 'xml', message, severity: severe ? 'error' : 'warning' };
}

/** Lists of children, or [] (moddle leaves unset collections undefined until accessed with get()). */
export function many(el: ModdleElement | undefined, prop: string): ModdleElement[] {
  if (!el) return [];
  const v = el.get(prop);
  return Array.isArray(v) ? (v as ModdleElement[]) : [];
}

export function ref(el: ModdleElement | undefined, prop: string): ModdleElement | undefined {
  const v = el?.get(prop);
  return v && typeof v === 'object' ? (v as ModdleElement) : undefined;
}

export function str(el: ModdleElement | undefined, prop: string): string | undefined {
  const v = el?.get(prop);
  return typeof v === 'string' ? v : undefined;
}

/** Replaces every flow node's incoming/outgoing with the sequence flows that really point at it. */
export function deriveFlowReferences(definitions: ModdleElement): void {
  const containers: ModdleElement[] = [];
  const collect = (c: ModdleElement): void => {
    containers.push(c);
    for (const child of many(c, 'flowElements')) if (child.$instanceOf('bpmn:SubProcess')) collect(child);
  };
  for (const root of many(definitions, 'rootElements')) if (root.$instanceOf('bpmn:Process')) collect(root);

  const incoming = new Map<ModdleElement, ModdleElement[]>();
  const outgoing = new Map<ModdleElement, ModdleElement[]>();
  const nodes: ModdleElement[] = [];
  for (const c of containers) {
    for (const el of many(c, 'flowElements')) {
      if (el.$instanceOf('bpmn:SequenceFlow')) {
        const source = ref(el, 'sourceRef');
        const target = ref(el, 'targetRef');
        if (source) outgoing.set(source, [...(outgoing.get(source) ?? []), el]);
        if (target) incoming.set(target, [...(incoming.get(target) ?? []), el]);
      } else if (el.$instanceOf('bpmn:FlowNode')) {
        nodes.push(el);
      }
    }
  }
  for (const node of nodes) {
    replaceList(node, 'incoming', incoming.get(node) ?? []);
    replaceList(node, 'outgoing', outgoing.get(node) ?? []);
  }
}

function replaceList(el: ModdleElement, prop: string, values: ModdleElement[]): void {
  const list = el.get(prop) as ModdleElement[];
  list.splice(0, list.length, ...values);
}
