/** The one dmn-js component the type menu override (dmn-type-menu.ts) extends; dmn-js ships no types. */
declare module 'dmn-js-decision-table/lib/features/type-ref/components/TypeRefCellContextMenu' {
  /** An inferno component: `render()` returns the menu's virtual DOM. */
  export default class TypeRefCellContextMenu {
    constructor(props: unknown, context: unknown);
    render(): unknown;
  }
}
