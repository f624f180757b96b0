/**
 * A process instance drawn with the bpmn-js viewer: completed elements, the current position and
 * incidents marked with CSS classes (see style.css), the view fitted to the diagram. bpmn-js is loaded
 * only when a case page shows a diagram.
 */
import { get } from './api';
import { el } from './dom';
import type { ProcessView } from './types';

interface Canvas { addMarker(id: string, cls: string): void; zoom(level: string | number, center?: 'auto'): void }
interface Registry { get(id: string): { businessObject?: { name?: string } } | undefined }

/** Draws the instance; answers the diagram's name for an element id, for the text beside the drawing. */
export async function drawProcess(host: HTMLElement, p: ProcessView): Promise<(id: string) => string> {
  const [{ default: NavigatedViewer }, def] = await Promise.all([
    import('bpmn-js/lib/NavigatedViewer'),
    get<{ xml: string }>(`/api/workflows/${encodeURIComponent(p.bpmnProcessId)}?version=${p.version}`),
  ]);
  const canvasHost = el('div', { class: 'diagram-canvas', 'data-process': p.processInstanceKey });
  host.append(canvasHost);
  const viewer = new NavigatedViewer({ container: canvasHost });
  await viewer.importXML(def.xml);
  const canvas = viewer.get('canvas') as Canvas;
  const registry = viewer.get('elementRegistry') as Registry;
  const mark = (id: string, cls: string) => { if (registry.get(id)) canvas.addMarker(id, cls); };
  for (const id of p.completedElementIds) mark(id, 'done');
  for (const id of p.activeElementIds) mark(id, 'current');
  for (const i of p.incidents) mark(i.elementId, 'incident');
  canvas.zoom('fit-viewport', 'auto');
  return (id) => registry.get(id)?.businessObject?.name || id;
}
