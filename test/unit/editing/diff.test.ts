/**
 * The version diff names every changed attribute: a timer's expression (timeDate, timeDuration,
 * timeCycle, inside an event definition that the BPMN schema counts as a root element) and the Zeebe
 * extension elements of a task (job type, headers, input/output mappings, assignment, schedule, form,
 * called process, message subscription).
 */
import fs from 'node:fs';
import path from 'node:path';
import { diffDiagrams } from '../../../src/editing/diff';

const read = (name: string) => fs.readFileSync(path.join(__dirname, '../../../workflows', name), 'utf8');

function changesOf(d: Awaited<ReturnType<typeof diffDiagrams>>, id: string) {
  return d.changed.find((c) => c.id === id)?.changes ?? [];
}

describe('diagram diff', () => {
  it('reports a changed timer date on a boundary event', async () => {
    const before = read('police-referral.bpmn');
    const after = before.replace('=deadlines.police.decision.dueAt', '=deadlines.police.decision.warnAt');
    expect(after).not.toBe(before);
    const d = await diffDiagrams(before, after);
    expect(changesOf(d, 'Boundary_PoliceSilent')).toEqual([
      { property: 'bpmn:TimerEventDefinition.timeDate', before: '=deadlines.police.decision.dueAt', after: '=deadlines.police.decision.warnAt' },
    ]);
  });

  it('reports a timer changed from a date to a duration', async () => {
    const before = read('police-referral.bpmn');
    const after = before.replace('<bpmn:timeDate xsi:type="bpmn:tFormalExpression">=deadlines.police.decision.dueAt</bpmn:timeDate>',
      '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P3D</bpmn:timeDuration>');
    const d = await diffDiagrams(before, after);
    expect(changesOf(d, 'Boundary_PoliceSilent')).toEqual(expect.arrayContaining([
      { property: 'bpmn:TimerEventDefinition.timeDate', before: '=deadlines.police.decision.dueAt', after: null },
      { property: 'bpmn:TimerEventDefinition.timeDuration', before: null, after: 'P3D' },
    ]));
  });

  it('reports changed extension elements: job type, header, io mapping, assignment and form', async () => {
    const before = read('police-referral.bpmn');
    // Within the one task: other tasks of the diagram have the same job type.
    const at = before.indexOf('id="Task_FlagSupervised"');
    let after = before.slice(0, at) + before.slice(at).replace('<zeebe:taskDefinition type="case.set-status" retries="3" />', '<zeebe:taskDefinition type="case.set-status" retries="5" />')
      .replace('<zeebe:header key="flag" value="supervised" />', '<zeebe:header key="flag" value="other" />');
    const d = await diffDiagrams(before, after);
    expect(changesOf(d, 'Task_FlagSupervised')).toEqual(expect.arrayContaining([
      { property: 'zeebe:TaskDefinition.retries', before: '3', after: '5' },
      { property: 'zeebe:TaskHeaders.values[0].value', before: 'supervised', after: 'other' },
    ]));

    const arb = read('arbitration-transfer.bpmn');
    after = arb.replace('<zeebe:formDefinition formId="arbitration-materials" />', '<zeebe:formDefinition formId="arbitration-materials-v2" />')
      .replace('<zeebe:assignmentDefinition candidateGroups="=[gridCode]" />', '<zeebe:assignmentDefinition candidateGroups="supervisor" />');
    const d2 = await diffDiagrams(arb, after);
    const props = d2.changed.flatMap((c) => c.changes);
    expect(props).toEqual(expect.arrayContaining([
      { property: 'zeebe:FormDefinition.formId', before: 'arbitration-materials', after: 'arbitration-materials-v2' },
      { property: 'zeebe:AssignmentDefinition.candidateGroups', before: '=[gridCode]', after: 'supervisor' },
    ]));
  });

  it('reports a changed io mapping and message subscription', async () => {
    const before = read('asset-preservation.bpmn');
    let after = before.replace('<zeebe:output source="=&quot;not-applied&quot;" target="assetPreservationOutcome" />',
      '<zeebe:output source="=&quot;not-applied&quot;" target="preservationOutcome" />');
    after = after.replace('<zeebe:subscription correlationKey="=caseNumber" />', '<zeebe:subscription correlationKey="=caseId" />');
    const d = await diffDiagrams(before, after);
    const props = d.changed.flatMap((c) => c.changes);
    expect(props).toEqual(expect.arrayContaining([
      { property: 'zeebe:IoMapping.outputParameters[0].target', before: 'assetPreservationOutcome', after: 'preservationOutcome' },
      { property: 'zeebe:Subscription.correlationKey', before: '=caseNumber', after: '=caseId' },
    ]));
  });

  it('an unchanged diagram has no differences', async () => {
    const x = read('police-referral.bpmn');
    const d = await diffDiagrams(x, x);
    expect(d).toEqual({ added: [], removed: [], changed: [], layoutChanged: [] });
  });
});
