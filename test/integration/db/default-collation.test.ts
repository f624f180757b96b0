/**
 * A MariaDB database made with a plain `CREATE DATABASE x` takes the server's default character set
 * and collation (MariaDB 10.11: utf8mb4_general_ci, older or configured servers: latin1), not the
 * utf8mb4_unicode_ci the service's connections use. The service must work on it: the overdue view
 * compares text of both, and Chinese names must survive a round trip.
 */
import http from 'node:http';
import mysql from 'mysql2/promise';
import pino from 'pino';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { SessionService } from '../../../src/auth/sessions';
import { TestClock } from '../../../src/clock/clock';
import { loadSettings } from '../../../src/config/settings';
import { Core, createCore } from '../../../src/core';
import { createDataSource, openDatabase } from '../../../src/db/data-source';
import { DEMO_PASSWORD, seedDemoData } from '../../../src/demo/seed';
import { createApp } from '../../../src/http/app';
import { complaintBody } from '../../support/lifecycle';
import { MARIADB_URL, mariadbAvailable } from '../../support/environment';

jest.setTimeout(120_000);

async function plainDatabase(charset?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `t_plain_${Math.random().toString(16).slice(2, 10)}`;
  const conn = await mysql.createConnection({ uri: MARIADB_URL });
  await conn.query(`CREATE DATABASE \`${name}\`${charset ? ` CHARACTER SET ${charset}` : ''}`);
  await conn.end();
  const url = new URL(MARIADB_URL);
  url.pathname = '/' + name;
  return {
    url: url.toString(),
    async drop() {
      const c = await mysql.createConnection({ uri: MARIADB_URL });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

(mariadbAvailable() ? describe : describe.skip)('a MariaDB database made with the server defaults', () => {
  it.each([[undefined], ['latin1']])('runs the service, the overdue view and Chinese text on CREATE DATABASE (charset %s)', async (charset) => {
    const db = await plainDatabase(charset);
    const clock = new TestClock();
    const settings = loadSettings({ NODE_ENV: 'test', TEST_CLOCK: '1', SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent' });
    const logger = pino({ level: 'silent' });
    let ds: DataSource | undefined;
    let core: Core | undefined;
    let server: http.Server | undefined;
    try {
      ds = await openDatabase({ databaseUrl: db.url });
      core = await createCore(ds, clock, settings, logger);
      const sessions = new SessionService(ds, clock, {
        secret: settings.SESSION_SECRET!, ttlHours: settings.SESSION_TTL_HOURS, maxFailures: settings.LOGIN_MAX_FAILURES, lockMinutes: settings.LOGIN_LOCK_MINUTES,
      });
      server = http.createServer(createApp({ settings, ds, clock, logger, sessions, engine: core.engine, rules: core.rules }).callback());
      await seedDemoData(ds, clock.now());
      core.start();
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
      const [server0] = (await ds.query('SELECT @@character_set_server AS cs, @@collation_server AS co')) as { cs: string; co: string }[];
      expect(server0.cs).toBeTruthy();

      const intake = request.agent(server);
      expect((await intake.post('/api/session').send({ username: 'intake', password: DEMO_PASSWORD })).status).toBe(201);
      const name = '郑州𠮷祥餐饮管理有限公司（二七分店）';
      const created = await intake.post('/api/complaints').send(complaintBody({ employer: { name, address: '郑州市二七区解放路 1 号' } }));
      expect(created.status).toBe(201);
      const detail = await intake.get(`/api/cases/${created.body.caseId}`);
      expect(JSON.stringify(detail.body)).toContain(name);
      const [stored] = (await ds.query("SELECT name FROM case_parties WHERE name LIKE '郑州%二七分店%'")) as { name: string }[];
      expect(stored.name).toBe(name);

      const supervisor = request.agent(server);
      expect((await supervisor.post('/api/session').send({ username: 'supervisor', password: DEMO_PASSWORD })).status).toBe(201);
      const overdue = await supervisor.get('/api/supervision/overdue');
      expect(overdue.status).toBe(200);
      const stats = await supervisor.get('/api/supervision/stats');
      expect(stats.status).toBe(200);
    } finally {
      if (server?.listening) await new Promise<void>((r) => server!.close(() => r()));
      await core?.stop();
      if (ds?.isInitialized) await ds.destroy();
      await db.drop();
    }
  });

  it('converts tables an earlier start left in another collation', async () => {
    const db = await plainDatabase();
    let ds: DataSource | undefined;
    try {
      // An earlier start: the migrations alone, tables in the server's default collation.
      ds = createDataSource({ databaseUrl: db.url });
      await ds.initialize();
      await ds.runMigrations({ transaction: 'all' });
      const fkCount = async (d: DataSource) => Number((await d.query(
        'SELECT COUNT(*) AS n FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()'))[0].n);
      const keysBefore = await fkCount(ds);
      expect(keysBefore).toBeGreaterThan(0);
      const [before] = (await ds.query("SELECT TABLE_COLLATION AS co FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'cases'")) as { co: string }[];
      expect(before.co).not.toBe('utf8mb4_unicode_ci');
      await ds.destroy();
      ds = await openDatabase({ databaseUrl: db.url });
      const odd = (await ds.query(
        "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_COLLATION <> 'utf8mb4_unicode_ci'")) as unknown[];
      expect(odd).toEqual([]);
      const [schema] = (await ds.query('SELECT DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()')) as { co: string }[];
      expect(schema.co).toBe('utf8mb4_unicode_ci');
      expect(await fkCount(ds)).toBe(keysBefore);
    } finally {
      if (ds?.isInitialized) await ds.destroy();
      await db.drop();
    }
  });
});
