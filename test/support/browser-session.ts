/**
 * A browser test's set-up: the service as its own process (test clock on) on a fresh data folder,
 * headless Chromium, contexts in Chinese at Beijing time, and a record of page errors that each test
 * expects to stay empty. Call `session.start()` in beforeAll and `session.stop()` in afterAll.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { ServiceProcess, startServiceProcess } from './service-process';
import { ensureWebBuilt } from './web-build';

export interface BrowserSession {
  readonly service: ServiceProcess;
  readonly browser: Browser;
  readonly pageErrors: string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  newContext(): Promise<BrowserContext>;
  /** A page logged in as `username` (demo password), on the home page. */
  loginPage(username: string): Promise<Page>;
  /** An API client with `username`'s session cookie. */
  apiAs(username: string): Promise<APIRequestContext>;
}

export function browserSession(label: string, viewport = { width: 1280, height: 900 }): BrowserSession {
  let service: ServiceProcess | undefined;
  let browser: Browser | undefined;
  let dataDir = '';
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  const session: BrowserSession = {
    get service() { if (!service) throw new Error('session not started'); return service; },
    get browser() { if (!browser) throw new Error('session not started'); return browser; },
    pageErrors,
    async start() {
      await ensureWebBuilt();
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `lsi-browser-${label}-`));
      service = await startServiceProcess({ DATA_DIR: dataDir, TEST_CLOCK: '1' });
      browser = await launchBrowser();
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser?.close();
      await service?.stop();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
    async newContext() {
      const context = await session.browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      contexts.push(context);
      return context;
    },
    async loginPage(username) {
      const page = await (await session.newContext()).newPage();
      page.on('pageerror', (e) => pageErrors.push(`${username}: ${e.message}`));
      await page.goto(session.service.url);
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill('demo1234');
      await page.keyboard.press('Enter');
      await page.locator('#roles').waitFor();
      return page;
    },
    async apiAs(username) {
      const request = (await session.newContext()).request;
      const res = await request.post(`${session.service.url}/api/session`, { data: { username, password: 'demo1234' } });
      if (res.status() !== 201) throw new Error(`login ${username} failed: ${res.status()}`);
      return request;
    },
  };
  return session;
}
