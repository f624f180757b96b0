/**
 * The pages a brigade works in say everything in Chinese and start from what the case knows: the
 * head approves a filing with the handler's opinion shown read-only; after the employer absconds the
 * handler opens the preservation application already filled with the employer, the amount owed and the
 * court on file, changes one value and submits; the head approves it seeing the handler's reasons
 * read-only; the court filing's date picker is a Chinese calendar; the diagram editor's properties
 * panel and problem list are Chinese and the whole diagram fits readably. Every page is screenshotted
 * and scanned for ISO timestamps and English words. The case is brought to each step through the API.
 */
import type { APIRequestContext, Page } from 'playwright-core';
import { screenshot } from '../support/browser';
import { browserSession } from '../support/browser-session';
import { chromiumAvailable } from '../support/environment';
import { complaintBody, twelveWorkers } from '../support/lifecycle';

jest.setTimeout(240_000);

const EMPLOYER = '郑州宏达建筑劳务有限公司';
const ISO = /\d{4}-\d{2}-\d{2}T/;
/** Words a user may see in Latin letters: names of standards and products, not English labels. */
const ALLOWED = new Set(['FEEL', 'BPMN', 'Zeebe', 'Camunda', 'PDF', 'ID', 'OK']);

/** The English words in the visible text of `selector` (ISO timestamps are checked separately). */
async function englishWords(page: Page, selector = 'main'): Promise<string[]> {
  const text = await page.locator(selector).first().innerText();
  return [...new Set(text.match(/[A-Za-z][A-Za-z-]{2,}/g) ?? [])].filter((w) => !ALLOWED.has(w));
}

/** A form-js field of the task's form by its key. */
function field(page: Page, key: string) {
  return page.locator(`#task-form [id$="-Field_${key}"]`);
}

async function expectChinese(page: Page, selector = 'main'): Promise<void> {
  const text = await page.locator(selector).first().innerText();
  expect(text).not.toMatch(ISO);
  expect(await englishWords(page, selector)).toEqual([]);
  // Placeholders are read too, though not part of the text.
  const placeholders = await page.locator(`${selector} [placeholder]`).evaluateAll((els) => els.map((e) => e.getAttribute('placeholder') ?? ''));
  expect(placeholders.filter((p) => /[A-Za-z]{2,}/.test(p))).toEqual([]);
}

(chromiumAvailable() ? describe : describe.skip)('Chinese pages, prefilled forms and read-only opinions, in the browser', () => {
  const session = browserSession('chinese-ui', { width: 1280, height: 1000 });
  const { loginPage, apiAs } = session;
  let caseId = '';
  let caseNumber = '';

  /** The key of the case's open task `elementId`, waiting for the workers to reach it. */
  async function taskKey(api: APIRequestContext, elementId: string): Promise<string> {
    const base = session.service.url;
    for (let i = 0; i < 120; i++) {
      const tasks = (await (await api.get(`${base}/api/tasks?scope=group&limit=200`)).json()) as { items: { key: string; elementId: string }[] };
      for (const t of tasks.items.filter((x) => x.elementId === elementId)) {
        const detail = (await (await api.get(`${base}/api/tasks/${t.key}`)).json()) as { caseId: string | null };
        if (detail.caseId === caseId) return t.key;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`no task ${elementId}`);
  }

  async function complete(api: APIRequestContext, elementId: string, variables: Record<string, unknown>) {
    const res = await api.post(`${session.service.url}/api/tasks/${await taskKey(api, elementId)}/complete`, { data: { variables } });
    expect(res.status()).toBe(200);
  }

  /** Opens the task's page as the page's user and claims it. */
  async function openAndClaim(page: Page, api: APIRequestContext, elementId: string): Promise<void> {
    await page.goto(`${session.service.url}/tasks/${await taskKey(api, elementId)}`);
    await page.locator('#claim').click();
    await page.getByText('已领取，请填写表单后提交。').waitFor();
    await page.locator('#task-form .fjs-form').waitFor();
  }

  async function submit(page: Page): Promise<void> {
    await page.locator('#task-submit').click();
    await page.locator('#task-message.ok').waitFor();
    expect(await page.locator('#task-message').innerText()).toContain('已提交');
  }

  beforeAll(async () => {
    await session.start();
    const base = session.service.url;
    const intake = await apiAs('intake');
    const employers = (await (await intake.get(`${base}/api/employers?limit=50`)).json()) as { items: { id: string; name: string }[] };
    const employerId = employers.items.find((e) => e.name === EMPLOYER)!.id;
    const created = await intake.post(`${base}/api/complaints`, { data: complaintBody({ employer: { employerId }, workers: twelveWorkers() }) });
    ({ caseId, caseNumber } = (await created.json()) as { caseId: string; caseNumber: string });
    await complete(intake, 'Task_Triage', { route: 'inspection', triageOpinion: '该公司拖欠十二名工人工资，属于劳动保障监察职责范围，建议立案调查。' });
  });
  afterAll(() => session.stop());
  afterEach(() => {
    expect(session.pageErrors).toEqual([]);
  });

  it('the head approves the filing seeing the handler opinion read-only, and is asked only for their own', async () => {
    const page = await loginPage('supervisor');
    await openAndClaim(page, await apiAs('supervisor'), 'Task_ApproveFiling');
    const handler = field(page, 'handlerOpinion');
    expect(await handler.inputValue()).toContain('建议立案调查');
    expect(await handler.getAttribute('readonly')).not.toBeNull();
    await expect(handler.fill('改写')).rejects.toThrow();
    await page.getByLabel('批准立案').check();
    await field(page, 'filingOpinion').fill('同意立案。');
    await screenshot(page, 'chinese-approval-filing');
    await expectChinese(page);
    await submit(page);
    // The assignment's inspector pickers say 请选择, not form-js's "Select".
    await openAndClaim(page, await apiAs('supervisor'), 'Task_AssignInspectors');
    const pickers = await page.locator('#task-form .fjs-select-display').allInnerTexts();
    expect(pickers.length).toBeGreaterThanOrEqual(2);
    expect(pickers.every((t) => t === '请选择')).toBe(true);
    await screenshot(page, 'chinese-assignment-pickers');
    await expectChinese(page);
    await complete(await apiAs('supervisor'), 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler1', recusalStatus: 'none' });
  });

  it('the handler opens the preservation application filled from the case and submits a changed amount', async () => {
    const handler = await apiAs('handler1');
    const published = await handler.post(`${session.service.url}/api/messages`, {
      data: { name: 'employer-absconded', correlationKey: caseNumber, variables: { abscondedAt: new Date().toISOString(), abscondNote: '法定代表人失联，工地停工' } },
    });
    expect(published.status()).toBeLessThan(300);
    const page = await loginPage('handler1');
    await openAndClaim(page, handler, 'Task_PrepareApplication');
    expect(await field(page, 'respondentName').inputValue()).toBe(EMPLOYER);
    expect(await field(page, 'respondentAddress').inputValue()).not.toBe('');
    expect(Number(await field(page, 'preservationAmount').inputValue())).toBe(36000);
    expect(await field(page, 'preservationFacts').inputValue()).toContain('法定代表人失联');
    await field(page, 'preservationCourt').fill('郑州市二七区人民法院');
    await field(page, 'applicantAddress').fill('郑州市二七区政通路 1 号');
    await field(page, 'preservationAmount').fill('30000');
    await field(page, 'assetLeads').fill('基本存款账户；工程车辆两台');
    await screenshot(page, 'chinese-task-prefilled');
    await expectChinese(page);
    await submit(page);
  });

  it('the head approves the application seeing the handler reasons read-only, with the changed amount', async () => {
    const page = await loginPage('supervisor');
    await openAndClaim(page, await apiAs('supervisor'), 'Task_ApproveApplication');
    expect(await page.locator('#task-form').innerText()).toContain('申请保全金额：30000 元');
    const facts = page.locator('#task-form [id$="Field_preservationFacts_handler"]');
    expect(await facts.inputValue()).toContain('法定代表人失联');
    expect(await facts.getAttribute('readonly')).not.toBeNull();
    await page.getByLabel('同意向法院申请').check();
    await field(page, 'preservationOpinion').fill('同意申请诉前财产保全。');
    await screenshot(page, 'chinese-approval-preservation');
    await expectChinese(page);
    await submit(page);
  });

  it('the court filing date picker is a Chinese calendar', async () => {
    const page = await loginPage('handler1');
    await openAndClaim(page, await apiAs('handler1'), 'Task_FileWithCourt');
    const date = page.locator('#task-form .fjs-datepicker input').first();
    expect(await date.getAttribute('placeholder')).toMatch(/^如 2027/);
    await date.click();
    const calendar = page.locator('.flatpickr-calendar.open');
    await calendar.waitFor();
    const text = await calendar.innerText();
    expect(text).toMatch(/[一二三四五六日]/);
    expect(text).not.toMatch(/January|February|March|April|May|June|July|August|September|October|November|December|Sun|Mon|Tue|Wed|Thu|Fri|Sat/);
    await screenshot(page, 'chinese-date-picker');
    await calendar.locator('.flatpickr-day.today').click();
    await expectChinese(page);
  });

  it('the diagram editor: the whole diagram readable, the properties panel and the problems in Chinese', async () => {
    const page = await loginPage('legal');
    await page.goto(`${session.service.url}/workflows/police-referral`);
    await page.locator('#modeler-canvas .djs-container').waitFor();
    await page.locator('#check-summary').waitFor();
    await screenshot(page, 'chinese-editor-whole');
    // The whole-diagram view keeps the labels readable.
    const zoom = await page.evaluate(() => {
      const t = document.querySelector('#modeler-canvas .viewport')?.getAttribute('transform') ?? '';
      return Number(/matrix\(([\d.]+)/.exec(t)?.[1] ?? '1');
    });
    expect(zoom).toBeGreaterThanOrEqual(0.6);
    await page.locator('#modeler-canvas [data-element-id="Task_WriteReport"]').first().click();
    await page.locator('.bio-properties-panel-header').waitFor();
    await screenshot(page, 'chinese-editor-user-task');
    const panel = page.locator('.bio-properties-panel');
    expect(await panel.innerText()).not.toMatch(/USER TASK|Task listeners|\bCreate\b|General|Inputs|Outputs/i);
    await expectChinese(page, '.bio-properties-panel');
    // A problem in the diagram is listed in Chinese: a service task without its job type.
    await page.locator('#modeler-canvas [data-element-id="Task_SetReferralReport"]').first().click();
    const definition = page.locator('.bio-properties-panel-group-header', { hasText: '任务定义（作业）' }).first();
    if (!(await definition.getAttribute('class'))?.includes('open')) await definition.click();
    await page.locator('#bio-properties-panel-taskDefinitionType').fill('');
    await page.locator('#problems li.error .problem-message').first().waitFor();
    await screenshot(page, 'chinese-editor-problems');
    for (const message of await page.locator('#problems .problem-message').allInnerTexts()) {
      expect(message).toMatch(/[\u4e00-\u9fff]/);
      // Other elements are named by their ids in quotes (“Flow_1”): the rest is Chinese.
      expect(message.replace(/“[^”]*”|Camunda|FEEL|\d+(\.\d+)*/g, '')).not.toMatch(/[A-Za-z]{3,}/);
    }
    // Full screen gives a wide diagram the whole window.
    await page.getByRole('button', { name: '全屏编辑' }).click();
    await page.locator('.editor-layout.editor-full').waitFor();
    await screenshot(page, 'chinese-editor-full');
    await page.getByRole('button', { name: '退出全屏' }).click();
  });
});
