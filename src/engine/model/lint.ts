/**
 * The Camunda 8.8 compatibility lint: bpmnlint with bpmnlint-plugin-camunda-compat, so that every
 * diagram that deploys here also deploys on real Zeebe. The plugin picks its rules by config name;
 * it does not read modeler:executionPlatformVersion.
 *
 * Rules are resolved through this module's own require rather than bpmnlint's NodeResolver, which
 * resolves from the process's working directory and so depends on where the service is started.
 *
 * Lint errors block deployment; warnings (e.g. job-based user tasks, deprecated since 8.6) and infos
 * are reported but do not. A rule that crashes is reported as a warning, not as a verdict on the diagram.
 */
import { Linter, type LintReport, type LintResolver } from 'bpmnlint';
import camundaCompat from 'bpmnlint-plugin-camunda-compat';
import { parseBpmn, type ModdleElement } from './parse';
import type { DiagramProblem } from './types';

export const CAMUNDA_VERSION = '8.8';
export const LINT_CONFIG = { extends: ['plugin:camunda-compat/camunda-cloud-8-8'] };

const PLUGIN = 'bpmnlint-plugin-camunda-compat';

const resolver: LintResolver = {
  resolveRule(pkg: string, ruleName: string): unknown {
    if (pkg === 'bpmnlint') return requireRule(`bpmnlint/rules/${ruleName}`);
    if (pkg === PLUGIN) {
      const path = camundaCompat.rules[ruleName];
      if (!path) throw new Error(`unknown rule <${pkg}/${ruleName}>`);
      return requireRule(path.startsWith('./') ? `${PLUGIN}/${path.slice(2)}` : path);
    }
    throw new Error(`cannot resolve rule <${ruleName}> from <${pkg}>`);
  },
  resolveConfig(pkg: string, configName: string): unknown {
    if (pkg === PLUGIN && camundaCompat.configs[configName]) return camundaCompat.configs[configName];
    if (pkg === 'bpmnlint') return requireRule(`bpmnlint/config/${configName}`);
    throw new Error(`cannot resolve config <${configName}> from <${pkg}>`);
  },
};

function requireRule(id: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- rules are named by the plugin's config at run time
  const mod = require(id) as { default?: unknown };
  return typeof mod === 'function' ? mod : mod.default ?? mod;
}

let linter: Linter | undefined;

/** Lints a parsed diagram; give it the tree from parseBpmn (flow references already derived). */
export async function lintDefinitions(definitions: ModdleElement): Promise<DiagramProblem[]> {
  // One linter: it caches the resolved rules.
  linter ??= new Linter({ config: LINT_CONFIG, resolver });
  const reports = await linter.lint(definitions);
  const problems: DiagramProblem[] = [];
  for (const [rule, list] of Object.entries(reports)) {
    for (const r of list) problems.push(toProblem(rule, r));
  }
  return problems;
}

export async function lintBpmn(xml: string): Promise<DiagramProblem[]> {
  const parsed = await parseBpmn(xml);
  if (!parsed.definitions) return parsed.problems;
  return [...parsed.problems, ...(await lintDefinitions(parsed.definitions))];
}

function toProblem(rule: string, r: LintReport): DiagramProblem {
  const severity = r.category === 'error' ? 'error' : 'warning';
  const message = r.category === 'rule-error' ? `The lint rule failed: ${r.message}` : r.message;
  return { ...(r.id ? { elementId: r.id } : {}), rule: `lint/${rule}`, message, severity };
}
