/**
 * An end-to-end browser test's set-up and its steps as a user takes them. The service runs as its own
 * process on a fresh SQLite data folder with the test clock on; the test reads that file (read-only)
 * only to wait until the workers have come to rest after a submission, and to fail early, naming the
 * incident, when a step of the case could not go on. Everything else is done on the pages: the menu,
 * the case list, the case's task list, claiming, filling the form, submitting. The only API call is the
 * test clock (`advanceClock`).
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Locator, Page } from 'playwright-core';
import { PageChecker } from './page-checks';
import type { ServiceProcess } from './service-process';
import { logIn, startServiceWithBrowser, type ServiceWithBrowser } from './service-browser';

export interface E2eSession {
  readonly service: ServiceProcess;
  readonly pageErrors: string[];
  readonly checks: PageChecker;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A page logged in as `username` through the login form (demo password), on the home page. */
  loginPage(username: string): Promise<Page>;
  /** Waits until no job waits for a worker over consecutive reads; throws on an open incident. */
  atRest(timeoutMs?: number): Promise<void>;
  /** Moves the service's clock forward (the one call outside the UI) and waits for the timers' work. */
  advanceClock(page: Page, duration: string): Promise<Date>;
  /** The service's clock. */
  now(page: Page): Promise<Date>;
  /** The page opened last: a failing step saves it to show where it stopped. */
  readonly lastPage: Page | undefined;
  /**
   * Sets the page's clock to the service's (the fields that default to now, and the checks that a date
   * is not in the future, then agree with the service after the test clock moved). Call it just before
   * filling a form with dates, so that its now is not before what the service did last.
   */
  syncClock(page: Page): Promise<Date>;
}

export function e2eSession(label: string, viewport = { width: 1280, height: 900 }): E2eSession {
  let running: ServiceWithBrowser | undefined;
  let db: Database.Database | undefined;
  const pageErrors: string[] = [];
  const started = () => { if (!running) throw new Error('session not started'); return running; };
  let lastPage: Page | undefined;

  const database = () => {
    db ??= new Database(path.join(started().dataDir, 'inspection.sqlite'), { readonly: true, fileMustExist: true });
    return db;
  };
  const one = (sql: string) => database().prepare(sql).get() as Record<string, unknown> | undefined;

  const session: E2eSession = {
    get service() { return started().service; },
    pageErrors,
    checks: new PageChecker(),
    get lastPage() { return lastPage; },
    async start() {
      running = await startServiceWithBrowser(`e2e-${label}`, viewport);
    },
    async stop() {
      db?.close();
      await running?.stop();
    },
    async loginPage(username) {
      const page = await (await started().newContext()).newPage();
      lastPage = page;
      return logIn(page, session.service.url, username, pageErrors);
    },
    async atRest(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      let quiet = 0;
      while (Date.now() < deadline) {
        const incident = one("SELECT element_id AS elementId, error_message AS message FROM engine_incidents WHERE state = 'active' LIMIT 1");
        if (incident) throw new Error(`incident at ${String(incident.elementId)}: ${String(incident.message)}`);
        const pending = Number(one("SELECT COUNT(*) AS n FROM engine_jobs WHERE state <> 'failed'")?.n ?? 0);
        quiet = pending === 0 ? quiet + 1 : 0;
        if (quiet >= 3) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      const jobs = database().prepare("SELECT type, state, retries, error_message AS message FROM engine_jobs WHERE state <> 'failed' LIMIT 5").all() as Record<string, unknown>[];
      throw new Error(`the workers did not come to rest within ${timeoutMs / 1000} s; waiting: ${jobs.map((j) => `${String(j.type)} (${String(j.state)}, ${String(j.retries)} retries left${j.message ? ': ' + String(j.message) : ''})`).join(' | ')}\nservice log:\n${session.service.output().slice(-3000)}`);
    },
    async now(page) {
      const r = await page.request.get(`${session.service.url}/api/test/clock`);
      return new Date(((await r.json()) as { now: string }).now);
    },
    async syncClock(page) {
      const now = await session.now(page);
      await page.clock.setFixedTime(now);
      return now;
    },
    async advanceClock(page, duration) {
      const r = await page.request.post(`${session.service.url}/api/test/clock`, { data: { advance: duration } });
      if (r.status() !== 200) throw new Error(`test clock: ${r.status()} ${await r.text()}`);
      await session.atRest();
      return new Date(((await r.json()) as { now: string }).now);
    },
  };
  return session;
}

/** Beijing calendar day of `d` as a Chinese browser's date pickers write it: 2026/12/6. */
export function pickerDate(d: Date): string {
  const local = new Date(d.getTime() + 8 * 3600_000);
  return `${local.getUTCFullYear()}/${local.getUTCMonth() + 1}/${local.getUTCDate()}`;
}

/**
 * Opens the case through 案件查询: types its number as the keyword, and follows its row.
 */
export async function openCase(page: Page, caseNumber: string): Promise<void> {
  await page.getByRole('link', { name: '案件查询', exact: true }).click();
  await page.getByLabel('关键词').fill(caseNumber);
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(/q=/);
  await page.locator('#cases-list a', { hasText: caseNumber }).first().click();
  await page.locator('#case-title').waitFor();
}

/**
 * From the case page, through 该案件的待办任务, opens the case's task named `taskName`, claiming it
 * when nobody has; the page is left on the task with its form ready. The list is read again (the
 * page reloaded) while the workers bring the case to that task.
 */
export async function openTaskOfCase(session: E2eSession, page: Page, caseNumber: string, taskName: string, timeoutMs = 30_000): Promise<void> {
  if (!(await page.locator('#case-title').count())) await openCase(page, caseNumber);
  await session.atRest();
  await page.getByRole('link', { name: '该案件的待办任务' }).click();
  const row = page.locator('#tasks tbody tr[data-task]').filter({ has: page.getByRole('link', { name: taskName, exact: true }) });
  const end = Date.now() + timeoutMs;
  while (!(await row.count())) {
    if (Date.now() > end) throw new Error(`the case's tasks do not list ${taskName}: ${await page.locator('#tasks tbody').innerText()}`);
    await session.atRest();
    await page.reload();
    await page.locator('#tasks').waitFor();
  }
  const claim = row.first().getByRole('button', { name: '领取' });
  if (await claim.count()) {
    await claim.click();
    await page.locator('#inbox-status', { hasText: '已领取' }).waitFor();
  }
  await row.first().getByRole('link', { name: '办理' }).click();
  await page.locator('#task-title', { hasText: taskName }).waitFor();
  await page.locator('#task-form .fjs-form').waitFor();
  await page.locator('#task-submit').waitFor();
}

/** Submits the task's form; waits for the confirmation and for the workers to act on it. */
export async function submitTask(session: E2eSession, page: Page): Promise<void> {
  await page.locator('#task-submit').click();
  const message = page.locator('#task-message:not([hidden])');
  await message.waitFor();
  const text = await message.innerText();
  if (!text.includes('已提交')) throw new Error(`the task was not submitted: ${text}`);
  await session.atRest();
}

/**
 * Opens the form-js select labelled `label` (its own drop-down list, not a native select) and returns
 * the list's items; a native select is answered with its options.
 */
export async function openFormSelect(page: Page, label: string): Promise<Locator> {
  const id = await page.locator('#task-form label', { hasText: label }).first().getAttribute('for');
  if (!id) throw new Error(`no field labelled ${label}`);
  const control = page.locator(`[id="${id}"]`);
  if ((await control.evaluate((e) => e.tagName)) === 'SELECT') return control.locator('option');
  await page.locator('#task-form .fjs-input-group').filter({ has: control }).click();
  return page.locator('#task-form .fjs-dropdownlist-item');
}

/** Chooses `option` in the form's select labelled `label`. */
export async function chooseInForm(page: Page, label: string, option: string): Promise<void> {
  const id = await page.locator('#task-form label', { hasText: label }).first().getAttribute('for');
  const control = page.locator(`[id="${id}"]`);
  if (id && (await control.evaluate((e) => e.tagName)) === 'SELECT') {
    await control.selectOption({ label: option });
    return;
  }
  await (await openFormSelect(page, label)).filter({ hasText: option }).first().click();
}

/** Types a date (or a time) into the form's field labelled `label` and leaves the field, as a user does. */
export async function fillFormDate(page: Page, label: string | RegExp, value: string): Promise<void> {
  const input: Locator = page.locator('#task-form').getByLabel(label).first();
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  await page.locator('#task-title').click();
}
