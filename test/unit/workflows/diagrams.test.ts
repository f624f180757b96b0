// The case lifecycles in workflows/ and their forms in forms/: each diagram reads without warnings,
// passes the Camunda 8.8 lint as written (incoming/outgoing listed in the XML, as the modeler writes
// them), passes the embedded engine's subset check, and is consistent with the forms, the other
// diagrams and the contract in workflows/README.md.
import { dynamicKeysOf } from '../../../src/forms/dynamic-choices';
import fs from 'node:fs';
import path from 'node:path';
import { BpmnModdle, type ModdleElement } from 'bpmn-moddle';
import { Linter, type LintResolver } from 'bpmnlint';
import camundaCompat from 'bpmnlint-plugin-camunda-compat';
import zeebeSchema from 'zeebe-bpmn-moddle/resources/zeebe.json';

const root = path.join(__dirname, '../../..');
const workflowsDir = path.join(root, 'workflows');
const formsDir = path.join(root, 'forms');
const diagramFiles = fs.readdirSync(workflowsDir).filter((f) => f.endsWith('.bpmn')).sort();
const formFiles = fs.readdirSync(formsDir).filter((f) => f.endsWith('.form')).sort();
const contract = fs.readFileSync(path.join(workflowsDir, 'README.md'), 'utf8');

const PLUGIN = 'bpmnlint-plugin-camunda-compat';
const resolver: LintResolver = {
  resolveRule(pkg, ruleName) {
    const id = pkg === 'bpmnlint' ? `bpmnlint/rules/${ruleName}` : `${PLUGIN}/${camundaCompat.rules[ruleName].replace(/^\.\//, '')}`;
    const mod = require(id) as { default?: unknown };
    return typeof mod === 'function' ? mod : (mod.default ?? mod);
  },
  resolveConfig(pkg, configName) {
    if (pkg === PLUGIN) return camundaCompat.configs[configName];
    return require(`bpmnlint/config/${configName}`);
  },
};
const linter = new Linter({ config: { extends: [`plugin:camunda-compat/camunda-cloud-8-8`] }, resolver });
const moddle = new BpmnModdle({ zeebe: zeebeSchema });

interface Diagram {
  file: string;
  xml: string;
  definitions: ModdleElement;
  warnings: string[];
  elements: ModdleElement[];
}

const list = (el: ModdleElement | undefined, prop: string): ModdleElement[] => {
  const v = el?.get(prop);
  return Array.isArray(v) ? (v as ModdleElement[]) : [];
};
const ext = (el: ModdleElement, type: string): ModdleElement | undefined =>
  list(el.get('extensionElements') as ModdleElement | undefined, 'values').find((v) => v.$instanceOf(type));
const headers = (el: ModdleElement): Record<string, string> =>
  Object.fromEntries(list(ext(el, 'zeebe:TaskHeaders'), 'values').map((h) => [h.get('key') as string, h.get('value') as string]));

function flowElements(container: ModdleElement): ModdleElement[] {
  return list(container, 'flowElements').flatMap((e) => (e.$instanceOf('bpmn:SubProcess') ? [e, ...flowElements(e)] : [e]));
}

const diagrams: Diagram[] = [];
const forms = new Map<string, { file: string; keys: Set<string> }>();
const formIdCounts = new Map<string, number>();

function collectKeys(components: { key?: string; components?: unknown[] }[], keys: Set<string>): void {
  for (const c of components) {
    if (c.key) keys.add(c.key);
    if (Array.isArray(c.components)) collectKeys(c.components as { key?: string }[], keys);
  }
}

beforeAll(async () => {
  for (const file of diagramFiles) {
    const xml = fs.readFileSync(path.join(workflowsDir, file), 'utf8');
    const { rootElement, warnings } = await moddle.fromXML(xml, 'bpmn:Definitions');
    const processes = list(rootElement, 'rootElements').filter((e) => e.$instanceOf('bpmn:Process'));
    diagrams.push({ file, xml, definitions: rootElement, warnings: warnings.map((w) => w.message), elements: processes.flatMap(flowElements) });
  }
  for (const file of formFiles) {
    const schema = JSON.parse(fs.readFileSync(path.join(formsDir, file), 'utf8'));
    formIdCounts.set(schema.id, (formIdCounts.get(schema.id) ?? 0) + 1);
    const keys = new Set<string>();
    collectKeys(schema.components, keys);
    forms.set(schema.id, { file, keys });
  }
});

const processIds = (): Set<string> =>
  new Set(diagrams.flatMap((d) => list(d.definitions, 'rootElements').filter((e) => e.$instanceOf('bpmn:Process')).map((p) => p.id!)));
const ofType = (type: string): [Diagram, ModdleElement][] => diagrams.flatMap((d) => d.elements.filter((e) => e.$instanceOf(type)).map((e) => [d, e] as [Diagram, ModdleElement]));

describe('workflows/*.bpmn', () => {
  it('holds the six case lifecycles, the two of prevention and those of credit supervision', () => {
    expect([...processIds()].sort()).toEqual(
      ['arbitration-transfer', 'arrears-blacklist', 'asset-preservation', 'credit-grading', 'grid-patrol', 'inspection-case', 'intake-and-routing', 'police-referral', 'punishment', 'random-inspection', 'risk-warning', 'written-review'],
    );
  });

  it.each(diagramFiles)('%s parses with bpmn-moddle and zeebe-bpmn-moddle without warnings', (file) => {
    expect(diagrams.find((d) => d.file === file)!.warnings).toEqual([]);
  });

  it.each(diagramFiles)('%s passes the Camunda 8.8 lint with no errors, as written', async (file) => {
    const reports = await linter.lint(diagrams.find((d) => d.file === file)!.definitions);
    const errors = Object.entries(reports).flatMap(([rule, rs]) =>
      rs.filter((r) => r.category === 'error' || r.category === 'rule-error').map((r) => `${r.id ?? '-'} [${rule}] ${r.message}`));
    expect(errors).toEqual([]);
  });

  it.each(diagramFiles)('%s passes the embedded engine\'s subset check (compileBpmn + lint) without problems', async (file) => {
    // Loaded here so that a failure to load the engine (it pulls in ES-module-only FEEL packages) fails
    // only these cases, not the whole file.
    const { checkBpmn } = require('../../../src/engine/model/check') as typeof import('../../../src/engine/model/check');
    const check = await checkBpmn(diagrams.find((d) => d.file === file)!.xml);
    expect(check.problems.map((p) => `${p.severity} ${p.elementId ?? '-'} [${p.rule}] ${p.message}`)).toEqual([]);
    expect(check.deployable).toBe(true);
  });

  it.each(diagramFiles)('%s lists incoming/outgoing exactly as its sequence flows connect, and draws every element', (file) => {
    const d = diagrams.find((x) => x.file === file)!;
    const flows = d.elements.filter((e) => e.$instanceOf('bpmn:SequenceFlow'));
    const nodes = d.elements.filter((e) => !e.$instanceOf('bpmn:SequenceFlow'));
    const problems: string[] = [];
    for (const n of nodes) {
      const inc = list(n, 'incoming').map((f) => f.id).sort();
      const out = list(n, 'outgoing').map((f) => f.id).sort();
      const expIn = flows.filter((f) => (f.get('targetRef') as ModdleElement).id === n.id).map((f) => f.id).sort();
      const expOut = flows.filter((f) => (f.get('sourceRef') as ModdleElement).id === n.id).map((f) => f.id).sort();
      if (JSON.stringify(inc) !== JSON.stringify(expIn)) problems.push(`${n.id} incoming`);
      if (JSON.stringify(out) !== JSON.stringify(expOut)) problems.push(`${n.id} outgoing`);
    }
    const drawn = new Set(
      list(d.definitions, 'diagrams').flatMap((dg) => list(dg.get('plane') as ModdleElement, 'planeElement')).map((di) => (di.get('bpmnElement') as ModdleElement).id),
    );
    for (const e of d.elements) if (!drawn.has(e.id!)) problems.push(`${e.id} has no DI`);
    expect(problems).toEqual([]);
  });

  it('gives every exclusive gateway with a choice a default flow and conditions on the other flows', () => {
    const problems: string[] = [];
    for (const [d, gw] of ofType('bpmn:ExclusiveGateway')) {
      const out = list(gw, 'outgoing');
      if (out.length < 2) continue;
      const def = gw.get('default') as ModdleElement | undefined;
      if (!def) problems.push(`${d.file} ${gw.id}: no default flow`);
      for (const f of out) if (f !== def && !f.get('conditionExpression')) problems.push(`${d.file} ${f.id}: no condition`);
    }
    expect(problems).toEqual([]);
  });

  it('references only forms that exist; form ids are unique', () => {
    const missing: string[] = [];
    for (const [d, task] of ofType('bpmn:UserTask')) {
      const formId = ext(task, 'zeebe:FormDefinition')?.get('formId') as string | undefined;
      if (!ext(task, 'zeebe:UserTask')) missing.push(`${d.file} ${task.id}: not a native user task`);
      if (!formId || !forms.has(formId)) missing.push(`${d.file} ${task.id}: form ${formId}`);
      if (!ext(task, 'zeebe:AssignmentDefinition')?.get('candidateGroups')) missing.push(`${d.file} ${task.id}: no candidate groups`);
    }
    expect(missing).toEqual([]);
    expect([...formIdCounts].filter(([, n]) => n > 1)).toEqual([]);
  });

  it('uses every form in forms/', () => {
    const used = new Set(ofType('bpmn:UserTask').map(([, t]) => ext(t, 'zeebe:FormDefinition')?.get('formId') as string));
    expect([...forms.keys()].filter((id) => !used.has(id))).toEqual([]);
  });

  it('asks for the variable a gateway tests in the form of the user task before it', () => {
    const problems: string[] = [];
    for (const [d, gw] of ofType('bpmn:ExclusiveGateway')) {
      const incoming = list(gw, 'incoming');
      if (incoming.length !== 1) continue;
      const source = incoming[0].get('sourceRef') as ModdleElement;
      if (!source.$instanceOf('bpmn:UserTask')) continue;
      const formId = ext(source, 'zeebe:FormDefinition')?.get('formId') as string;
      for (const f of list(gw, 'outgoing')) {
        const body = (f.get('conditionExpression') as ModdleElement | undefined)?.get('body') as string | undefined;
        const variable = body?.match(/^=\s*([A-Za-z_][A-Za-z0-9_]*)/)?.[1];
        if (variable && !forms.get(formId)?.keys.has(variable)) problems.push(`${d.file} ${f.id}: ${variable} is not in form ${formId}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('calls only processes that exist in workflows/', () => {
    const ids = processIds();
    const missing = ofType('bpmn:CallActivity')
      .map(([d, c]) => [d.file, c.id, ext(c, 'zeebe:CalledElement')?.get('processId') as string])
      .filter(([, , pid]) => !pid || !ids.has(pid));
    expect(missing).toEqual([]);
  });

  it('gives every message catch a message with a correlation key', () => {
    const problems: string[] = [];
    for (const d of diagrams) {
      for (const e of d.elements) {
        for (const def of list(e, 'eventDefinitions')) {
          if (!def.$instanceOf('bpmn:MessageEventDefinition') || e.$instanceOf('bpmn:StartEvent')) continue;
          const message = def.get('messageRef') as ModdleElement | undefined;
          const key = message && ext(message, 'zeebe:Subscription')?.get('correlationKey');
          if (!message?.name || !key) problems.push(`${d.file} ${e.id}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('takes every timer from a process variable, not a literal duration', () => {
    const literal: string[] = [];
    for (const d of diagrams) {
      for (const e of d.elements) {
        for (const def of list(e, 'eventDefinitions')) {
          if (!def.$instanceOf('bpmn:TimerEventDefinition')) continue;
          const expr = (def.get('timeDate') ?? def.get('timeDuration') ?? def.get('timeCycle')) as ModdleElement;
          const body = expr.get('body') as string;
          if (!/^=\s*deadlines(\.[A-Za-z]+)+\.[A-Za-z]+$/.test(body)) literal.push(`${d.file} ${e.id}: ${body}`);
        }
      }
    }
    expect(literal).toEqual([]);
  });

  it('gives the shared job types the headers their workers need', () => {
    const needs: Record<string, string> = { 'document.issue': 'documentType', 'deadline.compute': 'rule', 'mail.send': 'purpose', 'document.record-service': 'documentType' };
    const problems: string[] = [];
    for (const [d, task] of [...ofType('bpmn:ServiceTask'), ...ofType('bpmn:SendTask')]) {
      const type = ext(task, 'zeebe:TaskDefinition')?.get('type') as string;
      const header = needs[type];
      if (header && !headers(task)[header]) problems.push(`${d.file} ${task.id}: ${type} without ${header}`);
      if (type === 'case.set-status' && !headers(task).status && !headers(task).flag) problems.push(`${d.file} ${task.id}: case.set-status without status or flag`);
    }
    expect(problems).toEqual([]);
  });

  it('documents in workflows/README.md every job type, form, message, error code, document type and deadline rule used', () => {
    const used = new Set<string>();
    for (const [, task] of [...ofType('bpmn:ServiceTask'), ...ofType('bpmn:SendTask')]) {
      used.add(ext(task, 'zeebe:TaskDefinition')?.get('type') as string);
      const h = headers(task);
      if (h.documentType) used.add(h.documentType);
      if (h.purpose) used.add(h.purpose);
      if (h.status) used.add(h.status);
      for (const rule of (h.rule ?? '').split(',').filter(Boolean)) used.add(rule);
    }
    for (const [, task] of ofType('bpmn:UserTask')) used.add(ext(task, 'zeebe:FormDefinition')?.get('formId') as string);
    for (const d of diagrams) {
      for (const r of list(d.definitions, 'rootElements')) {
        if (r.$instanceOf('bpmn:Message')) used.add(r.name!);
        if (r.$instanceOf('bpmn:Error')) used.add(r.get('errorCode') as string);
      }
    }
    expect([...used].filter((name) => !contract.includes(`\`${name}\``)).sort()).toEqual([]);
  });
});

describe('forms/*.form', () => {
  it.each(formFiles)('%s is a form-js schema for Camunda 8.8 with unique component ids and Chinese labels', (file) => {
    const schema = JSON.parse(fs.readFileSync(path.join(formsDir, file), 'utf8'));
    expect(schema).toMatchObject({ type: 'default', schemaVersion: 16, executionPlatform: 'Camunda Cloud', executionPlatformVersion: '8.8.0' });
    expect(`${schema.id}.form`).toBe(file);
    const ids: string[] = [];
    const problems: string[] = [];
    const walk = (cs: Record<string, unknown>[]): void => {
      for (const c of cs) {
        ids.push(c.id as string);
        const label = (c.label ?? c.dateLabel) as string | undefined;
        if (c.key && !(label && /[\u4e00-\u9fa5]/.test(label))) problems.push(`${c.id}: no Chinese label`);
        // A choice lists its values, or takes them from a key the service fills for the case (src/forms/dynamic-choices.ts).
        const provided = typeof c.valuesKey === 'string' && dynamicKeysOf({ components: [c] }).includes(c.valuesKey);
        if (['radio', 'select', 'checklist'].includes(c.type as string) && !provided && !(Array.isArray(c.values) && c.values.length > 0)) problems.push(`${c.id}: no values`);
        if (Array.isArray(c.components)) walk(c.components as Record<string, unknown>[]);
      }
    };
    walk(schema.components);
    expect(problems).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
