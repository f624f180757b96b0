/**
 * The discretion standard decides the proposed fine of a punishment case: `penalty.assess` evaluates
 * the `penalty-discretion` decision table deployed at start from decisions/ (wage arrears of 12
 * workers owed 36,000 yuan: 较重, 5,000–10,000, 8,000 proposed, with its legal source). A new
 * version of the table deployed by legal staff changes the next case's proposal only: the case
 * assessed before keeps the version and figures it was assessed with. Legal staff edit the table
 * through the API as they edit diagrams: draft (conflicts refused), diff, test, deploy (audited; an
 * invalid draft is refused with its problems and changes nothing).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DECISIONS_DIR } from '../../../src/paths';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, Lifecycle, lifecycle, twelveWorkers } from '../../support/lifecycle';

jest.setTimeout(300_000);

interface Discretion {
  decisionVersion: number;
  proposedFine: number;
  fineMin: number;
  fineMax: number;
  items: Array<{ violationKind: string; level: string; proposedFine: number; source: string }>;
}

describe.each(testDbKinds())('penalty discretion table (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let employerId: string;

  beforeAll(async () => {
    t = await startTestApp(kind, 'discretion');
    life = lifecycle(t);
    const rows: { id: string }[] = await t.db.ds.query("SELECT e.id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'");
    employerId = rows[0].id;
  });
  afterAll(async () => t?.close());

  /** A filed wage-arrears case at 拟定行政处罚意见. */
  async function atProposal(): Promise<string> {
    const res = await (await t.login('intake')).post('/api/complaints').send(complaintBody({
      employer: { employerId }, workers: twelveWorkers(), claims: [{ category: 'wage-arrears', description: '拖欠 12 名工人三个月工资', amount: 108000 }],
    }));
    expect(res.status).toBe(201);
    const { caseId } = res.body as { caseId: string };
    await life.settle();
    await life.complete(caseId, 'Task_Triage', { route: 'inspection' }, 'intake');
    await life.complete(caseId, 'Task_ApproveFiling', { filingApproved: true });
    await life.complete(caseId, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler2', recusalStatus: 'none' });
    await life.complete(caseId, 'Task_Investigate', { investigationOutcome: 'penalty', findings: '经查，该公司拖欠工资逾期不改。' }, 'handler1');
    await life.task(caseId, 'Task_ProposePenalty');
    return caseId;
  }

  const propose = (caseId: string, fine: number) => life.complete(caseId, 'Task_ProposePenalty', {
    partyType: 'organisation', proposedFineAmount: fine, isMajorCase: false, penaltyFacts: '拖欠工资逾期不改', penaltyBasis: '《劳动保障监察条例》第三十条',
  }, 'handler1');

  const assessment = async (caseId: string) => (await life.task(caseId, 'Task_ServePriorNotice')).variables.penaltyAssessment as { reasons: string[]; discretion: Discretion };

  it('proposes the table\'s fine, and a new version changes the next case only', async () => {
    const first = await atProposal();
    const second = await atProposal();

    await propose(first, 8000);
    const a = await assessment(first);
    expect(a.discretion).toMatchObject({ decisionVersion: 1, workerCount: 12, amountOwed: 36000, isRepeat: false, proposedFine: 8000, fineMin: 5000, fineMax: 10000 });
    expect(a.discretion.items).toEqual([expect.objectContaining({ violationKind: 'wage-arrears', level: '较重', proposedFine: 8000 })]);
    expect(a.discretion.items[0].source).toContain('第三十条第一款第三项');
    expect(a.reasons.join('\n')).toContain('拟罚款8000元在行政处罚裁量基准（第1版）的幅度内');

    // Legal staff raise the proposal of the 较重 tier: version 2.
    const v1 = fs.readFileSync(path.join(DECISIONS_DIR, 'penalty-discretion.dmn'), 'utf8');
    const v2 = v1.replaceAll('<text>8000</text>', '<text>9000</text>');
    expect(v2).not.toBe(v1);
    const deployed = await t.core.engine.deploy([{ name: 'penalty-discretion.dmn', content: v2 }], 'legal');
    expect(deployed.decisions).toEqual([expect.objectContaining({ decisionId: 'penalty-discretion', version: 2 })]);

    await propose(second, 25000);
    const b = await assessment(second);
    expect(b.discretion).toMatchObject({ decisionVersion: 2, proposedFine: 9000 });
    expect(b.reasons.join('\n')).toContain('拟罚款25000元不在行政处罚裁量基准（第2版）的幅度5000–10000元内');

    // The first case keeps what it was assessed with.
    expect((await assessment(first)).discretion).toMatchObject({ decisionVersion: 1, proposedFine: 8000 });
  });

  it('legal staff draft, compare, test and deploy the table; others may not', async () => {
    const legal = await t.login('legal');
    const base = '/api/decision-tables/penalty-discretion-drg';
    const list = await legal.get('/api/decision-tables');
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { drgId: string }) => i.drgId)).toEqual(expect.arrayContaining(['complaint-routing-drg', 'penalty-discretion-drg']));
    expect((await (await t.login('handler1')).get('/api/decision-tables')).status).toBe(403);

    const deployed = await legal.get(base);
    expect(deployed.body).toMatchObject({ drgId: 'penalty-discretion-drg', version: 2 });
    const xml = (deployed.body.xml as string).replace('<text>3000</text>', '<text>3500</text>');
    const saved = await legal.put(`${base}/draft`).send({ xml, basedOnVersion: 2, expectedVersion: null });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ version: 1, deployable: true, problems: [] });
    expect((await legal.put(`${base}/draft`).send({ xml, expectedVersion: null })).body.error.code).toBe('DRAFT_CHANGED');

    const diff = await legal.get(`${base}/diff`);
    expect(diff.body).toMatchObject({ from: { version: 2 }, to: { draft: 1 }, decisionsAdded: [], decisionsRemoved: [] });
    expect(diff.body.changed[0].rulesChanged).toEqual([expect.objectContaining({ ruleId: 'penalty-rule-11', from: expect.objectContaining({ outputs: ['"一般"', 'refusalFineMin', '5000', '3000'] }), to: expect.objectContaining({ outputs: ['"一般"', 'refusalFineMin', '5000', '3500'] }) })]);

    const inputs = { violationKind: 'wage-arrears', workerCount: 1, amountOwed: 100, isRepeat: false, refusalFineMin: 2000, refusalFineMax: 20000 };
    const draftTest = await legal.post(`${base}/evaluation`).send({ source: 'draft', variables: inputs });
    expect(draftTest.body).toMatchObject({ source: { draft: 1 }, decisionId: 'penalty-discretion', output: { level: '一般', proposedFine: 3500 } });
    expect(draftTest.body.evaluated[0].matchedRules[0].annotation).toContain('第三十条');
    expect((await legal.post(`${base}/evaluation`).send({ variables: inputs })).body.output.proposedFine).toBe(3000);

    const deploy = await legal.post(`${base}/deploy`).send({});
    expect(deploy.status).toBe(201);
    expect(deploy.body.decisions).toEqual([expect.objectContaining({ decisionId: 'penalty-discretion', version: 3 })]);
    const audits = (await t.db.ds.query("SELECT action FROM audit_log WHERE action IN ('decision.deploy', 'decision.draft.save')")) as Array<{ action: string }>;
    expect(audits.map((a) => a.action).sort()).toEqual(['decision.deploy', 'decision.draft.save']);

    // A draft with a broken cell is saved with its problem, and refused at deployment with nothing changed.
    const broken = xml.replace('<text>"child-labour"</text>', '<text>[1..</text>');
    const brokenDraft = await legal.put(`${base}/draft`).send({ xml: broken, expectedVersion: 1 });
    expect(brokenDraft.body).toMatchObject({ version: 2, deployable: false });
    expect(brokenDraft.body.problems[0].message).toContain('not a valid unary test');
    const refused = await legal.post(`${base}/deploy`).send({});
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('INVALID_DIAGRAM');
    expect((await legal.get(base)).body.version).toBe(3);
  });
});
