/**
 * A dismissal complaint taken to arbitration, in the browser only: the window registers a complaint
 * about compensation for a dismissal, triages it from the case's task list to 劳动人事争议调解仲裁 (the
 * assessment already suggests it), the service issues the 仲裁告知书 and closes the case as referred to
 * arbitration, and the notice's service to the complainant is recorded on the case page through its
 * form. Every page is saved (test-output/screenshots/arbitration-*) and checked for ISO timestamps,
 * UUIDs, raw values and English.
 */
import type { Page } from 'playwright-core';
import { chromiumAvailable } from '../support/environment';
import { e2eSession, openTaskOfCase, submitTask } from '../support/e2e-session';

jest.setTimeout(240_000);

const EMPLOYER = '郑州美佳餐饮管理有限公司';

(chromiumAvailable() ? describe : describe.skip)('a dismissal case taken to arbitration, through the UI only', () => {
  const session = e2eSession('arbitration');
  const { loginPage, checks } = session;
  const check = (page: Page, name: string) => checks.check(page, `arbitration-${name}`);
  let caseNumber = '';

  beforeAll(() => session.start());
  afterAll(() => session.stop());
  afterEach(() => {
    expect(session.pageErrors).toEqual([]);
    checks.expectClean();
  });

  it('the window registers the complaint; the assessment suggests arbitration', async () => {
    const page = await loginPage('intake');
    await check(page, 'intake-home');
    await page.getByRole('link', { name: '受理登记', exact: true }).click();
    await page.locator('#intake-form').waitFor();
    await check(page, 'intake-form-empty');
    await page.locator('[data-path="complainants.0.name"]').fill('孙丽');
    await page.locator('[data-path="complainants.0.phone"]').fill('13900001111');
    await page.getByLabel('查找已建档的用人单位').fill('美佳');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: new RegExp(EMPLOYER) }).click();
    await page.locator('#employer-chosen-card').waitFor();
    await page.locator('[data-path="workers.0.name"]').fill('孙丽');
    await page.locator('[data-path="claims.0.category"]').selectOption({ label: '解除劳动合同经济补偿、赔偿' });
    await page.locator('[data-path="claims.0.amount"]').fill('12000');
    await page.locator('[data-path="claims.0.description"]').fill('公司口头辞退，未支付经济补偿');
    await page.getByLabel('案情概要').fill('在门店任收银员三年，2026年11月被口头辞退，公司拒绝支付经济补偿。');
    await check(page, 'intake-form-filled');
    await page.locator('#intake-submit').click();
    await page.locator('#intake-result').waitFor();
    caseNumber = (await page.locator('#case-number').innerText()).trim();
    expect(caseNumber).toMatch(/〔\d{4}〕/);
    expect(await page.locator('#route').innerText()).toContain('仲裁');
    await check(page, 'intake-result');
    await page.locator('#open-case').click();
    await page.locator('#case-title').waitFor();
    await session.atRest();
    await page.reload();
    await page.locator('#case-title').waitFor();
    expect(await page.locator('#case-header').innerText()).toContain('引导申请劳动人事争议仲裁（建议，待分流）');
    await check(page, 'case-registered');
  });

  it('the window triages it to arbitration; the notice is issued and waits to be served before the case closes', async () => {
    const page = await loginPage('intake');
    await page.getByRole('link', { name: '案件查询', exact: true }).click();
    await page.locator('#cases-list').waitFor();
    await check(page, 'cases-list');
    await openTaskOfCase(session, page, caseNumber, '诉前引导分流');
    await check(page, 'task-triage');
    // The assessment chose the route: the form comes filled with it.
    expect(await page.getByLabel('劳动人事争议调解仲裁（书面告知投诉人）').isChecked()).toBe(true);
    await page.getByLabel('分流意见').fill('属解除劳动合同经济补偿争议，告知投诉人向劳动人事争议仲裁委员会申请仲裁。');
    await submitTask(session, page);
    await check(page, 'task-triage-done');
    await page.locator('#after-submit-case').click();
    await page.locator('#case-title').waitFor();
    // The case does not close with its notice unserved: the process waits at 送达仲裁告知书.
    await page.locator('figure.diagram .where', { hasText: '送达仲裁告知书' }).first().waitFor({ timeout: 30_000 });
    expect(await page.locator('#case-status').innerText()).not.toContain('已结案');
    expect(await page.locator('#case-header').innerText()).toContain('引导仲裁');
    const notice = page.locator('#documents tbody tr', { hasText: '仲裁告知书' }).first();
    await notice.waitFor();
    expect(await page.locator('#timeline').innerText()).toContain('仲裁告知书');
    await check(page, 'case-awaiting-service');
  });

  it('the notice\'s service to the complainant is recorded through its form on the case page, and the case closes as referred', async () => {
    const page = await loginPage('intake');
    await page.getByRole('link', { name: '案件查询', exact: true }).click();
    await page.getByLabel('关键词').fill(caseNumber);
    await page.getByRole('button', { name: '查询' }).click();
    await page.locator('#cases-list a', { hasText: caseNumber }).first().click();
    await page.locator('#case-title').waitFor();
    const notice = page.locator('#documents tbody tr', { hasText: '仲裁告知书' }).first();
    await notice.getByRole('button', { name: '记录送达' }).click();
    const form = page.locator('form.service-form').first();
    await form.waitFor();
    await check(page, 'service-form');
    await form.getByLabel('送达方式').selectOption({ label: '直接送达' });
    await form.getByRole('button', { name: '保存送达记录' }).click();
    // Direct service names who signed for it: the form says so beside the field.
    await form.locator('[aria-invalid="true"]').first().waitFor();
    await check(page, 'service-form-refused');
    await form.getByLabel('受送达人（签收人）').fill('孙丽');
    await form.getByRole('button', { name: '保存送达记录' }).click();
    // One service record: the workflow's service task was completed with it (the page then follows the workflow).
    await page.locator('#documents', { hasText: '流程中的“送达仲裁告知书”随之完成' }).waitFor();
    expect(await notice.innerText()).toContain('直接送达');
    await check(page, 'service-recorded');
    await session.atRest();
    await page.reload();
    await page.locator('#case-title').waitFor();
    await page.locator('#case-status', { hasText: '已结案' }).waitFor();
    expect(await page.locator('#timeline').innerText()).toMatch(/送达.*直接送达/);
    expect(await page.locator('#documents tbody tr', { hasText: '仲裁告知书' }).first().innerText()).toContain('直接送达');
    await check(page, 'case-after-service');
  });
});
