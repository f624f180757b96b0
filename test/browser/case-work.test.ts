/**
 * A case from the window to the handler, in the browser: the clerk registers complaints (seeing the
 * employer's open cases before saving) and triages one from the inbox with its form; the supervisor's
 * approvals go through the API; handler1 (grid JF) claims the investigation task, submits its form and
 * sees the case move on, with the diagram marking where it stands; handler2 (another grid) gets the
 * not-found page. A task completed elsewhere meanwhile answers with a message, not a crash.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser';
import { chromiumAvailable } from '../support/environment';
import { ServiceProcess, startServiceProcess } from '../support/service-process';
import { ensureWebBuilt } from '../support/web-build';

jest.setTimeout(180_000);

const EMPLOYER = '郑州美佳餐饮管理有限公司';

interface TaskRow { key: string; elementId: string; name: string; processInstanceKey: string; dueDate: string | null }

(chromiumAvailable() ? describe : describe.skip)('a case from intake to the handler, in the browser', () => {
  let service: ServiceProcess;
  let browser: Browser;
  let dataDir: string;
  const contexts: BrowserContext[] = [];
  let caseId = '';
  let caseNumber = '';
  const pageErrors: string[] = [];

  async function loginPage(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${username}: ${e.message}`));
    await page.goto(service.url);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill('demo1234');
    await page.keyboard.press('Enter');
    await page.locator('#roles').waitFor();
    return page;
  }

  async function openTasks(page: Page, scope: 'mine' | 'group'): Promise<TaskRow[]> {
    const r = await page.request.get(`${service.url}/api/tasks?scope=${scope}`);
    expect(r.status()).toBe(200);
    return ((await r.json()) as { items: TaskRow[] }).items;
  }

  /** The open task at `elementId` of the first case, among the user's group tasks. */
  async function taskOfCase(page: Page, elementId: string): Promise<TaskRow | undefined> {
    for (const t of await openTasks(page, 'group')) {
      if (t.elementId !== elementId) continue;
      const detail = (await (await page.request.get(`${service.url}/api/tasks/${t.key}`)).json()) as { variables: { caseNumber?: string } };
      if (detail.variables.caseNumber === caseNumber) return t;
    }
    return undefined;
  }

  async function waitForTask(page: Page, elementId: string): Promise<TaskRow> {
    for (let i = 0; i < 60; i++) {
      const t = await taskOfCase(page, elementId);
      if (t) return t;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`no task ${elementId} of ${caseNumber}`);
  }

  async function fillIntake(page: Page, complainant: string, worker: string, amount: string): Promise<void> {
    await page.getByRole('link', { name: '受理登记', exact: true }).click();
    await page.locator('#intake-form').waitFor();
    await page.locator('[data-path="complainants.0.name"]').fill(complainant);
    await page.locator('[data-path="complainants.0.phone"]').fill('13800000000');
    await page.getByLabel('查找已建档的用人单位').fill('美佳');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: new RegExp(EMPLOYER) }).click();
    await page.locator('#employer-chosen-card').waitFor();
    await page.locator('[data-path="workers.0.name"]').fill(worker);
    await page.locator('[data-path="workers.0.amountOwed"]').fill(amount);
    await page.locator('[data-path="workers.0.monthsOwed"]').fill('2');
    await page.locator('[data-path="claims.0.category"]').selectOption('wage-arrears');
    await page.locator('[data-path="claims.0.amount"]').fill(amount);
    await page.locator('[data-path="claims.0.description"]').fill('拖欠2026年9月至10月工资');
    await page.getByLabel('案情概要').fill('在门店做服务员，9月起未发工资，多次催要无果。');
  }

  beforeAll(async () => {
    await ensureWebBuilt();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsi-browser-case-'));
    service = await startServiceProcess({ DATA_DIR: dataDir, TEST_CLOCK: '1' });
    browser = await launchBrowser();
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

  it('a clerk registers a complaint and sees its case number and route', async () => {
    const page = await loginPage('intake');
    await page.getByRole('link', { name: '受理登记', exact: true }).click();
    await page.locator('#intake-form').waitFor();

    // Errors appear next to their fields, and the credit code is checked before anything is sent.
    await page.locator('#intake-submit').click();
    expect(await page.locator('#intake-error').innerText()).toContain('请按红色提示修改');
    expect(await page.locator('[data-path="complainants.0.name"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#summary-err').innerText()).toContain('案情概要');
    await page.getByLabel('统一社会信用代码').fill('91410103MA12345678');
    await page.getByLabel('单位名称').focus();
    expect(await page.locator('#employer-creditCode-err').innerText()).toContain('校验码错误');
    await screenshot(page, 'intake-errors');

    await fillIntake(page, '王芳', '王芳', '6800');
    expect(await page.locator('#duplicates').isHidden()).toBe(true); // no open case of this employer yet
    await screenshot(page, 'intake-form');
    await page.locator('#intake-submit').click();
    await page.locator('#intake-result').waitFor();
    caseNumber = (await page.locator('#case-number').innerText()).trim();
    expect(caseNumber).toMatch(/〔\d{4}〕/);
    expect(await page.locator('#route').innerText()).toBe('劳动保障监察立案调查');
    await screenshot(page, 'intake-result');
    await page.locator('#open-case').click();
    await page.locator('#case-title').waitFor();
    caseId = new URL(page.url()).pathname.split('/').pop()!;
    expect(await page.locator('#case-status').innerText()).toBe('已登记，待受理');
  });

  it('shows the open cases of the same employer before saving a second complaint', async () => {
    const page = await loginPage('intake');
    await fillIntake(page, '赵强', '赵强', '5200');
    await page.locator('#duplicates a').first().waitFor();
    expect(await page.locator('#duplicates').innerText()).toContain(caseNumber);
    await screenshot(page, 'intake-duplicates');
    await page.locator('#intake-submit').click();
    await page.locator('#intake-result').waitFor();
    expect(await page.locator('#intake-result').innerText()).toContain(caseNumber); // linked to the first case
  });

  it('the clerk triages the first complaint with its form from the inbox', async () => {
    const page = await loginPage('intake');
    await page.getByRole('link', { name: '我的待办', exact: true }).click();
    await page.getByLabel('范围').selectOption('group');
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    const row = page.locator('#tasks tbody tr', { hasText: caseNumber });
    await row.waitFor();
    expect(await row.innerText()).toContain('诉前引导分流');
    expect(await row.innerText()).toContain(EMPLOYER);
    await screenshot(page, 'inbox-intake');
    await row.getByRole('link', { name: '办理' }).click();
    await page.locator('#task-title').waitFor();
    expect(await page.locator('#form-readonly').innerText()).toContain('请先领取');
    await page.locator('#claim').click();
    await page.locator('#unclaim').waitFor();
    await page.locator('#task-form .fjs-form').waitFor();
    // The form is filled from the case: the assessment already chose the route and conditions.
    expect(await page.getByLabel('劳动保障监察立案调查').isChecked()).toBe(true);
    await page.locator('#task-submit').click();
    expect(await page.locator('#task-message').innerText()).toContain('未填写或填写有误');
    expect(await page.locator('#task-form').innerText()).toContain('必填');
    await screenshot(page, 'task-triage-errors');
    await page.getByLabel('分流意见').fill('属于劳动保障监察事项，转立案调查。');
    await page.locator('#task-submit').click();
    await page.locator('#after-submit-case').waitFor();
    await screenshot(page, 'task-triage-done');
    await page.locator('#after-submit-case').click();
    await page.locator('#case-title').waitFor();
    await page.waitForFunction(() => document.getElementById('case-status')?.textContent !== '已登记，待受理');
  });

  it('a task completed elsewhere meanwhile answers with a clear message', async () => {
    const page = await loginPage('intake');
    let second: TaskRow | undefined;
    for (const t of await openTasks(page, 'group')) {
      const detail = (await (await page.request.get(`${service.url}/api/tasks/${t.key}`)).json()) as { variables: { caseNumber?: string } };
      if (t.elementId === 'Task_Triage' && detail.variables.caseNumber !== caseNumber) second = t; // the second complaint's
    }
    expect(second).toBeDefined();
    await page.goto(`${service.url}/tasks/${second!.key}`);
    await page.locator('#claim').click();
    await page.locator('#task-form .fjs-form').waitFor();
    await page.getByLabel('分流意见').fill('与在办案件合并办理。');
    // The same task is completed from another window before this one submits.
    const done = await page.request.post(`${service.url}/api/tasks/${second!.key}/complete`, {
      data: { variables: { route: 'merge', linkedCaseNumber: caseNumber, triageOpinion: '另一窗口已办理：并入在办案件', withinLimitation: true, employerIdentified: true, withinJurisdiction: true } },
    });
    expect(done.status()).toBe(200);
    await page.locator('#task-submit').click();
    await page.waitForFunction(() => /他人办理完成/.test(document.getElementById('task-message')?.textContent ?? ''));
    expect(await page.locator('#task-submit').count()).toBe(0);
    expect(await page.locator('#task-header-state').innerText()).toContain('办理完成'); // the page shows the task as it now is
    await screenshot(page, 'task-conflict');
  });

  it('handler1 claims the investigation task, submits its form and sees the case move on', async () => {
    // The supervisor approves the filing and assigns the inspectors (their pages are another issue).
    const sup = await loginPage('supervisor');
    for (const [elementId, variables] of [
      ['Task_ApproveFiling', { filingApproved: true, filingOpinion: '同意立案' }],
      ['Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler1', recusalStatus: 'none' }],
    ] as const) {
      const task = await waitForTask(sup, elementId);
      const r = await sup.request.post(`${service.url}/api/tasks/${task.key}/complete`, { data: { variables } });
      expect(r.status()).toBe(200);
    }

    const page = await loginPage('handler1');
    await waitForTask(page, 'Task_Investigate');
    await page.getByRole('link', { name: '我的待办', exact: true }).click();
    await page.getByLabel('范围').selectOption('group');
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    const row = page.locator('#tasks tbody tr', { hasText: caseNumber }).filter({ hasText: '调查取证' });
    await row.waitFor();
    await screenshot(page, 'inbox-handler1');
    await row.getByRole('button', { name: '领取' }).click();
    await page.waitForFunction(() => /已领取/.test(document.getElementById('inbox-status')?.textContent ?? ''));
    expect(await row.locator('td').nth(4).innerText()).toBe('我');
    await row.getByRole('link', { name: '办理' }).click();
    await page.locator('#task-title').waitFor();
    await page.locator('#task-form .fjs-form').waitFor();
    await page.getByLabel('调查认定的事实').fill('该单位拖欠王芳2026年9月至10月工资6800元属实。');
    await page.getByLabel(/^证据/).fill('询问笔录、工资表、考勤记录');
    await page.getByLabel('克扣、无故拖欠工资').check();
    await page.getByLabel('涉及劳动者人数').fill('1');
    await page.getByLabel('拖欠金额合计（元）').fill('6800');
    await page.getByLabel('责令限期改正（限期改正指令书）').check();
    await page.getByLabel('改正期限（日）').fill('15');
    await page.getByLabel(/^改正要求/).fill('于期限内支付王芳工资6800元。');
    await screenshot(page, 'task-investigation');
    await page.locator('#task-submit').click();
    await page.waitForFunction(() => !document.getElementById('task-message')?.hidden);
    expect(await page.locator('#task-message').innerText()).toContain('已提交');
    // The order is issued by a worker; the case stands at serving it once the next task exists.
    await waitForTask(page, 'Task_ServeOrder');
    await page.locator('#after-submit-case').click();

    await page.locator('#case-title').waitFor();
    await page.locator('figure.diagram .djs-element.current').first().waitFor({ timeout: 30_000 });
    const where = await page.locator('figure.diagram .where').allInnerTexts();
    expect(where.join(' ')).toContain('送达限期改正指令书');
    expect(await page.locator('#timeline').innerText()).toContain('调查取证');
    expect(await page.locator('#deadlines tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, 'case-handler1');
  });

  // Before the service is recorded: recording the order's service on the case page completes Task_ServeOrder.
  it('colours the inbox by how near each due date is, as the server\'s clock moves', async () => {
    let page = await loginPage('handler1');
    const serve = await waitForTask(page, 'Task_ServeOrder');
    const due = Date.parse(serve.dueDate!);
    // Task_ServeOrder of a wage-arrears case falls under the wage-arrears service level: 黄 from the day
    // before its deadline, 橙 on the day and just after, 红 a day after (src/supervision/service-levels.ts).
    for (const [hours, urgency, words] of [[-30, 'soon', '即将到期'], [-2, 'today', '今日到期'], [20, 'overdue', '刚逾期'], [120, 'serious', '严重逾期']] as const) {
      // The test clock takes a login: the handler's page moves it.
      const now = Date.parse((await (await page.request.get(`${service.url}/api/test/clock`)).json()).now);
      const target = due + hours * 3600_000;
      if (target > now) {
        const moved = await page.request.post(`${service.url}/api/test/clock`, { data: { advance: `PT${Math.ceil((target - now) / 1000)}S` } });
        expect(moved.status()).toBe(200);
      }
      page = await loginPage('handler1'); // sessions last 12 hours on the moved clock
      await page.goto(`${service.url}/inbox?scope=group`);
      const row = page.locator(`#tasks tr[data-task="${serve.key}"]`);
      await row.waitFor();
      expect(await row.getAttribute('class')).toBe('urgency-' + urgency);
      expect(await row.locator('.badge').innerText()).toBe(words);
      if (urgency === 'today') await screenshot(page, 'inbox-due-today');
    }
    // Filtered by case number, as the case page's link does; an unknown number says so.
    await page.goto(`${service.url}/inbox?scope=group&case=${encodeURIComponent(caseNumber)}`);
    await page.locator(`#tasks tr[data-task="${serve.key}"]`).waitFor();
    await page.getByLabel('案件编号').fill('郑人社监案〔2026〕第9999号');
    await page.keyboard.press('Enter');
    await page.locator('#tasks td', { hasText: '没有找到案件' }).waitFor();
  });

  it('records the service of a document from the case page', async () => {
    const page = await loginPage('handler1');
    await page.goto(`${service.url}/cases/${caseId}`);
    const toggle = page.locator('#documents button[data-doc]').first();
    await toggle.waitFor();
    await toggle.click();
    await page.getByLabel('送达方式').selectOption('direct');
    await page.getByRole('button', { name: '保存送达记录' }).click();
    expect(await page.locator('.service-form [aria-invalid="true"]').count()).toBe(1); // direct service names who signed
    await page.getByLabel('受送达人（签收人）').fill('李经理');
    await page.getByRole('button', { name: '保存送达记录' }).click();
    await page.locator('#documents', { hasText: '已保存' }).waitFor();
    expect(await page.locator('#documents').innerText()).toContain('直接送达');
    await screenshot(page, 'case-documents-service');
  });

  it('pages through the inbox with the cursor', async () => {
    const page = await loginPage('intake');
    await page.goto(`${service.url}/inbox?scope=group&state=completed&limit=1`);
    const rows = page.locator('#tasks tbody tr[data-task]');
    await rows.first().waitFor();
    const first = await rows.first().getAttribute('data-task');
    await page.locator('#next-page').click();
    await page.waitForFunction((key) => document.querySelector('#tasks tbody tr[data-task]')?.getAttribute('data-task') !== key, first);
    const second = await rows.first().getAttribute('data-task');
    expect(Number(second)).toBeGreaterThan(Number(first));
    await page.locator('#prev-page').click();
    await page.waitForFunction((key) => document.querySelector('#tasks tbody tr[data-task]')?.getAttribute('data-task') === key, first);
    expect(await page.locator('#prev-page').count()).toBe(0);
  });

  it('handler2 from another grid cannot open the case', async () => {
    const page = await loginPage('handler2');
    await page.goto(`${service.url}/cases/${caseId}`);
    await page.locator('#not-found').waitFor();
    expect(await page.locator('#not-found').innerText()).toContain('不在您的管辖范围内');
    expect(await page.locator('#case-title').count()).toBe(0);
    await screenshot(page, 'case-not-found-handler2');
  });
});
