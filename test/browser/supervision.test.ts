/**
 * The supervisor's dashboard in the browser: a complaint's triage task is not on it while it has time;
 * the test clock moves past its deadline and the supervisor, refreshing, sees it 橙 (刚逾期) under its
 * grid, reassigns it in place to someone it is offered to, and lists its case for supervision. A handler has no
 * dashboard and the API refuses them.
 */
import { chinaDate } from '../../src/deadlines/china-time';
import { screenshot } from '../support/browser';
import { browserSession } from '../support/browser-session';
import { chromiumAvailable } from '../support/environment';
import { complaintBody } from '../support/lifecycle';

jest.setTimeout(180_000);

(chromiumAvailable() ? describe : describe.skip)('the supervisor dashboard, in the browser', () => {
  const session = browserSession('supervision', { width: 1280, height: 900 });
  const { loginPage, apiAs } = session;
  let taskKey = '';
  let caseNumber = '';




  beforeAll(async () => {
    await session.start();

    const intake = await apiAs('intake');
    const employers = (await (await intake.get(`${session.service.url}/api/employers?limit=50`)).json()) as { items: { id: string; name: string }[] };
    const employerId = employers.items.find((e) => e.name === '郑州宏达建筑劳务有限公司')!.id;
    const created = await intake.post(`${session.service.url}/api/complaints`, { data: complaintBody({ employer: { employerId } }) });
    expect(created.status()).toBe(201);
    caseNumber = ((await created.json()) as { caseNumber: string }).caseNumber;
    for (let i = 0; i < 60 && !taskKey; i++) {
      const tasks = (await (await intake.get(`${session.service.url}/api/tasks?scope=group`)).json()) as { items: { key: string; elementId: string }[] };
      for (const t of tasks.items.filter((x) => x.elementId === 'Task_Triage')) {
        const detail = (await (await intake.get(`${session.service.url}/api/tasks/${t.key}`)).json()) as { variables: { caseNumber?: string } };
        if (detail.variables.caseNumber === caseNumber) taskKey = t.key;
      }
      if (!taskKey) await new Promise((r) => setTimeout(r, 500));
    }
    expect(taskKey).not.toBe('');
  });
  afterAll(() => session.stop());
  afterEach(() => {
    expect(session.pageErrors).toEqual([]);
  });

  it('a supervisor sees a task turn overdue when the clock passes its deadline, and reassigns it', async () => {
    let page = await loginPage('supervisor');
    await page.getByRole('link', { name: '督办', exact: true }).click();
    await page.locator('#supervision-title').waitFor();
    expect(await page.locator(`#overdue tr[data-task="${taskKey}"]`).count()).toBe(0);
    await screenshot(page, 'supervision-before');

    // Move the service's clock to one hour past the task's deadline.
    const before = page.request;
    const task = (await (await before.get(`${session.service.url}/api/tasks/${taskKey}`)).json()) as { dueDate: string };
    const clock = (await (await before.get(`${session.service.url}/api/test/clock`)).json()) as { now: string };
    const hours = Math.ceil((Date.parse(task.dueDate) - Date.parse(clock.now)) / 3600_000) + 1;
    expect((await before.post(`${session.service.url}/api/test/clock`, { data: { advance: `PT${hours}H` } })).status()).toBe(200);

    // Days later the session has expired (SESSION_TTL_HOURS): the supervisor logs in again.
    await page.context().close();
    page = await loginPage('supervisor');
    await page.getByRole('link', { name: '督办', exact: true }).click();
    await page.locator('#supervision-title').waitFor();
    const row = page.locator(`#overdue tr[data-task="${taskKey}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('刚逾期');
    expect(await row.innerText()).toContain(caseNumber);
    expect(await row.innerText()).toContain('解放路街道');
    expect(await row.getAttribute('class')).toBe('urgency-overdue');
    expect(Number(await page.locator('#count-orange strong').innerText())).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#by-grid').innerText()).toContain('解放路街道');
    await screenshot(page, 'supervision-overdue');

    // The triage task is offered to intake: the handlers are not among whom it can be reassigned to.
    const reassign = row.locator(`select[data-reassign="${taskKey}"]`);
    await reassign.selectOption({ label: '窗口 王敏（intake）' });
    expect(await reassign.locator('option').allInnerTexts()).toEqual(['选择人员', '窗口 王敏（intake）']);
    await row.getByRole('button', { name: '改派' }).click();
    await page.waitForFunction(() => /已将.*改派给/.test(document.getElementById('supervision-status')?.textContent ?? ''));
    const after = (await (await page.request.get(`${session.service.url}/api/tasks/${taskKey}`)).json()) as { assignee: string };
    expect(after.assignee).toBe('intake');
    expect(await row.locator('td.assignee').innerText()).toContain('intake');
    await screenshot(page, 'supervision-reassigned');

    // 挂牌督办 from the same row.
    await row.getByRole('button', { name: '挂牌督办' }).click();
    const due = chinaDate(Date.parse(clock.now) + (hours + 24 * 7) * 3600_000);
    await row.getByLabel(`${caseNumber} 督办期限`).fill(due);
    await row.getByLabel(`${caseNumber} 督办事由`).fill('投诉受理分流逾期，限期办结');
    await row.getByRole('button', { name: '确定' }).click();
    await page.waitForFunction(() => /已挂牌督办/.test(document.getElementById('supervision-status')?.textContent ?? ''));
    await page.locator('#refresh').click();
    await page.locator('#supervised', { hasText: caseNumber }).waitFor();
    // The owner by name and the reason; the closures split so that they add up; the chart has bars.
    const listed = await page.locator('#supervised').innerText();
    expect(listed).toContain('大队长 刘洋');
    expect(listed).toContain('投诉受理分流逾期，限期办结');
    expect(listed).not.toMatch(/\bsupervisor\b/);
    expect(await page.locator('#stats thead').innerText()).toContain('无期限');
    expect(await page.locator('#stats-totals').innerText()).toMatch(/收案 \d+，结案 \d+（按期 \d+，逾期 \d+，无期限 \d+）/);
    expect(await page.locator('#stats-chart rect[data-bar="received"]').count()).toBeGreaterThan(0);
    expect(await page.locator('main').innerText()).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    await screenshot(page, 'supervision-supervised');
  });

  it('a handler has no dashboard and the API refuses them', async () => {
    const handler = await loginPage('handler1');
    expect(await handler.getByRole('link', { name: '督办', exact: true }).count()).toBe(0);
    expect((await handler.request.get(`${session.service.url}/api/supervision/overdue`)).status()).toBe(403);
    // The inbox of the user it was reassigned to shows the server's colour for the task.
    const page = await loginPage('intake');
    await page.getByRole('link', { name: '我的待办', exact: true }).click();
    const row = page.locator(`#tasks tr[data-task="${taskKey}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('刚逾期');
    await screenshot(page, 'supervision-handler-inbox');
  });
});
