/** Types for dmn-moddle (it ships none): only what src/engine/dmn uses is declared. */
declare module 'dmn-moddle' {
  export interface DmnElement {
    $type: string;
    $attrs?: Record<string, string>;
    $instanceOf(type: string): boolean;
    get(name: string): unknown;
    id?: string;
    name?: string;
  }
  export interface DmnParseWarning {
    message: string;
  }
  export interface DmnModdleInstance {
    fromXML(xml: string, typeName?: string): Promise<{ rootElement: DmnElement; warnings: DmnParseWarning[] }>;
  }
  /** Builds a moddle with the DMN 1.3 packages. */
  export function DmnModdle(): DmnModdleInstance;
}
