/**
 * 双随机抽查 and 重大违法公布 in the browser: legal staff add an inspection item, make a draw from the
 * page, see the drawn employers with their inspectors and cases, check the draw against its seed, and
 * open the publications page; every page reads in Chinese only (no ISO time, UUID, raw value or
 * English word).
 */
import type { Page } from 'playwright-core';
import { chromiumAvailable } from '../support/environment';
import { browserSession } from '../support/browser-session';
import { checkPage } from '../support/page-checks';

jest.setTimeout(180_000);

(chromiumAvailable() ? describe : describe.skip)('random inspections and publications in the browser', () => {
  const session = browserSession('random-draws');
  beforeAll(() => session.start());
  afterAll(() => session.stop());

  it('legal staff draw from the page, reproduce the draw, and open the publication lists', async () => {
    const page: Page = await session.loginPage('legal');
    await page.getByRole('link', { name: '双随机抽查', exact: true }).click();
    await page.getByRole('heading', { name: '双随机抽查', exact: true }).waitFor();
    await page.getByLabel('抽查事项名称').fill('工资支付情况');
    await page.getByLabel('抽查依据').fill('《劳动保障监察条例》第十一条');
    await page.locator('#add-item').click();
    await page.locator('#inspection-items').getByText('工资支付情况').waitFor();
    await checkPage(page, 'random-draws');

    await page.locator('#draw-title').fill('2026年第四季度“双随机”抽查');
    await page.locator('#draw-percent').fill('100');
    await page.getByRole('checkbox', { name: '工资支付情况' }).check();
    await page.locator('#make-draw').click();
    await page.getByRole('heading', { name: '2026年第四季度“双随机”抽查' }).waitFor();
    await page.locator('#draw-results tbody tr').first().waitFor();
    await page.locator('#reproduce').click();
    await page.getByText('复核一致').waitFor();
    // The seed and hashes are hex by design: what anyone checking the draw copies.
    await checkPage(page, 'random-draw', { allow: [/^[0-9a-f]{64}$/] });

    await page.getByRole('link', { name: '重大违法公布', exact: true }).click();
    await page.getByRole('heading', { name: '重大劳动保障违法行为社会公布' }).waitFor();
    await page.getByText('尚无公布名单。').waitFor();
    await checkPage(page, 'publications');
    expect(session.pageErrors).toEqual([]);
  });
});
