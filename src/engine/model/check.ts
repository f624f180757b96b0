/**
 * The full check a diagram passes before it deploys: readable XML, the embedded engine's subset
 * (with FEEL syntax), and the Camunda 8.8 lint. One parse serves both checks.
 */
import { compileDefinitions } from './compile';
import { lintDefinitions } from './lint';
import { parseBpmn } from './parse';
import type { DiagramProblem, ExecutableProcess } from './types';

export interface DiagramCheck {
  processes: ExecutableProcess[];
  /** Every problem: xml, subset, feel and lint/…; errors first, then in document order. */
  problems: DiagramProblem[];
  /** True when no problem has severity 'error' (warnings do not block deployment). */
  deployable: boolean;
}

export async function checkBpmn(xml: string): Promise<DiagramCheck> {
  const parsed = await parseBpmn(xml);
  if (!parsed.definitions) return { processes: [], problems: parsed.problems, deployable: false };
  const compiled = compileDefinitions(parsed.definitions);
  const lint = await lintDefinitions(parsed.definitions);
  const problems = sortProblems([...parsed.problems, ...compiled.problems, ...lint]);
  return { processes: compiled.processes, problems, deployable: !problems.some((p) => p.severity === 'error') };
}

export function sortProblems(problems: DiagramProblem[]): DiagramProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.severity === b.p.severity ? a.i - b.i : a.p.severity === 'error' ? -1 : 1))
    .map(({ p }) => p);
}
