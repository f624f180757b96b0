/**
 * The supervisor's dashboard in the browser: a complaint's triage task is not on it while it has time;
 * the test clock moves past its deadline and the supervisor, refreshing, sees it 橙 (刚逾期) under its
 * grid, reassigns it to a handler in place, and lists its case for supervision. A handler has no
 * dashboard and the API refuses them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser';
import { chromiumAvailable } from '../support/environment';
import { complaintBody } from '../support/lifecycle';
import { ServiceProcess, startServiceProcess } from '../support/service-process';
import { ensureWebBuilt } from '../support/web-build';

jest.setTimeout(180_000);

(chromiumAvailable() ? describe : describe.skip)('the supervisor dashboard, in the browser', () => {
  let service: ServiceProcess;
  let browser: Browser;
  let dataDir: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let taskKey = '';
  let caseNumber = '';

  async function newContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    contexts.push(context);
    return context;
  }

  async function loginPage(username: string): Promise<Page> {
    const page = await (await newContext()).newPage();
    page.on('pageerror', (e) => pageErrors.push(`${username}: ${e.message}`));
    await page.goto(service.url);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill('demo1234');
    await page.keyboard.press('Enter');
    await page.locator('#roles').waitFor();
    return page;
  }

  async function apiAs(username: string): Promise<APIRequestContext> {
    const request = (await newContext()).request;
    const r = await request.post(`${service.url}/api/session`, { data: { username, password: 'demo1234' } });
    expect(r.status()).toBe(201);
    return request;
  }

  beforeAll(async () => {
    await ensureWebBuilt();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsi-browser-supervision-'));
    service = await startServiceProcess({ DATA_DIR: dataDir, TEST_CLOCK: '1' });
    browser = await launchBrowser();

    const intake = await apiAs('intake');
    const employers = (await (await intake.get(`${service.url}/api/employers?limit=50`)).json()) as { items: { id: string; name: string }[] };
    const employerId = employers.items.find((e) => e.name === '郑州宏达建筑劳务有限公司')!.id;
    const created = await intake.post(`${service.url}/api/complaints`, { data: complaintBody({ employer: { employerId } }) });
    expect(created.status()).toBe(201);
    caseNumber = ((await created.json()) as { caseNumber: string }).caseNumber;
    for (let i = 0; i < 60 && !taskKey; i++) {
      const tasks = (await (await intake.get(`${service.url}/api/tasks?scope=group`)).json()) as { items: { key: string; elementId: string }[] };
      for (const t of tasks.items.filter((x) => x.elementId === 'Task_Triage')) {
        const detail = (await (await intake.get(`${service.url}/api/tasks/${t.key}`)).json()) as { variables: { caseNumber?: string } };
        if (detail.variables.caseNumber === caseNumber) taskKey = t.key;
      }
      if (!taskKey) await new Promise((r) => setTimeout(r, 500));
    }
    expect(taskKey).not.toBe('');
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await service?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  it('a supervisor sees a task turn overdue when the clock passes its deadline, and reassigns it', async () => {
    let page = await loginPage('supervisor');
    await page.getByRole('link', { name: '督办', exact: true }).click();
    await page.locator('#supervision-title').waitFor();
    expect(await page.locator(`#overdue tr[data-task="${taskKey}"]`).count()).toBe(0);
    await screenshot(page, 'supervision-before');

    // Move the service's clock to one hour past the task's deadline.
    const before = page.request;
    const task = (await (await before.get(`${service.url}/api/tasks/${taskKey}`)).json()) as { dueDate: string };
    const clock = (await (await before.get(`${service.url}/api/test/clock`)).json()) as { now: string };
    const hours = Math.ceil((Date.parse(task.dueDate) - Date.parse(clock.now)) / 3600_000) + 1;
    expect((await before.post(`${service.url}/api/test/clock`, { data: { advance: `PT${hours}H` } })).status()).toBe(200);

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

    await row.locator(`select[data-reassign="${taskKey}"]`).selectOption({ label: '监察员 李强（handler1）' });
    await row.getByRole('button', { name: '改派' }).click();
    await page.waitForFunction(() => /已将.*改派给/.test(document.getElementById('supervision-status')?.textContent ?? ''));
    const after = (await (await page.request.get(`${service.url}/api/tasks/${taskKey}`)).json()) as { assignee: string };
    expect(after.assignee).toBe('handler1');
    expect(await row.locator('td.assignee').innerText()).toContain('handler1');
    await screenshot(page, 'supervision-reassigned');

    // 挂牌督办 from the same row.
    await row.getByRole('button', { name: '挂牌督办' }).click();
    const due = new Date(Date.parse(clock.now) + (hours + 24 * 7) * 3600_000 + 8 * 3600_000).toISOString().slice(0, 10);
    await row.getByLabel(`${caseNumber} 督办期限`).fill(due);
    await row.getByRole('button', { name: '确定' }).click();
    await page.waitForFunction(() => /已挂牌督办/.test(document.getElementById('supervision-status')?.textContent ?? ''));
    await page.locator('#refresh').click();
    await page.locator('#supervised', { hasText: caseNumber }).waitFor();
    await screenshot(page, 'supervision-supervised');
  });

  it('a handler has no dashboard and the API refuses them', async () => {
    const page = await loginPage('handler1');
    expect(await page.getByRole('link', { name: '督办', exact: true }).count()).toBe(0);
    expect((await page.request.get(`${service.url}/api/supervision/overdue`)).status()).toBe(403);
    // The inbox shows the server's colour for the task now assigned to them.
    await page.getByRole('link', { name: '我的待办', exact: true }).click();
    const row = page.locator(`#tasks tr[data-task="${taskKey}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('刚逾期');
    await screenshot(page, 'supervision-handler-inbox');
  });
});
