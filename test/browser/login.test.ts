import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser';
import { chromiumAvailable } from '../support/environment';
import { ServiceProcess, startServiceProcess } from '../support/service-process';
import { ensureWebBuilt } from '../support/web-build';

jest.setTimeout(120_000);

const ROLES: [string, string][] = [
  ['intake', '窗口受理'], ['handler1', '监察员'], ['handler2', '监察员'], ['legal', '法制审核'], ['supervisor', '大队长/科长'], ['admin', '系统管理员'],
  ['grid1', '网格协管员'], ['coordinator1', '企业协管员'],
];

(chromiumAvailable() ? describe : describe.skip)('logging in from the browser', () => {
  let service: ServiceProcess;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    await ensureWebBuilt();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsi-browser-'));
    service = await startServiceProcess({ DATA_DIR: dataDir });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(ROLES)('%s logs in with the keyboard and sees their role and grid\'s employers', async (username, roleName) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(service.url);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill('demo1234');
    await page.keyboard.press('Enter');
    await page.locator('#roles').waitFor();
    expect(await page.locator('#roles').innerText()).toContain(roleName);
    const rows = await page.locator('#employers tbody tr').count();
    if (username === 'handler1' || username === 'handler2') expect(rows).toBe(2); // two employers per street in the demo data
    else if (username === 'grid1' || username === 'coordinator1') expect(rows).toBe(1); // one community's employer; the coordinator's own
    else expect(rows).toBe(4);
    // The scope line names what the user sees: a coordinator is not told they see the whole office.
    const scope = await page.locator('#scope').innerText();
    if (username === 'coordinator1') expect(scope).toContain('负责的用人单位：郑州宏达建筑劳务有限公司');
    else if (username === 'grid1') expect(scope).toContain('网格：解放路社区');
    else if (!username.startsWith('handler')) expect(scope).toContain('网格：全单位');
    await screenshot(page, `home-${username}`);
    await page.getByRole('button', { name: '退出' }).click();
    await page.getByLabel('用户名').waitFor();
    await page.close();
  });

  it('shows a clear message for a wrong password', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(service.url);
    await page.getByLabel('用户名').fill('intake');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForFunction(() => document.getElementById('login-error')?.textContent !== '');
    expect(await page.locator('#login-error').innerText()).toContain('用户名或密码错误');
    await screenshot(page, 'login-error');
    await page.close();
  });
});
