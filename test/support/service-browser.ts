/**
 * What both browser sessions (browser-session.ts, e2e-session.ts) stand on: the service as its own
 * process (test clock on) on a fresh data folder, headless Chromium, contexts in Chinese at Beijing
 * time, and logging in at the login page with the demo password.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { ServiceProcess, startServiceProcess } from './service-process';
import { ensureWebBuilt } from './web-build';

export interface ServiceWithBrowser {
  service: ServiceProcess;
  browser: Browser;
  /** The service's data folder (its SQLite file is `inspection.sqlite` there). */
  dataDir: string;
  /** A context as the offices' browsers are: Chinese, at Beijing time; closed by stop(). */
  newContext(): Promise<BrowserContext>;
  /** Contexts, browser, service, then the data folder. */
  stop(): Promise<void>;
}

export async function startServiceWithBrowser(label: string, viewport: { width: number; height: number }): Promise<ServiceWithBrowser> {
  await ensureWebBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `lsi-${label}-`));
  const service = await startServiceProcess({ DATA_DIR: dataDir, TEST_CLOCK: '1' });
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  return {
    service, browser, dataDir,
    async newContext() {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      contexts.push(context);
      return context;
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await service.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Logs `page` in as `username` with the demo password and waits for the home page; its page errors go to `pageErrors`. */
export async function logIn(page: Page, serviceUrl: string, username: string, pageErrors: string[]): Promise<Page> {
  page.on('pageerror', (e) => pageErrors.push(`${username}: ${e.message}`));
  await page.goto(serviceUrl);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill('demo1234');
  await page.keyboard.press('Enter');
  await page.locator('#roles').waitFor();
  return page;
}
