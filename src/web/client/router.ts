/**
 * What a page is given and how it moves to another page. Pages import this module, never the shell
 * (main.ts), so the shell can import every page without an import cycle; the shell installs the
 * function that draws the current address (`setRoute`).
 */
import type { Me } from './session';

export interface PageContext {
  me: Me;
  main: HTMLElement;
  params: Record<string, string>;
  query: URLSearchParams;
  navigate(path: string): void;
}

export type Page = (ctx: PageContext) => Promise<void> | void;

let drawCurrent: () => Promise<void> = async () => undefined;
/** Pages check it after each await so a slow answer never paints over the page navigated to since. */
let renderSeq = 0;

export const currentRender = (): number => renderSeq;

/** A new drawing begins: answers that arrive for an earlier one are to be dropped. */
export const beginRender = (): number => ++renderSeq;

/** The shell tells the router how to draw the page of the current address. */
export function setRoute(draw: () => Promise<void>): void {
  drawCurrent = draw;
}

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  void drawCurrent();
}
