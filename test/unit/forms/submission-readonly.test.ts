import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkSubmission } from '../../../src/forms/submission';

const form = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../../forms', name), 'utf8')) as { components?: unknown };

describe('task completion against its form: read-only fields', () => {
  it('refuses a value for the handler opinion shown read-only on 立案审批, naming the field', () => {
    const problems = checkSubmission(form('filing-approval.form'), { handlerOpinion: '改写的承办人意见', filingApproved: true, filingOpinion: '同意立案' });
    expect(problems).toEqual([{ path: 'body.variables.handlerOpinion', message: expect.stringContaining('read-only') }]);
  });

  it('takes the approver\'s own fields', () => {
    expect(checkSubmission(form('filing-approval.form'), { filingApproved: true, filingOpinion: '同意立案' })).toEqual([]);
  });

  it('refuses a changed fine amount on 处罚决定审批, where the proposal is shown read-only', () => {
    const problems = checkSubmission(form('penalty-approval.form'), { proposedFineAmount: 1 });
    expect(problems.map((p) => p.path)).toEqual(['body.variables.proposedFineAmount']);
  });
});

describe('task completion against its form: the record a process acts on', () => {
  it('refuses caseId even from a form edited to carry it as an editable field', () => {
    const edited = { components: [{ type: 'textfield', key: 'caseId', label: '案件' }, { type: 'textfield', key: 'note', label: '意见' }] };
    const problems = checkSubmission(edited, { caseId: '00000000-0000-4000-8000-000000000001', note: '同意' });
    expect(problems).toEqual([{ path: 'body.variables.caseId', message: expect.stringContaining('set by the service') }]);
    expect(checkSubmission(edited, { note: '同意' })).toEqual([]);
  });
});
