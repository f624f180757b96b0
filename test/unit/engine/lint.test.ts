import { checkBpmn } from '../../../src/engine/model/check';
import { lintBpmn } from '../../../src/engine/model/lint';
import { diagram, fixture } from '../../fixtures/bpmn/diagram';

describe('Camunda 8.8 lint', () => {
  it('finds nothing in a valid Zeebe diagram, even without incoming/outgoing lists in the XML', async () => {
    expect(await lintBpmn(fixture('all-supported.bpmn'))).toEqual([]);
    expect(await lintBpmn(fixture('notify-party.bpmn'))).toEqual([]);
  });

  it('flags a real 8.8 violation with its element id and rule', async () => {
    const problems = await lintBpmn(fixture('lint-violation.bpmn'));
    expect(problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ elementId: 'approve', rule: 'lint/camunda-compat/user-task-form', severity: 'error' }),
      expect.objectContaining({ elementId: 'record', rule: 'lint/camunda-compat/implementation', severity: 'error' }),
    ]));
  });

  it('reports job-based user tasks as warnings, which do not block deployment', async () => {
    const xml = diagram(`
      <bpmn:startEvent id="start" />
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
      <bpmn:userTask id="task" />
      <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />
      <bpmn:endEvent id="end" />`);
    const check = await checkBpmn(xml);
    expect(check.problems.length).toBeGreaterThan(0);
    expect(check.problems.every((p) => p.severity === 'warning' && p.elementId === 'task')).toBe(true);
    expect(check.deployable).toBe(true);
  });

  it('sees flows that the XML does not list, so rules that follow flows work', async () => {
    // A condition-less flow out of an exclusive gateway is only visible to the lint through the derived outgoing list.
    const xml = diagram(`
      <bpmn:startEvent id="start" />
      <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="gw" />
      <bpmn:exclusiveGateway id="gw" />
      <bpmn:sequenceFlow id="f1" sourceRef="gw" targetRef="end" />
      <bpmn:sequenceFlow id="f2" sourceRef="gw" targetRef="end" />
      <bpmn:endEvent id="end" />`);
    const problems = await lintBpmn(xml);
    expect(problems.filter((p) => p.rule === 'lint/camunda-compat/sequence-flow-condition').map((p) => p.elementId).sort()).toEqual(['f1', 'f2']);
  });

  it('combines subset, FEEL and lint problems in one check, errors first', async () => {
    const check = await checkBpmn(fixture('lint-violation.bpmn'));
    expect(check.deployable).toBe(false);
    const rules = new Set(check.problems.map((p) => p.rule.split('/')[0]));
    expect(rules).toEqual(new Set(['subset', 'lint', 'feel']));
    const firstWarning = check.problems.findIndex((p) => p.severity === 'warning');
    if (firstWarning >= 0) expect(check.problems.slice(firstWarning).every((p) => p.severity === 'warning')).toBe(true);
  });
});
