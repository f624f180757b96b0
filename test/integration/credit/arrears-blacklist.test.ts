/**
 * The wage-arrears joint-discipline list (人社部令第45号) end to end through the real engine, its workers
 * and the test clock: a listing refused while the order to pay runs; one refused below the criminal
 * threshold and accepted for a mass incident; an employer listed after an unpaid order, its defence
 * rejected, a late defence kept, an early repair refused in writing, then removed after repair. The
 * documents are read back as issued, with the case's names and dates.
 */
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, Lifecycle, lifecycle, twelveWorkers } from '../../support/lifecycle';
import { isoChina } from '../../../src/cases/case-deadlines';
import { chinaDate } from '../../../src/deadlines/china-time';

jest.setTimeout(400_000);

const PEOPLE = [{ name: '张宏达', position: '法定代表人' }, { name: '李建国', position: '项目经理' }];
const dateText = (iso: string) => { const [y, m, d] = iso.split('-').map(Number); return `${y}年${m}月${d}日`; };

describe.each(testDbKinds())('the wage-arrears joint-discipline list (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let employerId: string;
  let employerName: string;

  beforeAll(async () => {
    t = await startTestApp(kind, 'credit-blacklist');
    life = lifecycle(t);
    const rows: { id: string; name: string }[] = await t.db.ds.query("SELECT e.id, e.name FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'");
    employerId = rows[0].id;
    employerName = rows[0].name;
  });
  afterAll(async () => t?.close());

  const now = () => isoChina(t.clock.now().getTime());
  const serve = (caseId: string, elementId: string) =>
    life.complete(caseId, elementId, { serviceMethod: 'direct', servedAt: now(), serviceReceiver: '张宏达（法定代表人）' }, 'handler1');
  const count = async (table: string) => Number((await t.db.ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const html = async (documentId: string) => (await (await t.login('legal')).get(`/api/documents/${documentId}/html`)).text;

  /** A wage-arrears case with an order to pay served: `workers` owed `amount` in all. */
  async function orderServed(correctionDays: number, workers = 12, amount = 36000): Promise<{ caseId: string; caseNumber: string }> {
    const intake = await t.login('intake');
    const res = await intake.post('/api/complaints').send(complaintBody({
      employer: { employerId }, workers: workers > 1 ? twelveWorkers() : [{ name: '张三', amountOwed: amount, monthsOwed: 1 }],
      claims: [{ category: 'wage-arrears', description: '拖欠工资', amount }],
    }));
    expect(res.status).toBe(201);
    const { caseId, caseNumber } = res.body;
    await life.settle();
    await life.complete(caseId, 'Task_Triage', { route: 'inspection' }, 'intake');
    await life.complete(caseId, 'Task_ApproveFiling', { filingApproved: true });
    await life.complete(caseId, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler2', recusalStatus: 'none' });
    await life.complete(caseId, 'Task_Investigate', {
      investigationOutcome: 'order-to-correct', correctionDays, workersOwed: workers, amountOwed: amount, monthsOwed: workers > 1 ? 3 : 1,
      findings: `经查，该公司拖欠 ${workers} 名工人工资 ${amount} 元。`,
    }, 'handler1');
    await serve(caseId, 'Task_ServeOrder');
    return { caseId, caseNumber };
  }

  /** The order's deadline passes and the re-inspection finds the wages still unpaid. */
  async function orderExpiredUnpaid(caseId: string) {
    await life.advance('P5D');
    await life.complete(caseId, 'Task_ReInspect', { corrected: 'no', reInspectionRecord: '仍未支付' }, 'handler1');
  }

  const propose = async (caseId: string, extra: Record<string, unknown> = {}, who = 'handler1') =>
    (await t.login(who)).post('/api/credit/listings').send({ caseId, ground: 'criminal-threshold', responsiblePeople: PEOPLE, ...extra });

  it('refuses a listing while the order to pay has not expired, and writes nothing', async () => {
    const { caseId } = await orderServed(30);
    const before = await count('credit_listings');
    const res = await propose(caseId);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('BLACKLIST_PAYMENT_PERIOD_RUNNING');
    expect(res.body.error.message).toContain('届满');
    expect(await count('credit_listings')).toBe(before);
    // Another grid's handler does not learn that the case exists.
    const hidden = await propose(caseId, {}, 'handler2');
    expect(hidden.status).toBe(404);
  });

  it('refuses a listing below the criminal threshold, and takes it for a mass incident described', async () => {
    const { caseId } = await orderServed(1, 1, 800);
    await orderExpiredUnpaid(caseId);
    const below = await propose(caseId);
    expect(below.status).toBe(422);
    expect(below.body.error.code).toBe('BLACKLIST_GROUNDS_NOT_MET');
    expect(JSON.stringify(below.body.error.details)).toContain('5000');
    const undescribed = await propose(caseId, { ground: 'mass-incident' });
    expect(undescribed.status).toBe(400);
    const incident = await propose(caseId, { ground: 'mass-incident', incidentDescription: '2026年工人十余人聚集讨薪，堵塞道路' });
    expect(incident.status).toBe(201);
    expect(incident.body).toMatchObject({ state: 'proposed', ground: 'mass-incident' });
    expect(incident.body.groundText).toContain('堵塞道路');
    await life.task(caseId, 'Task_ServeNotice');
  });

  it('lists an employer after an unpaid order, rejects its defence, keeps a late one, refuses an early repair and removes it after repair', async () => {
    const { caseId } = await orderServed(1);
    await orderExpiredUnpaid(caseId);
    const proposed = await propose(caseId);
    expect(proposed.status).toBe(201);
    const listingId: string = proposed.body.id;
    expect(proposed.body).toMatchObject({ state: 'proposed', stateLabel: '拟列入', employerId, workersOwed: 12, amountOwed: 36000 });

    // Notice of the proposed listing, served; the defence period runs from service.
    await serve(caseId, 'Task_ServeNotice');
    const deadlines = (await (await t.login('supervisor')).get(`/api/cases/${caseId}`)).body.deadlines as { rule: string; dueDate: string; explanation: { text: string } }[];
    const defence = deadlines.find((d) => d.rule === 'blacklist.defence')!;
    const decision = deadlines.find((d) => d.rule === 'blacklist.decision')!;
    expect(defence.explanation.text).toContain('5');
    expect(decision.explanation.text).toContain('20');
    const notice = (await t.db.ds.query("SELECT id FROM documents WHERE case_id = ? AND type_id = 'blacklist-notice'", [caseId]))[0];
    const noticeText = await html(notice.id);
    expect(noticeText).toContain(employerName);
    expect(noticeText).toContain('张宏达');
    expect(noticeText).toContain('李建国');
    expect(noticeText).toContain('5个工作日');
    expect(noticeText).toContain('联系人：李强');
    // The office keeps no phone for the inspector: a line to fill in by hand, as on every document, never a placeholder.
    expect(noticeText).not.toMatch(/\{\{|undefined|null/);

    // The defence in time takes the process to the decision at once.
    let agent = await t.login('handler1');
    const inTime = await agent.post(`/api/credit/listings/${listingId}/defence`).send({ content: '我公司资金周转困难，并非恶意拖欠。' });
    expect(inTime.status).toBe(201);
    expect(inTime.body.late).toBe(false);
    await life.settle();
    const decide = await life.task(caseId, 'Task_Decide');
    expect(decide.variables.listingId).toBe(listingId);
    await life.complete(caseId, 'Task_Decide', { listingDecision: 'list', defenceAssessment: '资金周转困难不是拖欠工资的正当理由，不予采纳。' }, 'legal');
    await serve(caseId, 'Task_ServeDecision');

    const listed = (await (await t.login('supervisor')).get(`/api/credit/listings/${listingId}`)).body;
    expect(listed).toMatchObject({ state: 'listed', stateLabel: '已列入' });
    expect(listed.submissions).toEqual([expect.objectContaining({ kind: 'defence', late: false, decision: 'rejected' })]);
    const expiry = chinaDate(listed.expiresAt);
    expect(Number(expiry.slice(0, 4)) - Number(chinaDate(listed.listedAt).slice(0, 4))).toBe(3);
    const decisionDoc = listed.documents.find((d: { typeId: string }) => d.typeId === 'blacklist-decision');
    const decisionText = await html(decisionDoc.id);
    expect(decisionText).toContain(employerName);
    expect(decisionText).toContain(dateText(expiry));
    expect(decisionText).toContain('不予采纳');
    expect(decisionText).toContain(listed.documents.find((d: { typeId: string }) => d.typeId === 'blacklist-notice').number);
    expect(decisionText).not.toMatch(/\{\{|＿＿|undefined|null/);

    // The employer's record shows it; another grid's handler sees neither.
    const credit = await (await t.login('handler1')).get(`/api/employers/${employerId}/credit`);
    expect(credit.status).toBe(200);
    expect(credit.body.listed).toBe(true);
    expect((await (await t.login('handler2')).get(`/api/credit/listings/${listingId}`)).status).toBe(404);
    expect((await (await t.login('handler2')).get(`/api/employers/${employerId}/credit`)).status).toBe(404);

    // A defence arriving after the decision is kept, marked late.
    const late = await agent.post(`/api/credit/listings/${listingId}/defence`).send({ content: '补充申辩材料' });
    expect(late.status).toBe(201);
    expect(late.body.late).toBe(true);

    // Repair asked before the minimum time listed: refused in writing with the reason, still listed.
    const early = await agent.post(`/api/credit/listings/${listingId}/repair`).send({ wagesPaidAt: chinaDate(t.clock.now().getTime()), pledge: true, content: '已足额支付全部工资' });
    expect(early.status).toBe(201);
    await life.settle();
    const afterEarly = (await agent.get(`/api/credit/listings/${listingId}`)).body;
    expect(afterEarly.state).toBe('listed');
    expect(afterEarly.submissions.find((s: { kind: string }) => s.kind === 'repair')).toMatchObject({ decision: 'refused' });
    const refusal = afterEarly.documents.find((d: { typeId: string }) => d.typeId === 'blacklist-repair-refusal');
    expect(await html(refusal.id)).toContain('未满');

    // Seven months on (215 days), with the wages paid and a pledge: approved and removed.
    await life.advance('P215D');
    agent = await t.login('handler1');
    const repair = await agent.post(`/api/credit/listings/${listingId}/repair`).send({ wagesPaidAt: chinaDate(t.clock.now().getTime()), pledge: true, content: '已足额支付全部工资，承诺守法经营' });
    expect(repair.status).toBe(201);
    await life.settle();
    await life.complete(caseId, 'Task_DecideRepair', { repairApproved: 'yes', repairOpinion: '经核实工资已全部支付。' }, 'legal');
    const removed = (await agent.get(`/api/credit/listings/${listingId}`)).body;
    expect(removed).toMatchObject({ state: 'removed', removalReason: 'repair', removalLabel: '信用修复提前移出' });
    const removal = removed.documents.find((d: { typeId: string }) => d.typeId === 'blacklist-removal');
    const removalText = await html(removal.id);
    expect(removalText).toContain('信用修复');
    expect(removalText).toContain(decisionDoc.number);
    expect((await (await t.login('handler1')).get(`/api/employers/${employerId}/credit`)).body.listed).toBe(false);
  });
});
