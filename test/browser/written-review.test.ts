/**
 * The written review (书面审查) in the browser: the supervisor opens the year's review from the menu,
 * reads its progress per grid and enters an employer's submission at the window; a handler sees his
 * grids only; every page reads in Chinese only (no ISO time, UUID, raw value or English word).
 */
import type { Page } from 'playwright-core';
import { chromiumAvailable } from '../support/environment';
import { browserSession } from '../support/browser-session';
import { checkPage } from '../support/page-checks';

jest.setTimeout(180_000);

(chromiumAvailable() ? describe : describe.skip)('the written review in the browser', () => {
  const session = browserSession('written-review');
  beforeAll(() => session.start());
  afterAll(() => session.stop());

  it('a supervisor opens the review, follows its progress and enters a submission; a handler sees his grids only', async () => {
    const page: Page = await session.loginPage('supervisor');
    await page.getByRole('link', { name: '书面审查', exact: true }).click();
    await page.getByRole('heading', { name: '书面审查', exact: true }).waitFor();
    await page.getByText('尚未开展书面审查。').waitFor();
    await checkPage(page, 'written-reviews');
    await page.getByLabel('审查年度').fill('2026');
    await page.locator('#open-review').click();
    await page.getByRole('heading', { name: '2026年度劳动保障书面审查' }).waitFor();
    await page.locator('#review-progress').waitFor();
    await checkPage(page, 'written-review-progress');

    // The notices go out in the background: the employer offers the window entry once its notice is issued.
    for (const until = Date.now() + 90_000; Date.now() < until && !(await page.getByRole('link', { name: '登记报送' }).count());) {
      await page.waitForTimeout(500);
      await page.reload();
      await page.locator('#review-employers').waitFor();
    }
    const reviewUrl = page.url();
    await page.getByRole('link', { name: '登记报送' }).first().click();
    await page.getByRole('heading', { name: /书面审查$/ }).waitFor();
    await page.getByText('劳动保障书面审查通知书').waitFor();
    for (const [name, value] of [['职工人数', '30'], ['签订劳动合同人数', '28'], ['全年工资总额（元）', '1500000'], ['每月工资支付日', '10'],
      ['参加社会保险人数', '30'], ['农民工人数', '6'], ['拖欠农民工工资（元）', '0']] as const) {
      await page.getByLabel(name, { exact: true }).fill(value);
    }
    await checkPage(page, 'written-review-employer');
    await page.getByRole('button', { name: '登记报送材料' }).click();
    // Either the page shows the recorded submission, or the form says why it could not record it: the
    // test waits for whichever comes first (the service may be slow under a full run's load) and, on a
    // refusal, fails with the form's own words rather than a bare timeout.
    await page.locator('#review-submission, #record-submission ~ p[role="status"]:not(:empty)').first().waitFor({ timeout: 90_000 });
    const refusal = await page.locator('#record-submission ~ p[role="status"]').allTextContents();
    expect(refusal.join('')).toBe('');
    await page.getByText('已报送，审查中').waitFor();
    await checkPage(page, 'written-review-submitted');

    const handler = await session.loginPage('handler1');
    await handler.goto(reviewUrl);
    await handler.locator('#review-progress').waitFor();
    const grids = await handler.locator('#review-progress tbody tr td:first-child').allTextContents();
    expect(grids.length).toBeGreaterThan(0);
    expect(grids.every((g) => g === '解放路社区' || g === '铭功路社区')).toBe(true);
    await checkPage(handler, 'written-review-handler');
    expect(session.pageErrors).toEqual([]);
  });
});
