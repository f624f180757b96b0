/**
 * The HTTP app over a fresh test database with demo data, a test clock and silent logs.
 * `login(username)` gives a supertest agent that carries the session cookie.
 */
import http from 'node:http';
import pino from 'pino';
import request from 'supertest';
import { SessionService } from '../../src/auth/sessions';
import { TestClock } from '../../src/clock/clock';
import { loadSettings, Settings } from '../../src/config/settings';
import { DEMO_PASSWORD, seedDemoData } from '../../src/demo/seed';
import { Core, createCore } from '../../src/core';
import { AppExtras, createApp } from '../../src/http/app';
import { createTestDatabase, TestDatabase, TestDbKind } from './db';

export interface TestApp {
  db: TestDatabase;
  clock: TestClock;
  settings: Settings;
  core: Core;
  server: http.Server;
  login(username: string, password?: string): Promise<ReturnType<typeof request.agent>>;
  anonymous(): ReturnType<typeof request>;
  close(): Promise<void>;
}

export async function startTestApp(kind: TestDbKind, label: string, env: Record<string, string> = {}, extras: AppExtras = {}): Promise<TestApp> {
  const db = await createTestDatabase(kind, label);
  const clock = new TestClock();
  // The warning rules run when a test settles (lifecycle.settle) or asks (core.warningRules.runOnce), not
  // on their own timer, so that what they open never lands between a test's before and after counts.
  const settings = loadSettings({ NODE_ENV: 'test', TEST_CLOCK: '1', SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent', WARNING_RULES_POLL_MS: String(24 * 3600_000), ...env });
  await seedDemoData(db.ds, clock.now());
  const logger = pino({ level: 'silent' });
  const sessions = new SessionService(db.ds, clock, {
    secret: settings.SESSION_SECRET!, ttlHours: settings.SESSION_TTL_HOURS, maxFailures: settings.LOGIN_MAX_FAILURES, lockMinutes: settings.LOGIN_LOCK_MINUTES,
  });
  const core = await createCore(db.ds, clock, settings, logger);
  const app = createApp(
    { settings, ds: db.ds, clock, logger, sessions, engine: core.engine, rules: core.rules, engineStatus: async () => ({ kind: 'embedded', ok: true }) },
    { onClockAdvance: async () => { await core.engine.tick(); await core.supervision.runOnce(); }, ...extras },
  );
  core.start();
  const server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    db, clock, settings, core, server,
    async login(username, password = DEMO_PASSWORD) {
      const agent = request.agent(server);
      const res = await agent.post('/api/session').send({ username, password });
      if (res.status !== 201) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return agent;
    },
    anonymous: () => request(server),
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      await core.stop();
      await db.close();
    },
  };
}

/** Row counts of the tables a request could write, to prove that a refused request wrote nothing. */
export async function rowCounts(db: TestDatabase, tables = ['users', 'user_roles', 'user_grids', 'grids', 'employers', 'audit_log', 'sessions']): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await db.ds.query(`SELECT COUNT(*) AS n FROM ${t}`))[0].n);
  return out;
}
