import { compileDmn } from '../../../../src/engine/dmn/parse';
import { evaluateDecision } from '../../../../src/engine/dmn/evaluate';
import type { CompiledDrg } from '../../../../src/engine/dmn/types';
import { dmn, literalXml, tableXml, type TableSpec } from './dmn-table';

async function compiled(...decisions: string[]): Promise<CompiledDrg> {
  const { drg, problems } = await compileDmn(dmn('drg', ...decisions));
  expect(problems).toEqual([]);
  return drg!;
}

const grades = (hitPolicy: string, extra: Partial<TableSpec> = {}): TableSpec => ({
  id: 'd', hitPolicy, inputs: ['amount'], outputs: ['fine'],
  rules: [[['< 0'], ['-1']], [['>= 100'], ['1000'], '第一档'], [['>= 1000'], ['5000'], '第二档'], [['-'], ['0']]],
  ...extra,
});

describe('decision tables: hit policies', () => {
  it('UNIQUE answers the one matching rule, null when none matches, and fails when two match', async () => {
    const drg = await compiled(tableXml({ id: 'd', inputs: ['kind'], outputs: ['route'], rules: [[['"a"'], ['"A"']], [['"b","c"'], ['"BC"']], [['"c"'], ['"C"']]] }));
    const a = evaluateDecision(drg, 'd', { kind: 'a' });
    expect(a.output).toBe('A');
    expect(a.evaluated[0].matchedRules.map((m) => m.ruleIndex)).toEqual([1]);
    expect(a.evaluated[0].evaluatedInputs).toEqual([{ inputId: 'd_in1', inputName: 'kind', inputValue: 'a' }]);
    expect(evaluateDecision(drg, 'd', { kind: 'z' }).output).toBeNull();
    const both = evaluateDecision(drg, 'd', { kind: 'c' });
    expect(both.failedDecisionId).toBe('d');
    expect(both.failureMessage).toMatch(/UNIQUE.*第 2、3 条/);
  });

  it('FIRST answers the first matching rule in table order', async () => {
    const drg = await compiled(tableXml(grades('FIRST')));
    expect(evaluateDecision(drg, 'd', { amount: 2000 }).output).toBe(1000);
    expect(evaluateDecision(drg, 'd', { amount: 50 }).output).toBe(0);
  });

  it('PRIORITY answers the matching rule whose output comes first in the allowed values', async () => {
    const drg = await compiled(tableXml({
      id: 'd', hitPolicy: 'PRIORITY', inputs: ['amount'], outputs: [{ name: 'level', values: '"high","medium","low"' }],
      rules: [[['-'], ['"low"']], [['>= 10'], ['"medium"']], [['>= 100'], ['"high"']]],
    }));
    expect(evaluateDecision(drg, 'd', { amount: 500 }).output).toBe('high');
    expect(evaluateDecision(drg, 'd', { amount: 50 }).output).toBe('medium');
    const r = evaluateDecision(drg, 'd', { amount: 5 });
    expect(r.output).toBe('low');
    expect(r.evaluated[0].matchedRules.map((m) => m.ruleIndex)).toEqual([1]);
  });

  it('ANY answers the common output and fails when matching rules disagree', async () => {
    const drg = await compiled(tableXml({ id: 'd', hitPolicy: 'ANY', inputs: ['n'], outputs: ['ok'], rules: [[['> 0'], ['true']], [['> 5'], ['true']], [['> 10'], ['false']]] }));
    expect(evaluateDecision(drg, 'd', { n: 7 }).output).toBe(true);
    expect(evaluateDecision(drg, 'd', { n: 11 }).failureMessage).toMatch(/ANY/);
  });

  it('COLLECT lists every match, and aggregates with SUM, MIN, MAX and COUNT', async () => {
    const spec = grades('COLLECT');
    expect(evaluateDecision(await compiled(tableXml(spec)), 'd', { amount: 2000 }).output).toEqual([1000, 5000, 0]);
    const agg = async (aggregation: string, amount: number) => evaluateDecision(await compiled(tableXml({ ...spec, aggregation })), 'd', { amount }).output;
    expect(await agg('SUM', 2000)).toBe(6000);
    expect(await agg('MIN', 2000)).toBe(0);
    expect(await agg('MAX', 2000)).toBe(5000);
    expect(await agg('COUNT', 2000)).toBe(3);
    expect(await agg('COUNT', 5)).toBe(1);
  });

  it('RULE ORDER lists every match in table order; several outputs make a context per rule', async () => {
    const drg = await compiled(tableXml({
      id: 'd', hitPolicy: 'RULE ORDER', inputs: ['amount', 'repeat'], outputs: ['fine', 'basis'],
      rules: [[['>= 100', '-'], ['1000', '"第一档"']], [['-', 'true'], ['2000', '"再犯"'], '从重'], [['< 0', '-'], ['0', '"无"']]],
    }));
    const r = evaluateDecision(drg, 'd', { amount: 200, repeat: true });
    expect(r.output).toEqual([{ fine: 1000, basis: '第一档' }, { fine: 2000, basis: '再犯' }]);
    expect(r.evaluated[0].matchedRules[1]).toMatchObject({ ruleId: 'd_r2', ruleIndex: 2, annotation: '从重' });
    expect(r.evaluated[0].matchedRules[1].evaluatedOutputs).toEqual([
      { outputId: 'd_out1', outputName: 'fine', outputValue: 2000 }, { outputId: 'd_out2', outputName: 'basis', outputValue: '再犯' },
    ]);
  });
});

describe('literal expressions and required decisions', () => {
  it('evaluates required decisions first and gives their results by decision id', async () => {
    const drg = await compiled(
      tableXml({ id: 'base', inputs: ['workers'], outputs: ['perWorker'], rules: [[['<= 10'], ['2000']], [['> 10'], ['3000']]] }),
      literalXml('total', 'base * workers', ['base']),
    );
    const r = evaluateDecision(drg, 'total', { workers: 20 });
    expect(r.output).toBe(60000);
    expect(r.evaluated.map((e) => [e.decisionId, e.decisionType, e.output])).toEqual([['base', 'DECISION_TABLE', 3000], ['total', 'LITERAL_EXPRESSION', 60000]]);
  });

  it('reports the decision that failed and an unknown decision id', async () => {
    const drg = await compiled(literalXml('bad', 'date("not a date") + 1'));
    const r = evaluateDecision(drg, 'bad', {});
    expect(r.output).toBeNull();
    expect(evaluateDecision(drg, 'nope', {}).failureMessage).toMatch(/未找到决策/);
  });
});

describe('checks', () => {
  it('refuses unreadable XML, bad FEEL, wrong entry counts, unknown requirements, cycles and misused aggregations', async () => {
    expect((await compileDmn('<nope')).problems[0].rule).toBe('xml');
    const { problems } = await compileDmn(dmn('drg',
      tableXml({ id: 'a', inputs: ['x'], outputs: ['y'], rules: [[['[1..'], ['1']], [['1', '2'], ['1']]] }),
      tableXml({ id: 'b', hitPolicy: 'FIRST', aggregation: 'SUM', inputs: ['x'], outputs: ['y'], rules: [] }),
      literalXml('c', 'x +', ['missing']),
      literalXml('e', 'f', ['f']), literalXml('f', 'e', ['e']),
      tableXml({ id: 'p', hitPolicy: 'PRIORITY', inputs: ['x'], outputs: ['y'], rules: [] }),
    ));
    const messages = problems.map((p) => p.message).join('\n');
    expect(messages).toMatch(/rule 1, input 1: '\[1\.\.' is not a valid unary test/);
    expect(messages).toMatch(/rule 2: it has 2 input and 1 output entries/);
    expect(messages).toMatch(/aggregation \(SUM\) needs the hit policy COLLECT/);
    expect(messages).toMatch(/literal expression 'x \+' is not valid FEEL/);
    expect(messages).toMatch(/requires the decision 'missing'/);
    expect(messages).toMatch(/depends on itself/);
    expect(messages).toMatch(/PRIORITY needs the outputs' allowed values/);
    expect(problems.every((p) => p.severity === 'error')).toBe(true);
  });

  it('reads Camunda Modeler files of DMN 1.3 and newer namespaces', async () => {
    const xml = dmn('drg', literalXml('x', '1 + 1')).replace('20191111', '20230324');
    const { drg, problems } = await compileDmn(xml);
    expect(problems).toEqual([]);
    expect(evaluateDecision(drg!, 'x', {}).output).toBe(2);
  });
});
