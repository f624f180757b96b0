/** bpmn-js-differ ships no types; only the function the diff command uses is declared. */
declare module 'bpmn-js-differ' {
  import type { ModdleElement } from 'bpmn-moddle';

  export interface ChangeSet {
    _added: Record<string, ModdleElement>;
    _removed: Record<string, ModdleElement>;
    _changed: Record<string, { model: ModdleElement; attrs: Record<string, unknown> }>;
    _layoutChanged: Record<string, ModdleElement>;
  }

  export function diff(a: ModdleElement, b: ModdleElement): ChangeSet;
}
