/** Builds small DMN 1.3 resources for the tests: one decision table per call, rules as cell texts. */
export interface TableSpec {
  id: string;
  name?: string;
  hitPolicy?: string;
  aggregation?: string;
  inputs: string[];
  outputs: Array<string | { name: string; values?: string }>;
  rules: Array<[string[], string[], string?]>;
  requires?: string[];
}

const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function tableXml(t: TableSpec): string {
  const hp = t.hitPolicy ? ` hitPolicy="${t.hitPolicy}"` : '';
  const agg = t.aggregation ? ` aggregation="${t.aggregation}"` : '';
  const req = (t.requires ?? []).map((r) => `<informationRequirement id="req_${t.id}_${r}"><requiredDecision href="#${r}" /></informationRequirement>`).join('');
  const inputs = t.inputs.map((e, i) => `<input id="${t.id}_in${i + 1}" label="${esc(e)}"><inputExpression id="${t.id}_ie${i + 1}" typeRef="string"><text>${esc(e)}</text></inputExpression></input>`).join('');
  const outputs = t.outputs.map((o, i) => {
    const spec = typeof o === 'string' ? { name: o } : o;
    const values = spec.values ? `<outputValues><text>${esc(spec.values)}</text></outputValues>` : '';
    return `<output id="${t.id}_out${i + 1}" name="${spec.name}" typeRef="string">${values}</output>`;
  }).join('');
  const rules = t.rules.map(([ins, outs, note], r) => `<rule id="${t.id}_r${r + 1}">${ins.map((x) => `<inputEntry><text>${esc(x)}</text></inputEntry>`).join('')}${outs.map((x) => `<outputEntry><text>${esc(x)}</text></outputEntry>`).join('')}${note ? `<annotationEntry><text>${esc(note)}</text></annotationEntry>` : ''}</rule>`).join('');
  return `<decision id="${t.id}" name="${t.name ?? t.id}">${req}<decisionTable id="${t.id}_table"${hp}${agg}>${inputs}${outputs}${rules}</decisionTable></decision>`;
}

export function literalXml(id: string, expression: string, requires: string[] = []): string {
  const req = requires.map((r) => `<informationRequirement id="req_${id}_${r}"><requiredDecision href="#${r}" /></informationRequirement>`).join('');
  return `<decision id="${id}" name="${id}">${req}<literalExpression id="${id}_expr"><text>${esc(expression)}</text></literalExpression></decision>`;
}

export function dmn(id: string, ...decisions: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="${id}" name="${id}" namespace="http://camunda.org/schema/1.0/dmn">${decisions.join('')}</definitions>`;
}
