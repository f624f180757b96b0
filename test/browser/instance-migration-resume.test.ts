/**
 * A migration run that a crash interrupted, in the browser: the service is killed (SIGKILL) with a run
 * of "move running cases to this version" still marked running in its database; after the restart,
 * legal staff see that run in the version comparison as interrupted (中断), with how many cases it had
 * moved, resume it with 继续迁移, and read the report. Every word on the panel in Chinese.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, screenshot } from '../support/browser';
import { chromiumAvailable } from '../support/environment';
import { complaintBody } from '../support/lifecycle';
import { unreadableParts } from '../support/page-checks';
import { startServiceProcess, type ServiceProcess } from '../support/service-process';
import { ensureWebBuilt } from '../support/web-build';

jest.setTimeout(240_000);

const PROCESS = 'intake-and-routing';
const XML = fs.readFileSync(path.join(__dirname, '../../workflows/intake-and-routing.bpmn'), 'utf8');
const RUN_ID = '00000000-0000-4000-8000-00000000e0b1';

(chromiumAvailable() ? describe : describe.skip)('resuming an interrupted migration run, in the browser', () => {
  let dataDir = '';
  let service: ServiceProcess | undefined;
  let browser: Browser | undefined;
  const pageErrors: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    await ensureWebBuilt();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsi-browser-migresume-'));
    service = await startServiceProcess({ DATA_DIR: dataDir, TEST_CLOCK: '1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await service?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const apiAs = async (username: string) => {
    const context = await browser!.newContext();
    contexts.push(context);
    const request = context.request;
    const res = await request.post(`${service!.url}/api/session`, { data: { username, password: 'demo1234' } });
    if (res.status() !== 201) throw new Error(`login ${username} failed: ${res.status()}`);
    return request;
  };

  it('legal staff resume the run a crash left, from the version comparison', async () => {
    const intake = await apiAs('intake');
    const employers = await intake.get(`${service!.url}/api/employers?q=${encodeURIComponent('宏达')}`);
    const employerId = ((await employers.json()) as { items: Array<{ id: string }> }).items[0].id;
    for (let i = 0; i < 2; i++) expect((await intake.post(`${service!.url}/api/complaints`, { data: complaintBody({ employer: { employerId } }) })).status()).toBe(201);
    const legal = await apiAs('legal');
    const deployed = await legal.post(`${service!.url}/api/workflows`, {
      data: { resources: [{ name: `${PROCESS}.bpmn`, content: XML.replace(/(<bpmn:userTask id="Task_Triage" name=")([^"]*)"/, '$1$2（新）"') }] },
    });
    expect(deployed.status()).toBeLessThan(300);

    // The crash: the process is killed while its run is marked running (its last heartbeat ten minutes ago).
    await service!.stop('SIGKILL');
    const db = new Database(path.join(dataDir, 'inspection.sqlite'));
    const keyOf = (version: number) => String((db.prepare('SELECT `key` FROM engine_process_definitions WHERE bpmn_process_id = ? AND version = ?').get(PROCESS, version) as { key: number }).key);
    const startedAt = Date.now() - 15 * 60_000;
    db.prepare(`INSERT INTO instance_migrations (id, bpmn_process_id, source_definition_key, source_version, target_definition_key, target_version, mappings_json, reason,
        state, total, done, migrated, failed, failures_json, started_by, started_at, finished_at, runner_id, heartbeat_at, migrated_before)
      VALUES (?, ?, ?, 1, ?, 2, ?, '分流环节更名', 'running', 2, 0, 0, 0, NULL, 'legal', ?, NULL, 'a-killed-process', ?, 0)`)
      .run(RUN_ID, PROCESS, keyOf(1), keyOf(2), JSON.stringify([{ sourceElementId: 'Task_Triage', targetElementId: 'Task_Triage' }]), startedAt, startedAt + 60_000);
    db.close();
    service = await startServiceProcess({ DATA_DIR: dataDir, TEST_CLOCK: '1' });

    const context = await browser!.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    await page.goto(service!.url);
    await page.getByLabel('用户名').fill('legal');
    await page.getByLabel('密码').fill('demo1234');
    await page.keyboard.press('Enter');
    await page.locator('#roles').waitFor();
    await page.goto(`${service!.url}/workflows/${PROCESS}`);
    await page.locator('#compare').waitFor({ timeout: 60_000 });
    await page.locator('select[data-compare="from"]').selectOption('1');
    await page.locator('select[data-compare="to"]').selectOption('2');
    await page.locator('#compare').click();
    const notice = page.locator(`#migration-interrupted [data-run="${RUN_ID}"]`);
    await notice.waitFor({ timeout: 60_000 });
    expect(await notice.innerText()).toContain('因系统停止而中断');
    expect(await notice.innerText()).toContain('中断前已迁移 0 件');
    await screenshot(page, 'instance-migration-interrupted');
    expect(unreadableParts(await page.locator('section.migration').innerText())).toEqual([]);

    await notice.getByRole('button', { name: '继续迁移' }).click();
    await page.getByText('迁移完成').waitFor({ timeout: 60_000 });
    const res = await (await apiAs('legal')).get(`${service!.url}/api/instance-migrations/${RUN_ID}`);
    const run = (await res.json()) as { state: string; migrated: number; total: number };
    expect(run.state).toBe('done');
    expect(run.migrated).toBe(run.total);
    expect(run.migrated).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#migration-status').innerText()).toContain(`已迁移 ${run.migrated} 件`);
    expect(unreadableParts(await page.locator('section.migration').innerText())).toEqual([]);
    await screenshot(page, 'instance-migration-resumed');
    expect(pageErrors).toEqual([]);
  });
});
