/**
 * The yearly grading in the browser: legal staff reach 诚信等级 from the menu, open last year's run,
 * see every employer's proposed grade with its basis once the workers have proposed them, filter by
 * grade, change a proposal with a reason; the pages read in Chinese only (no ISO time, UUID, raw value
 * or English word), and the employer page shows its 守法诚信等级 section; the review task's page has no empty case rows.
 */
import type { Page } from 'playwright-core';
import { chromiumAvailable } from '../support/environment';
import { browserSession } from '../support/browser-session';
import { checkPage } from '../support/page-checks';

jest.setTimeout(180_000);

(chromiumAvailable() ? describe : describe.skip)('the yearly grading in the browser', () => {
  const session = browserSession('grading');
  beforeAll(() => session.start());
  afterAll(() => session.stop());

  it('legal staff open a run from the menu, review its grades, filter them and change one with a reason', async () => {
    const page: Page = await session.loginPage('legal');
    await page.getByRole('link', { name: '诚信等级', exact: true }).click();
    await page.getByRole('heading', { name: '守法诚信等级评价' }).waitFor();
    await page.getByText('尚未开展评价。').waitFor();
    await checkPage(page, 'credit-grading-empty');
    await page.locator('#start-grading').click();
    // The run is listed; its grades appear once the workers have proposed them.
    for (let i = 0; i < 60; i++) {
      await page.goto(new URL('/credit/grading', page.url()).toString());
      const cell = page.locator('#grading-runs tbody tr td').nth(2);
      if (await cell.count() && (await cell.textContent()) !== '0') break;
      await page.waitForTimeout(500);
    }
    await page.locator('#grading-runs a', { hasText: '查看' }).first().click();
    await page.locator('#grading-grades tbody tr').first().waitFor();
    await page.getByText('法制审核中').first().waitFor();
    await checkPage(page, 'credit-grading-run');

    await page.getByLabel('等级', { exact: true }).selectOption('A');
    await page.waitForURL(/grade=A/);
    const rows = page.locator('#grading-grades tbody tr');
    await rows.first().waitFor();
    expect(await page.locator('#grading-grades tbody tr:not([data-grade="A"])').count()).toBe(0);
    const first = rows.first();
    await first.getByLabel('调整后的等级').selectOption('B');
    await first.getByLabel('调整理由').fill('书面审查发现未依法签订劳动合同');
    const before = await rows.count();
    await first.getByRole('button', { name: '调整等级' }).click();
    // Reloaded with the A filter: the changed employer has left the list.
    await page.waitForFunction((n) => document.querySelectorAll('#grading-grades tbody tr').length === n - 1 || (n === 1 && !document.querySelector('#grading-grades tbody')), before);

    await page.getByLabel('等级', { exact: true }).selectOption('B');
    await page.waitForURL(/grade=B/);
    await page.getByText('法制审核调整').first().waitFor();
    await checkPage(page, 'credit-grading-changed');
    const changed = page.locator('#grading-grades tbody tr', { hasText: '法制审核调整' }).first();
    await changed.locator('a').first().click();
    await page.locator('#employer-grades').waitFor();
    await page.getByText('尚未评定等级。').waitFor();
    await checkPage(page, 'credit-grading-employer-section');

    // The run's review task has no case: its page shows no empty 案件编号 or 用人单位 rows.
    await page.getByRole('link', { name: '诚信等级', exact: true }).click();
    await page.locator('#grading-runs a[href^="/tasks/"]').first().click();
    await page.locator('#task-title').waitFor();
    expect(await page.locator('section[aria-labelledby="task-title"] dl').innerText()).not.toMatch(/案件编号|用人单位/);
    expect(session.pageErrors).toEqual([]);
  });
});
