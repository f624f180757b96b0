/**
 * The joint-discipline list in the browser: legal staff reach 失信名单 from the menu, filter by state,
 * and the page reads in Chinese only (no ISO time, UUID, raw value or English word); the employer page
 * shows its 失信名单与社会公布 section.
 */
import type { Page } from 'playwright-core';
import { chromiumAvailable } from '../support/environment';
import { browserSession } from '../support/browser-session';
import { checkPage } from '../support/page-checks';

jest.setTimeout(180_000);

(chromiumAvailable() ? describe : describe.skip)('the joint-discipline list in the browser', () => {
  const session = browserSession('credit');
  beforeAll(() => session.start());
  afterAll(() => session.stop());

  it('legal staff open the list from the menu and filter it; an employer page shows its listings section', async () => {
    const page: Page = await session.loginPage('legal');
    await page.getByRole('link', { name: '失信名单', exact: true }).click();
    await page.getByRole('heading', { name: '失信联合惩戒名单' }).waitFor();
    await page.getByText('没有记录。').waitFor();
    await checkPage(page, 'credit-listings');
    await page.getByLabel('状态').selectOption('listed');
    await page.waitForURL(/state=listed/);
    await page.getByText('没有记录。').waitFor();

    await page.getByRole('link', { name: '用人单位', exact: true }).click();
    await page.locator('#employers-list tbody tr a').first().click();
    await page.getByText('该单位目前不在失信联合惩戒对象名单中。').waitFor();
    await checkPage(page, 'credit-employer-section');
    expect(session.pageErrors).toEqual([]);
  });
});
