/**
 * Repair and migration in the browser: the grid's supervisor picks the case's current step on the
 * drawn diagram, starts it anew with a reason and confirms; legal staff compare two deployed versions
 * of a diagram and move the cases running on the older one to the newer, previewed and confirmed, and
 * read the report. Every page in Chinese.
 */
import fs from 'node:fs';
import path from 'node:path';
import { browserSession } from '../support/browser-session';
import { chromiumAvailable } from '../support/environment';
import { screenshot } from '../support/browser';
import { checkPage, unreadableParts } from '../support/page-checks';
import { complaintBody } from '../support/lifecycle';

jest.setTimeout(180_000);

const PROCESS = 'intake-and-routing';
const XML = fs.readFileSync(path.join(__dirname, '../../workflows/intake-and-routing.bpmn'), 'utf8');

(chromiumAvailable() ? describe : describe.skip)('repairing a case\'s process and moving running cases, in the browser', () => {
  const session = browserSession('repair', { width: 1440, height: 1000 });
  let caseId = '';

  beforeAll(async () => {
    await session.start();
    const intake = await session.apiAs('intake');
    const employers = await intake.get(`${session.service.url}/api/employers?q=${encodeURIComponent('宏达')}`);
    const employerId = ((await employers.json()) as { items: Array<{ id: string }> }).items[0].id;
    const res = await intake.post(`${session.service.url}/api/complaints`, { data: complaintBody({ employer: { employerId } }) });
    expect(res.status()).toBe(201);
    caseId = ((await res.json()) as { caseId: string }).caseId;
  });
  afterAll(() => session.stop());
  afterEach(() => {
    expect(session.pageErrors).toEqual([]);
  });

  /** The element instance of the case's triage step, as the repair view lists it. */
  async function triageKey(): Promise<string> {
    const api = await session.apiAs('supervisor');
    for (let i = 0; i < 100; i++) {
      const res = await api.get(`${session.service.url}/api/cases/${caseId}/instance-repair`);
      const items = ((await res.json()) as { items: Array<{ active: Array<{ elementId: string; elementInstanceKey: string }> }> }).items;
      const t = items.flatMap((x) => x.active).find((a) => a.elementId === 'Task_Triage');
      if (t) return t.elementInstanceKey;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no triage step');
  }

  it('the supervisor restarts the case\'s current step from its diagram, with a reason', async () => {
    const before = await triageKey();
    const page = await session.loginPage('supervisor');
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${session.service.url}/cases/${caseId}`);
    const panel = page.locator(`details.repair`).first();
    await panel.waitFor({ state: 'attached' });
    // Clicking the current step on the diagram chooses it to cancel and opens the panel.
    await page.locator('.diagram-canvas [data-element-id="Task_Triage"]').first().click();
    await page.locator('details.repair[open]').waitFor();
    const cancel = panel.locator('select[name="cancel"]');
    expect(await cancel.locator('option:checked').innerText()).not.toBe('（不取消）');
    await panel.locator('select[name="start"]').selectOption('Task_Triage');
    await panel.locator('textarea[name="reason"]').fill('分流意见录入错误，重新分流');
    await checkPage(page, 'instance-repair-panel');
    await panel.getByRole('button', { name: '执行修复' }).click();
    // The page reloads with the case where it now stands.
    await page.waitForLoadState('load');
    await page.locator('.diagram-canvas').first().waitFor();
    expect(await triageKey()).not.toBe(before);
    // The case's timeline says what the supervisor did and why.
    await page.getByText('修复流程：取消“诉前引导分流”，启动“诉前引导分流”（原因：分流意见录入错误，重新分流）').waitFor();
    await checkPage(page, 'instance-repair-done');
  });

  it('legal staff move the cases running on version 1 to version 2 from the version comparison', async () => {
    const legal = await session.apiAs('legal');
    const deployed = await legal.post(`${session.service.url}/api/workflows`, {
      data: { resources: [{ name: `${PROCESS}.bpmn`, content: XML.replace(/(<bpmn:userTask id="Task_Triage" name=")([^"]*)"/, '$1$2（新）"') }] },
    });
    expect(deployed.status()).toBeLessThan(300);
    const page = await session.loginPage('legal');
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${session.service.url}/workflows/${PROCESS}`);
    // The editor loads the modeler first; on a busy machine that takes a while.
    await page.locator('#migration-preview, #compare').first().waitFor({ timeout: 60_000 });
    await page.locator('select[data-compare="from"]').selectOption('1');
    await page.locator('select[data-compare="to"]').selectOption('2');
    await page.locator('#compare').click();
    await page.locator('#migration-preview').click({ timeout: 60_000 });
    await page.locator('#migration-summary').waitFor({ timeout: 60_000 });
    expect(await page.locator('#migration-summary').innerText()).toContain('可以迁移 1 件');
    await page.locator('#migration-reason').fill('分流环节更名');
    // The editor around it shows the diagram's ids to legal staff; the panel speaks Chinese only.
    await screenshot(page, 'instance-migration-preview');
    expect(unreadableParts(await page.locator('section.migration').innerText())).toEqual([]);
    await page.locator('#migration-start').click();
    await page.getByText('迁移完成').waitFor({ timeout: 60_000 });
    expect(await page.locator('#migration-status').innerText()).toContain('已迁移 1 件');
    expect(unreadableParts(await page.locator('section.migration').innerText())).toEqual([]);
    await screenshot(page, 'instance-migration-done');
  });
});
