/**
 * Types for the BPMN tooling this layer uses: bpmn-moddle ships its types only under an `exports`
 * condition that `moduleResolution: node` does not read, and bpmnlint ships none for its entry point.
 * Only what src/engine/model uses is declared.
 */
declare module 'bpmn-moddle' {
  export interface ModdleElement {
    $type: string;
    $parent?: ModdleElement;
    $attrs?: Record<string, string>;
    $instanceOf(type: string): boolean;
    get(name: string): unknown;
    set(name: string, value: unknown): void;
    id?: string;
    name?: string;
  }

  export interface ParseWarning {
    message: string;
    element?: ModdleElement;
    property?: string;
    value?: unknown;
  }

  export interface FromXmlResult {
    rootElement: ModdleElement;
    warnings: ParseWarning[];
    elementsById: Record<string, ModdleElement>;
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<FromXmlResult>;
  }
}

declare module 'bpmnlint' {
  export interface LintReport {
    id?: string;
    message: string;
    path?: (string | number)[];
    category: 'error' | 'warn' | 'info' | 'rule-error';
    meta?: { documentation?: { url?: string } };
  }

  export interface LintResolver {
    resolveRule(pkg: string, ruleName: string): unknown;
    resolveConfig(pkg: string, configName: string): unknown;
  }

  export interface LintConfig {
    extends?: string | string[];
    rules?: Record<string, unknown>;
  }

  export class Linter {
    constructor(options: { config?: LintConfig; resolver: LintResolver });
    lint(moddleRoot: unknown, config?: LintConfig): Promise<Record<string, LintReport[]>>;
  }
}

declare module 'bpmnlint-plugin-camunda-compat' {
  const plugin: {
    configs: Record<string, { rules: Record<string, unknown> }>;
    rules: Record<string, string>;
  };
  export = plugin;
}
