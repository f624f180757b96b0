/** Packages of the diagram editor that ship no types; only what the editor pages use is declared. */
declare module 'bpmn-js-properties-panel' {
  type ModuleDeclaration = import('didi').ModuleDeclaration;
  export const BpmnPropertiesPanelModule: ModuleDeclaration;
  export const BpmnPropertiesProviderModule: ModuleDeclaration;
  export const ZeebePropertiesProviderModule: ModuleDeclaration;
}
declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud' {
  const behaviors: import('didi').ModuleDeclaration;
  export default behaviors;
}
/** The decision table editor (dmn-js ships no types); the page declares the parts it uses. */
declare module 'dmn-js/lib/Modeler' {
  const DmnModeler: new (options: { container: HTMLElement } & Partial<Record<'common' | 'drd' | 'decisionTable' | 'literalExpression', { additionalModules?: unknown[] }>>) => unknown;
  export default DmnModeler;
}
/** Style sheets imported as text (`with { type: 'text' }`), injected by the page that needs them. */
declare module '*.css' {
  const text: string;
  export default text;
}
