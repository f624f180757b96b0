/**
 * Where a case stands, for a handler: the app with the case-view routes mounted (src/http/routes/case-view.ts)
 * gives each process instance of a case with its completed and active elements, and the case page marks
 * them on the diagram. Another grid's handler gets 404 from the route and nothing from the inbox lookup.
 */
import http from 'node:http';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { SessionService } from '../../src/auth/sessions';
import { TestClock } from '../../src/clock/clock';
import { loadSettings } from '../../src/config/settings';
import { Core, createCore } from '../../src/core';
import { DEMO_PASSWORD, seedDemoData } from '../../src/demo/seed';
import { createApp } from '../../src/http/app';
import type { AppDeps } from '../../src/http/context';
import { caseViewRoutes } from '../../src/http/routes/case-view';
import { launchBrowser, screenshot } from '../support/browser';
import { createTestDatabase, TestDatabase } from '../support/db';
import { chromiumAvailable } from '../support/environment';
import { ensureWebBuilt } from '../support/web-build';

jest.setTimeout(120_000);

interface ProcessItem { processInstanceKey: string; bpmnProcessId: string; state: string; activeElementIds: string[]; completedElementIds: string[] }

(chromiumAvailable() ? describe : describe.skip)('the case page with the case-view routes', () => {
  let db: TestDatabase;
  let core: Core;
  let server: http.Server;
  let url: string;
  let browser: Browser;
  let caseId: string;
  let caseNumber: string;

  const login = async (username: string) => {
    const agent = request.agent(server);
    expect((await agent.post('/api/session').send({ username, password: DEMO_PASSWORD })).status).toBe(201);
    return agent;
  };

  beforeAll(async () => {
    await ensureWebBuilt();
    db = await createTestDatabase('sqlite', 'case-view');
    const clock = new TestClock();
    const settings = loadSettings({ NODE_ENV: 'test', TEST_CLOCK: '1', SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent' });
    await seedDemoData(db.ds, clock.now());
    const logger = pino({ level: 'silent' });
    const sessions = new SessionService(db.ds, clock, {
      secret: settings.SESSION_SECRET!, ttlHours: settings.SESSION_TTL_HOURS, maxFailures: settings.LOGIN_MAX_FAILURES, lockMinutes: settings.LOGIN_LOCK_MINUTES,
    });
    core = await createCore(db.ds, clock, settings, logger);
    const deps: AppDeps = { settings, ds: db.ds, clock, logger, sessions, engine: core.engine, rules: core.rules };
    const app = createApp(deps, { routers: [caseViewRoutes(deps)] });
    core.start();
    server = http.createServer(app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    browser = await launchBrowser();

    const intake = await login('intake');
    const employers = await intake.get('/api/employers?q=' + encodeURIComponent('宏达'));
    const registered = await intake.post('/api/complaints').send({
      channel: 'phone', complainants: [{ name: '陈刚', phone: '13900000000' }], employer: { employerId: employers.body.items[0].id },
      workers: [{ name: '陈刚', amountOwed: 9000, monthsOwed: 3 }], claims: [{ category: 'wage-arrears', description: '拖欠三个月工资' }], summary: '工地钢筋工，拖欠三个月工资。',
    });
    expect(registered.status).toBe(201);
    ({ caseId, caseNumber } = registered.body);
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await core?.stop();
    await db?.close();
  });

  it('answers each process of the case with its completed and active elements, for the case\'s grid only', async () => {
    const handler1 = await login('handler1');
    let items: ProcessItem[] = [];
    for (let i = 0; i < 60; i++) {
      items = (await handler1.get(`/api/cases/${caseId}/processes`).expect(200)).body.items;
      if (items[0]?.activeElementIds.includes('Task_Triage')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ bpmnProcessId: 'intake-and-routing', state: 'active', activeElementIds: ['Task_Triage'] });
    expect(items[0].completedElementIds).toEqual(expect.arrayContaining(['Start_Complaint', 'Task_AssessComplaint']));

    const handler2 = await login('handler2');
    expect((await handler2.get(`/api/cases/${caseId}/processes`)).status).toBe(404);

    const intake = await login('intake');
    const triage = (await intake.get('/api/tasks?scope=group')).body.items.find((t: { elementId: string }) => t.elementId === 'Task_Triage');
    expect((await intake.get(`/api/task-cases?keys=${triage.key}`)).body.items).toEqual([
      { taskKey: triage.key, caseId, caseNumber, employerName: '郑州宏达建筑劳务有限公司', status: expect.any(String) },
    ]);
    expect((await handler2.get(`/api/task-cases?keys=${triage.key}`)).body.items).toEqual([]);
    expect((await intake.get('/api/task-cases?keys=abc')).status).toBe(400);
  });

  it('marks the completed elements and the current position on the handler\'s case page', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.getByLabel('用户名').fill('handler1');
    await page.getByLabel('密码').fill('demo1234');
    await page.keyboard.press('Enter');
    await page.locator('#roles').waitFor();
    await page.goto(`${url}/cases/${caseId}`);
    await page.locator('figure.diagram .djs-element.current').first().waitFor();
    expect(await page.locator('figure.diagram .djs-element.current').getAttribute('data-element-id')).toBe('Task_Triage');
    expect(await page.locator('figure.diagram .djs-element.done').count()).toBeGreaterThan(3);
    expect(await page.locator('figure.diagram .where').innerText()).toContain('诉前引导分流');
    // The zoom buttons work from the keyboard.
    await page.getByRole('button', { name: '全图' }).focus();
    await page.keyboard.press('Enter');
    await screenshot(page, 'case-diagram-handler1');
    expect(errors).toEqual([]);
    await context.close();
  });
});
