/**
 * Decision tables in the browser: legal staff reach 决策表 from the menu, open the discretion standard,
 * read its rules with their legal sources in Chinese, test it (inputs → proposed fine and the matched
 * rule), save an edited draft, compare it with the deployed version, test the draft and deploy it.
 */
import type { Page } from 'playwright-core';
import { chromiumAvailable } from '../support/environment';
import { browserSession } from '../support/browser-session';
import { checkPage } from '../support/page-checks';

jest.setTimeout(180_000);

// Nothing but Chinese: the table's codes and names are shown by their labels.
const ALLOW = {};

(chromiumAvailable() ? describe : describe.skip)('decision tables in the browser', () => {
  const session = browserSession('decision-tables');
  beforeAll(() => session.start());
  afterAll(() => session.stop());

  it('legal staff read, test, change and deploy the discretion standard', async () => {
    const page: Page = await session.loginPage('legal');
    await page.getByRole('link', { name: '决策表', exact: true }).click();
    await page.getByRole('heading', { name: '决策表' }).waitFor();
    await page.locator('#decision-table-list tr[data-drg="penalty-discretion-drg"] a').click();
    await page.getByRole('heading', { name: '行政处罚裁量基准', exact: true }).waitFor();
    await page.getByText('按顺序取第一条').waitFor();
    await page.locator('tr[data-rule="1"]', { hasText: '使用童工' }).waitFor();
    await checkPage(page, 'decision-table', ALLOW);

    await page.getByLabel('违法行为种类').fill('拖欠工资');
    await page.getByLabel('受侵害劳动者人数').fill('3');
    await page.getByLabel('涉及金额（元）').fill('6000');
    await page.getByLabel('再次违法').fill('否');
    await page.getByRole('button', { name: '按已部署版本测试' }).click();
    await page.getByText('命中第 11 条规则').waitFor();
    await page.locator('dd', { hasText: '3000' }).first().waitFor();

    const xml = page.locator('#dt-xml');
    await xml.fill((await xml.inputValue()).replace('<text>3000</text>', '<text>3500</text>'));
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('已保存草稿第 1 版，可以部署。').waitFor();
    await page.getByRole('button', { name: '与已部署版本比较' }).click();
    await page.getByText('修改 1 条规则（第 11 条）').waitFor();
    await page.getByRole('button', { name: '按草稿测试' }).click();
    await page.locator('dd', { hasText: '3500' }).first().waitFor();
    await page.getByRole('button', { name: '部署草稿' }).click();
    await page.getByText('已部署为第 2 版。').waitFor();
    await page.locator('#dt-version', { hasText: '已部署版本 2' }).waitFor();
    await checkPage(page, 'decision-table-deployed', ALLOW);
    expect(session.pageErrors).toEqual([]);
  });
});
