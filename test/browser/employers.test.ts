/**
 * A grid officer (协管员) in the browser: the employer list shows only their community's employers, the
 * employer page shows the file with who collected each field, an edit made through the page's form
 * appears with its collector and in the change history, and another grid's employer is not found.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { makeCreditCode } from '../../src/cases/credit-code';
import { launchBrowser, screenshot } from '../support/browser';
import { chromiumAvailable } from '../support/environment';
import { ServiceProcess, startServiceProcess } from '../support/service-process';
import { ensureWebBuilt } from '../support/web-build';

jest.setTimeout(180_000);

(chromiumAvailable() ? describe : describe.skip)('employer files in the browser', () => {
  let service: ServiceProcess;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    await ensureWebBuilt();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsi-browser-employers-'));
    service = await startServiceProcess({ DATA_DIR: dataDir });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function login(username: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(service.url);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill('demo1234');
    await page.keyboard.press('Enter');
    await page.locator('#roles').waitFor();
    return page;
  }

  it('a grid officer lists their employers, opens one, updates its labour data and sees the history', async () => {
    const page = await login('grid1');
    expect(await page.locator('#roles').innerText()).toContain('网格协管员');
    await page.getByRole('link', { name: '用人单位', exact: true }).click();
    await page.locator('#employers-list').waitFor();
    const names = await page.locator('#employers-list tbody tr td:first-child').allInnerTexts();
    expect(names).toEqual(['郑州宏达建筑劳务有限公司']);
    await screenshot(page, 'employers-list-grid-officer');

    await page.getByRole('link', { name: '郑州宏达建筑劳务有限公司' }).click();
    await page.locator('#employer-title').waitFor();
    expect(await page.locator('#employer-title').innerText()).toBe('郑州宏达建筑劳务有限公司');
    expect(await page.locator('[data-field="headcount"] td').first().innerText()).toBe('86');
    expect(await page.locator('#employer-completeness').innerText()).toContain('尚缺');

    await page.getByText('修改或补充档案信息').click();
    await page.locator('#edit-headcount').fill('92');
    await page.locator('#edit-migrantWorkers').fill('70');
    await page.locator('#edit-wagePayMethod').selectOption('bank');
    await page.locator('#edit-hasUnion').selectOption('true');
    await page.getByRole('button', { name: '保存' }).click();
    await page.waitForFunction(() => document.querySelector('[data-field="headcount"] td')?.textContent === '92');
    const row = await page.locator('[data-field="headcount"]').innerText();
    expect(row).toContain('协管员 马丽（网格采集）');
    expect(row).toMatch(/\d{4}\/\d{2}\/\d{2}/);
    expect(await page.locator('[data-field="wagePayMethod"] td').first().innerText()).toBe('银行代发');
    expect(await page.locator('[data-field="hasUnion"] td').first().innerText()).toBe('是');
    const history = await page.locator('#employer-history').innerText();
    expect(history).toContain('职工人数');
    expect(history).toContain('86');
    expect(history).toContain('92');
    expect(history).toContain('协管员 马丽');
    // The prevention sections have their places on the page.
    for (const slot of ['patrols', 'warnings', 'grade', 'listings']) expect(await page.locator(`[data-slot="${slot}"]`).count()).toBeGreaterThanOrEqual(1);
    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T|undefined|null|grid_officer|bank\b/);
    await screenshot(page, 'employer-page-grid-officer');

    // Another grid's employer: not found, like one that does not exist.
    const other = (await (await page.request.get(`${service.url}/api/employers?limit=50`)).json()) as { items: { id: string }[] };
    expect(other.items).toHaveLength(1);
    await page.goto(`${service.url}/employers/00000000-0000-4000-8000-000000000000`);
    await page.getByText('找不到该用人单位').waitFor();
    await page.close();
  });

  it('intake checks a register before importing it; the refused rows are named with their reasons', async () => {
    const page = await login('intake');
    await page.getByRole('link', { name: '用人单位', exact: true }).click();
    await page.locator('#import-check').waitFor();
    const csv = ['统一社会信用代码,单位名称,用工地址,从业人数', '91410103MA00000011,郑州新登记商贸有限公司,郑州市二七区铭功路 30 号,12',
      '91410103MA00000012,=HYPERLINK("http://evil.example"),郑州市二七区解放路 9 号,3', ',没有代码的公司,某地,1'].join('\n');
    // A valid code for the first row, computed the way the server checks it.
    const fixed = csv.replace('91410103MA00000011', makeCreditCode('91410103MA0000001'));
    await page.locator('#import-file').setInputFiles({ name: '企业名册.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed, 'utf8') });
    await page.locator('#import-check').click();
    await page.locator('#import-refused').waitFor();
    const report = await page.locator('#import-report').innerText();
    expect(report).toContain('新建 1');
    expect(report).toContain('不予导入 2');
    expect(report).toContain('公式');
    expect(report).toContain('缺少统一社会信用代码');
    await screenshot(page, 'employers-import-check');
    await page.locator('#import-confirm').click();
    await page.getByText('已导入').waitFor();
    await page.goto(`${service.url}/employers?q=${encodeURIComponent('新登记')}`);
    await page.locator('#employers-list').waitFor();
    const row = await page.locator('#employers-list tbody tr').innerText();
    expect(row).toContain('郑州新登记商贸有限公司');
    expect(row).toContain('铭功路社区'); // placed by the demo's street rule
    await page.close();
  });

  it('admin sees the grids\' people with their training and the address rules', async () => {
    const page = await login('admin');
    await page.getByRole('link', { name: '网格人员' }).click();
    await page.locator('#grid-staff').waitFor();
    const staff = await page.locator('#grid-staff').innerText();
    expect(staff).toContain('协管员');
    expect(staff).toContain('马丽');
    expect(staff).toContain('专职监察员');
    expect(staff).toMatch(/1 次，共 4 学时/);
    expect(await page.locator('#address-rules').innerText()).toContain('解放路（全部门牌）');
    expect(await page.locator('main').innerText()).not.toMatch(/grid_assistant|full_time|street|null|undefined/);
    await screenshot(page, 'grid-staff-admin');
    await page.close();
  });
});
