/**
 * The column type menu of the decision table editor, showing the chosen type by its Chinese name.
 * dmn-js shows the chosen type in a free-text box holding the raw FEEL type (`string`, `number`), so a
 * legal staff member read English there even though the list below it is translated. This module
 * replaces dmn-js's `typeRefEditingProvider` (same service name) with one whose menu shows the label as
 * text, as the hit policy menu does; the choices and the stored type are unchanged.
 */
import TypeRefCellContextMenu from 'dmn-js-decision-table/lib/features/type-ref/components/TypeRefCellContextMenu';

interface VNode { props?: Record<string, unknown> | null; children?: unknown }

/** Sets `noInput` on the menu's select (the component vnode whose props carry `options`). */
function showLabels(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  const v = node as VNode;
  if (v.props && Array.isArray(v.props.options)) v.props.noInput = true;
  for (const child of Array.isArray(v.children) ? v.children : [v.children]) showLabels(child);
}

class ChineseTypeMenu extends TypeRefCellContextMenu {
  render(): unknown {
    const tree = super.render();
    showLabels(tree);
    return tree;
  }
}

interface Components {
  onGetComponent(type: string, priority: number, provide: (context?: { contextMenuType?: string }) => unknown): void;
}

/** Offers the menu where dmn-js's own provider does: in the input and output column editors. */
function ChineseTypeRef(components: Components): void {
  components.onGetComponent('context-menu', 750, (context = {}) =>
    (context.contextMenuType === 'input-edit' || context.contextMenuType === 'output-edit' ? ChineseTypeMenu : undefined));
}
ChineseTypeRef.$inject = ['components'];

export const DmnTypeMenuModule = { __init__: ['typeRefEditingProvider'], typeRefEditingProvider: ['type', ChineseTypeRef] };
