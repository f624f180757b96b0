/**
 * Personal data stays out of the logs: a refused body (validation, a `__proto__` key, broken JSON) and
 * an internal database error whose statement carried an 18-digit ID number and a phone number leave
 * neither in the log text, while the log still says what went wrong.
 */
import http from 'node:http';
import { Writable } from 'node:stream';
import Router from '@koa/router';
import request from 'supertest';
import { SessionService } from '../../../src/auth/sessions';
import { TestClock } from '../../../src/clock/clock';
import { loadSettings } from '../../../src/config/settings';
import { Core, createCore } from '../../../src/core';
import { DEMO_PASSWORD, seedDemoData } from '../../../src/demo/seed';
import { createApp } from '../../../src/http/app';
import type { AppState } from '../../../src/http/context';
import { createLogger } from '../../../src/logging';
import { createTestDatabase, TestDatabase, testDbKinds } from '../../support/db';
import { complaintBody } from '../../support/lifecycle';

jest.setTimeout(120_000);

const ID_NUMBER = '11010519491231002X';
const PHONE = '13912345678';

describe.each(testDbKinds())('logs without personal data on %s', (kind) => {
  let db: TestDatabase;
  let core: Core;
  let server: http.Server;
  const lines: string[] = [];
  const logText = () => lines.join('');

  beforeAll(async () => {
    db = await createTestDatabase(kind, 'logs');
    const clock = new TestClock();
    const settings = loadSettings({ NODE_ENV: 'test', TEST_CLOCK: '1', SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'info' });
    await seedDemoData(db.ds, clock.now());
    const logger = createLogger('info', new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } }));
    core = await createCore(db.ds, clock, settings, logger);
    const sessions = new SessionService(db.ds, clock, {
      secret: settings.SESSION_SECRET!, ttlHours: settings.SESSION_TTL_HOURS, maxFailures: settings.LOGIN_MAX_FAILURES, lockMinutes: settings.LOGIN_LOCK_MINUTES,
    });
    // A route that fails inside the database with the caller's values as statement parameters.
    const probe = new Router<AppState>();
    probe.post('/api/log-probe', async (ctx) => {
      const { idNumber, phone } = ctx.request.body as { idNumber: string; phone: string };
      await db.ds.query('CREATE TABLE IF NOT EXISTS log_probe (v VARCHAR(64) PRIMARY KEY, w VARCHAR(64))');
      await db.ds.query('INSERT INTO log_probe (v, w) VALUES (?, ?)', [idNumber, phone]);
      await db.ds.query('INSERT INTO log_probe (v, w) VALUES (?, ?)', [idNumber, phone]);
      ctx.body = {};
    });
    const app = createApp({ settings, ds: db.ds, clock, logger, sessions, engine: core.engine, rules: core.rules }, { routers: [probe] });
    core.start();
    server = http.createServer(app.callback());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(async () => {
    if (server) await new Promise<void>((r) => server.close(() => r()));
    await core?.stop();
    await db?.close();
  });

  async function intake() {
    const agent = request.agent(server);
    expect((await agent.post('/api/session').send({ username: 'intake', password: DEMO_PASSWORD })).status).toBe(201);
    return agent;
  }

  function expectClean() {
    expect(logText()).not.toContain(ID_NUMBER);
    expect(logText()).not.toContain(PHONE);
    expect(logText()).not.toContain(ID_NUMBER.slice(0, 17));
  }

  const person = { name: '李四', idType: '居民身份证', idNumber: ID_NUMBER, phone: PHONE };

  it('keeps refused bodies out of the log', async () => {
    const agent = await intake();
    const invalid = await agent.post('/api/complaints').send(complaintBody({ channel: 'fax', complainants: [person] }));
    expect(invalid.status).toBe(400);
    const proto = await agent.post('/api/complaints').set('Content-Type', 'application/json')
      .send(`{"channel":"window","complainants":[{"name":"李四","idNumber":"${ID_NUMBER}","phone":"${PHONE}","__proto__":{"x":1}}]}`);
    expect(proto.status).toBe(400);
    const broken = await agent.post('/api/complaints').set('Content-Type', 'application/json').send(`{"idNumber":"${ID_NUMBER}","phone":"${PHONE}",`);
    expect(broken.status).toBe(400);
    expect(logText()).toContain('request refused');
    expectClean();
  });

  it('logs an internal database error without its parameters or the values its message quotes', async () => {
    const agent = await intake();
    const res = await agent.post('/api/log-probe').send({ idNumber: ID_NUMBER, phone: PHONE });
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('INTERNAL');
    const line = lines.map((l) => JSON.parse(l) as { msg: string; err?: { type?: string; query?: string } }).find((l) => l.msg === 'unexpected error');
    expect(line?.err?.type).toBe('QueryFailedError');
    expect(line?.err?.query).toContain('INSERT INTO log_probe');
    expectClean();
  });

  it('redacts personal fields and bodies wherever a log call puts them', () => {
    const before = lines.length;
    const logger = createLogger('info', new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } }));
    logger.info({ complainant: person, body: { complainants: [person] }, parameters: [ID_NUMBER], idNumber: ID_NUMBER }, 'probe');
    expect(lines.length).toBe(before + 1);
    expect(lines[before]).toContain('probe');
    expectClean();
  });
});
