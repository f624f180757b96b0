/**
 * An outside answer entered on the case page: with the order to correct served, the case waits for
 * the employer's report; handler1 opens the case, presses 登记 beside 登记用人单位报告已改正, is told
 * what is missing, fills it in, and the case moves on to 复查 with the answer on its timeline.
 * A grid officer reads the same case without the inspectors' buttons (记录送达, 登记).
 * The case is brought to that point through the API (the other browser tests cover those pages).
 */
import type { APIRequestContext } from 'playwright-core';
import { screenshot } from '../support/browser';
import { browserSession } from '../support/browser-session';
import { chromiumAvailable } from '../support/environment';
import { complaintBody } from '../support/lifecycle';

jest.setTimeout(180_000);

(chromiumAvailable() ? describe : describe.skip)('outside answers on the case page and the case list, in the browser', () => {
  const session = browserSession('answers', { width: 1280, height: 1000 });
  const { loginPage, apiAs } = session;
  let caseId = '';

  /** Completes the case's open task `elementId` through its form's fields, as `api`'s user. */
  async function complete(api: APIRequestContext, elementId: string, variables: Record<string, unknown>) {
    const base = session.service.url;
    for (let i = 0; i < 80; i++) {
      const tasks = (await (await api.get(`${base}/api/tasks?scope=group&limit=200`)).json()) as { items: { key: string; elementId: string }[] };
      for (const t of tasks.items.filter((x) => x.elementId === elementId)) {
        const detail = (await (await api.get(`${base}/api/tasks/${t.key}`)).json()) as { caseId: string | null };
        if (detail.caseId !== caseId) continue;
        const res = await api.post(`${base}/api/tasks/${t.key}/complete`, { data: { variables } });
        expect(res.status()).toBe(200);
        return;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no task ${elementId}`);
  }

  beforeAll(async () => {
    await session.start();
    const base = session.service.url;
    const [intake, supervisor, handler] = await Promise.all([apiAs('intake'), apiAs('supervisor'), apiAs('handler1')]);
    const employers = (await (await intake.get(`${base}/api/employers?limit=50`)).json()) as { items: { id: string; name: string }[] };
    const employerId = employers.items.find((e) => e.name === '郑州宏达建筑劳务有限公司')!.id;
    const created = await intake.post(`${base}/api/complaints`, { data: complaintBody({ employer: { employerId } }) });
    caseId = ((await created.json()) as { caseId: string }).caseId;
    await complete(intake, 'Task_Triage', { route: 'inspection', triageOpinion: '属于监察范围' });
    await complete(supervisor, 'Task_ApproveFiling', { filingApproved: true, filingOpinion: '同意立案' });
    await complete(supervisor, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler1', recusalStatus: 'none' });
    await complete(handler, 'Task_Investigate', { findings: '经查，拖欠工资属实。', evidence: '工资表', investigationOutcome: 'order-to-correct', correctionDays: 7, correctionRequirements: '支付拖欠工资' });
    const clock = (await (await handler.get(`${base}/api/test/clock`)).json()) as { now: string };
    const today = new Date(Date.parse(clock.now) + 8 * 3600_000).toISOString().slice(0, 10);
    await complete(handler, 'Task_ServeOrder', { serviceMethod: 'direct', servedAt: today, serviceReceiver: '张宏达（法定代表人）', serviceWitness: '李某' });
  });
  afterAll(() => session.stop());
  afterEach(() => {
    expect(session.pageErrors).toEqual([]);
  });

  it('a handler records the employer\'s report of correction, and the case moves on to re-inspection', async () => {
    const page = await loginPage('handler1');
    await page.goto(`${session.service.url}/cases/${caseId}`);
    const answers = page.locator('#answers');
    await answers.waitFor();
    expect(await answers.innerText()).toContain('登记用人单位报告已改正');
    expect(await answers.innerText()).not.toMatch(/correction-reported|employer-absconded/);
    await answers.locator('button[data-answer="correction-reported"]').click();
    const form = answers.locator('form[data-message="correction-reported"]');
    await form.getByRole('button', { name: '提交' }).click();
    // The note is required: the server names the field, the page puts the message beside it.
    await form.locator('[data-answer-field="correctionNote"][aria-invalid="true"]').waitFor();
    await screenshot(page, 'case-answer-errors');
    await form.getByLabel('改正情况').fill('已于今日足额支付 12 名工人工资。');
    await form.getByRole('button', { name: '提交' }).click();
    await form.getByText('已登记，案件将按答复继续办理。').waitFor();
    // The page reloads: the answer is on the timeline and no longer awaited.
    await page.locator('#timeline', { hasText: '登记外部答复：用人单位报告已改正' }).waitFor();
    expect(await page.locator('button[data-answer="correction-reported"]').count()).toBe(0);
    const timeline = await page.locator('#timeline').innerText();
    expect(timeline).toContain('监察员 李强');
    expect(timeline).not.toMatch(/\bhandler1\b|\bintake\b|worker:/);
    await screenshot(page, 'case-answer-recorded');
  });

  it('lists and searches the cases a user may see, with labels, not raw values', async () => {
    const page = await loginPage('handler1');
    await page.getByRole('link', { name: '案件查询', exact: true }).click();
    const row = page.locator(`#cases-list tr[data-case="${caseId}"]`);
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('郑州宏达建筑劳务有限公司');
    expect(text).toContain('解放路');
    expect(text).not.toMatch(/inspection|awaiting|filed|window/);
    const caseNumber = await row.locator('a').innerText();
    await page.getByLabel('关键词').fill(caseNumber);
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(/q=/);
    await page.locator('#cases-list tbody tr').first().waitFor();
    expect(await page.locator('#cases-list tbody tr').count()).toBe(1);
    await screenshot(page, 'cases-search');
    await page.getByLabel('办理情况').selectOption('false');
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('#cases-empty').waitFor();
    // A handler of another street does not find it at all.
    const other = await loginPage('handler2');
    await other.goto(`${session.service.url}/cases?q=${encodeURIComponent(caseNumber)}`);
    await other.locator('#cases-empty').waitFor();
  });

  it('a grid officer reads the case of their community but is offered no service record or answer to enter', async () => {
    const offered = '#documents button[data-doc]:not([hidden])';
    const handler = await loginPage('handler1');
    await handler.goto(`${session.service.url}/cases/${caseId}`);
    await handler.locator('#documents').waitFor();
    expect(await handler.locator(offered).count()).toBeGreaterThan(0);
    const officer = await loginPage('grid1');
    await officer.goto(`${session.service.url}/cases/${caseId}`);
    await officer.locator('#documents tbody tr').first().waitFor();
    expect(await officer.locator(offered).count()).toBe(0);
    expect(await officer.locator('button[data-answer]').count()).toBe(0);
    await screenshot(officer, 'case-grid-officer');
  });
});
