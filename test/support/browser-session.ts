/**
 * A browser test's set-up: the service as its own process (test clock on) on a fresh data folder,
 * headless Chromium, contexts in Chinese at Beijing time, and a record of page errors that each test
 * expects to stay empty. Call `session.start()` in beforeAll and `session.stop()` in afterAll.
 */
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import type { ServiceProcess } from './service-process';
import { logIn, startServiceWithBrowser, type ServiceWithBrowser } from './service-browser';

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
  let running: ServiceWithBrowser | undefined;
  const pageErrors: string[] = [];
  const started = () => { if (!running) throw new Error('session not started'); return running; };

  const session: BrowserSession = {
    get service() { return started().service; },
    get browser() { return started().browser; },
    pageErrors,
    async start() {
      running = await startServiceWithBrowser(`browser-${label}`, viewport);
    },
    async stop() {
      await running?.stop();
    },
    newContext: () => started().newContext(),
    async loginPage(username) {
      return logIn(await (await session.newContext()).newPage(), session.service.url, username, pageErrors);
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
