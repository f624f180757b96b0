/**
 * A process instance drawn with the bpmn-js viewer: completed elements, the current position and
 * incidents marked with CSS classes (see style.css), the view fitted to the diagram. bpmn-js is loaded
 * only when a case page shows a diagram.
 */
import { get } from './api';
import { el } from './dom';
import type { ProcessView } from './types';

interface Canvas {
  addMarker(id: string, cls: string): void;
  zoom(level?: string | number, center?: 'auto' | { x: number; y: number }): number;
  viewbox(): { x: number; y: number; width: number; height: number; scale: number };
  scroll(delta: { dx: number; dy: number }): void;
}
interface Shape { x: number; y: number; width: number; height: number; businessObject?: { name?: string } }
interface Registry { get(id: string): Shape | undefined }

/** Below this scale the labels of a wide diagram cannot be read; show the current position instead. */
const READABLE_SCALE = 0.75;

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
  const current = p.activeElementIds.map((id) => registry.get(id)).find((x): x is Shape => Boolean(x && 'width' in x));
  // A container not laid out yet (or already replaced by the next page) has no size: fitting would divide by
  // zero and bpmn-js throws; the diagram keeps its scale until it is shown.
  const laidOut = () => canvasHost.clientWidth > 0 && canvasHost.clientHeight > 0;
  const fit = () => (laidOut() ? canvas.zoom('fit-viewport', 'auto') : canvas.zoom());
  const focusCurrent = () => {
    if (!current || !laidOut()) return fit();
    canvas.zoom(1, { x: current.x + current.width / 2, y: current.y + current.height / 2 });
    // Center the current element in the view.
    const vb = canvas.viewbox();
    canvas.scroll({ dx: (vb.x + vb.width / 2 - (current.x + current.width / 2)) * vb.scale, dy: (vb.y + vb.height / 2 - (current.y + current.height / 2)) * vb.scale });
  };
  if (fit() < READABLE_SCALE && current) focusCurrent();
  const step = (factor: number) => canvas.zoom(canvas.zoom() * factor);
  // Buttons, so the diagram can be explored with the keyboard as well as the mouse.
  host.insertBefore(el('div', { class: 'diagram-tools', role: 'toolbar', 'aria-label': '流程图缩放' },
    el('button', { type: 'button', onclick: () => step(1.25) }, '放大'),
    el('button', { type: 'button', onclick: () => step(0.8) }, '缩小'),
    el('button', { type: 'button', onclick: fit }, '全图'),
    current ? el('button', { type: 'button', onclick: focusCurrent }, '当前位置') : null), canvasHost);
  return (id) => registry.get(id)?.businessObject?.name || id;
}
