/**
 * The executable model of a deployed DMN resource (a decision requirements graph, DRG): what the
 * evaluator walks. Built from the XML by `compileDmn` (parse.ts) after its checks, so evaluation never
 * meets a table it cannot run. Expressions are FEEL text as written in the table (no leading '=').
 */

export const HIT_POLICIES = ['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'] as const;
export type HitPolicy = (typeof HIT_POLICIES)[number];
export const AGGREGATIONS = ['SUM', 'MIN', 'MAX', 'COUNT'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export interface TableInput {
  id: string;
  /** The column's label, else its expression: what EvaluateDecision reports as the input's name. */
  label: string;
  expression: string;
}

export interface TableOutput {
  id: string;
  label: string;
  /** The key of this output in the rule's result when the table has several outputs. */
  name: string;
  /** Allowed values in priority order (PRIORITY and OUTPUT ORDER), as FEEL text. */
  priorities: string[];
}

export interface TableRule {
  id: string;
  /** 1-based position in the table, as Zeebe reports it. */
  index: number;
  /** Unary tests, one per input; '-' or empty matches anything. */
  inputEntries: string[];
  /** FEEL expressions, one per output; empty gives null. */
  outputEntries: string[];
  /** The rule's annotation (here: its legal source). */
  annotation?: string;
}

export interface DecisionTable {
  kind: 'decisionTable';
  hitPolicy: HitPolicy;
  aggregation?: Aggregation;
  inputs: TableInput[];
  outputs: TableOutput[];
  rules: TableRule[];
}

export interface LiteralExpression {
  kind: 'literalExpression';
  expression: string;
}

export interface CompiledDecision {
  id: string;
  name?: string;
  /** Ids of the decisions whose results this one reads (informationRequirement/requiredDecision). */
  requires: string[];
  logic: DecisionTable | LiteralExpression;
}

export interface CompiledDrg {
  /** The definitions element's id: the decision requirements id. */
  id: string;
  name?: string;
  decisions: CompiledDecision[];
}

/** One problem found when checking a DMN resource; every problem is reported, not only the first. */
export interface DmnProblem {
  elementId?: string;
  /** 'xml', 'dmn', 'feel' */
  rule: string;
  message: string;
  severity: 'error' | 'warning';
}
