/**
 * The login's trust boundary: parallel guesses, lockouts per address, the per-address limit, stale
 * counters, the trusted proxy, exact usernames, the first-administrator command and the production
 * start's demo accounts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { SessionService } from '../../../src/auth/sessions';
import { hashPassword } from '../../../src/auth/passwords';
import { TestClock } from '../../../src/clock/clock';
import { openDatabase } from '../../../src/db/data-source';
import { Session, User, UserRole } from '../../../src/db/entities';
import { DEMO_PASSWORD, DEMO_USERNAMES, seedDemoData } from '../../../src/demo/seed';
import { checkProductionAccounts } from '../../../src/service';
import { startTestApp, TestApp } from '../../support/app';
import { createMariadbDatabase, createTestDatabase, dropMariadbDatabase, testDbKinds, TestDbKind } from '../../support/db';

const ROOT = path.join(__dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

type Res = { status: number; body: { error?: { code: string } }; headers: Record<string, string | string[] | undefined> };

function codes(results: Res[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    const key = r.status === 201 ? '201' : `${r.status} ${r.body.error?.code}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

function cookieLine(res: Res): string {
  const lines = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return lines.find((l) => l.startsWith('lsi_session=')) ?? '';
}

describe.each(testDbKinds())('login security on %s', (kind) => {
  /** Behind a trusted proxy on the loopback, so each test can speak from its own client address. */
  let t: TestApp;
  /** Nothing trusted: forwarded headers must not count. */
  let plain: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, 'login_proxy', { TRUSTED_PROXY: 'loopback' });
    plain = await startTestApp(kind, 'login_plain');
  });
  afterAll(async () => {
    await t?.close();
    await plain?.close();
  });

  const login = (app: TestApp, from: string | null, username: string, password: string) => {
    const req = app.anonymous().post('/api/session');
    if (from) req.set('X-Forwarded-For', from);
    return req.send({ username, password }) as unknown as Promise<Res>;
  };

  it('checks at most LOGIN_MAX_FAILURES passwords of a parallel burst, and a correct password after it gets 429', async () => {
    const burst = await Promise.all(Array.from({ length: 80 }, (_, i) => login(t, '203.0.113.10', 'legal', `wrong-${i}`)));
    const seen = codes(burst);
    // Exactly the five reserved attempts were checked; every other one was refused before any check.
    expect(seen).toEqual({ '401 BAD_CREDENTIALS': 5, '429 LOGIN_LOCKED': 75 });
    const locked = burst.find((r) => r.status === 429)!;
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);

    const mixed = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => login(t, '203.0.113.10', 'legal', `again-${i}`)),
      login(t, '203.0.113.10', 'legal', DEMO_PASSWORD),
    ]);
    expect(codes(mixed)).toEqual({ '429 LOGIN_LOCKED': 11 });
  });

  it('lets at most LOGIN_MAX_FAILURES attempts through when the right password is inside the burst', async () => {
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => login(t, '203.0.113.11', 'legal', i === 20 ? DEMO_PASSWORD : `wrong-${i}`)));
    const seen = codes(burst);
    expect((seen['401 BAD_CREDENTIALS'] ?? 0) + (seen['201'] ?? 0)).toBeLessThanOrEqual(5);
    expect((seen['429 LOGIN_LOCKED'] ?? 0)).toBeGreaterThanOrEqual(35);
  });

  it('locks a username only for the address the failures came from', async () => {
    for (let i = 0; i < 5; i++) expect((await login(t, '203.0.113.20', 'handler1', 'wrong')).body.error?.code).toBe('BAD_CREDENTIALS');
    const there = await login(t, '203.0.113.20', 'handler1', DEMO_PASSWORD);
    expect(there.status).toBe(429);
    expect(there.body.error?.code).toBe('LOGIN_LOCKED');
    expect(Number(there.headers['retry-after'])).toBeGreaterThan(0);
    // The user at their own desk is not locked out by someone else's guessing.
    expect((await login(t, '203.0.113.21', 'handler1', DEMO_PASSWORD)).status).toBe(201);
  });

  it('believes only the forwarded address its trusted proxy appended', async () => {
    // The client sends its own X-Forwarded-For; the proxy appends the real address.
    for (let i = 0; i < 5; i++) await login(t, `198.18.0.${i}, 203.0.113.25`, 'handler2', 'wrong');
    const spoofed = await login(t, '198.18.1.1, 203.0.113.25', 'handler2', DEMO_PASSWORD);
    expect(spoofed.body.error?.code).toBe('LOGIN_LOCKED');
  });

  it('refuses an address after LOGIN_ADDRESS_MAX_FAILURES failures over all usernames with 429 LOGIN_RATE_LIMITED', async () => {
    const burst = await Promise.all(Array.from({ length: 45 }, (_, i) => login(t, '203.0.113.30', `made-up-${i}`, 'guess')));
    expect(codes(burst)).toEqual({ '401 BAD_CREDENTIALS': 30, '429 LOGIN_RATE_LIMITED': 15 });
    const next = await login(t, '203.0.113.30', 'intake', DEMO_PASSWORD);
    expect(next.status).toBe(429);
    expect(next.body.error?.code).toBe('LOGIN_RATE_LIMITED');
    expect(Number(next.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect((await login(t, '203.0.113.31', 'intake', DEMO_PASSWORD)).status).toBe(201);
  });

  it('does not count successful logins against the address', async () => {
    for (let i = 0; i < 40; i++) expect((await login(t, '203.0.113.35', 'supervisor', DEMO_PASSWORD)).status).toBe(201);
  });

  it('matches usernames exactly: no other case, no trailing spaces', async () => {
    for (const username of ['ADMIN', 'Admin', 'admin ', 'ADMIN ']) {
      const res = await login(t, '203.0.113.40', username, DEMO_PASSWORD);
      expect(res.status).toBe(401);
      expect(res.body.error?.code).toBe('BAD_CREDENTIALS');
    }
    expect((await login(t, '203.0.113.41', 'admin', DEMO_PASSWORD)).status).toBe(201);
    const admin = await t.login('admin');
    const users = async () => Number((await t.db.ds.query('SELECT COUNT(*) AS n FROM users'))[0].n);
    const before = await users();
    for (const username of ['Admin', 'admin ']) {
      const res = await admin.post('/api/users').send({ username, displayName: 'x', password: 'Strong-password-1', roles: ['admin'] });
      expect(res.status).toBe(400);
    }
    expect((await admin.post('/api/users').send({ username: 'admin', displayName: 'x', password: 'Strong-password-1', roles: ['admin'] })).body.error.code).toBe('USERNAME_TAKEN');
    expect(await users()).toBe(before);
  });

  it('gives the cookie Secure behind a trusted HTTPS proxy only', async () => {
    const proxied = await t.anonymous().post('/api/session').set('X-Forwarded-Proto', 'https').set('X-Forwarded-For', '203.0.113.50').send({ username: 'intake', password: DEMO_PASSWORD });
    expect(proxied.status).toBe(201);
    expect(cookieLine(proxied)).toMatch(/;\s*secure/i);
    const direct = await t.anonymous().post('/api/session').set('X-Forwarded-For', '203.0.113.50').send({ username: 'intake', password: DEMO_PASSWORD });
    expect(cookieLine(direct)).not.toMatch(/;\s*secure/i);
    const untrusted = await plain.anonymous().post('/api/session').set('X-Forwarded-Proto', 'https').send({ username: 'intake', password: DEMO_PASSWORD });
    expect(untrusted.status).toBe(201);
    expect(cookieLine(untrusted)).toMatch(/^lsi_session=/);
    expect(cookieLine(untrusted)).not.toMatch(/;\s*secure/i);
  });

  it('ignores X-Forwarded-For without TRUSTED_PROXY', async () => {
    for (let i = 0; i < 5; i++) await login(plain, `198.51.100.${i}`, 'legal', 'wrong');
    const res = await login(plain, '198.51.100.99', 'legal', DEMO_PASSWORD);
    expect(res.status).toBe(429);
    expect(res.body.error?.code).toBe('LOGIN_LOCKED');
  });

  it('keeps no usernames and deletes counters once their window has passed', async () => {
    const rows = async (where = '1 = 1') => Number((await t.db.ds.query(`SELECT COUNT(*) AS n FROM login_failures WHERE ${where}`))[0].n);
    expect(await rows("kind = 'user'")).toBeGreaterThanOrEqual(30);
    const dump = JSON.stringify(await t.db.ds.query('SELECT * FROM login_failures'));
    expect(dump).not.toContain('made-up');
    expect(dump).not.toContain('203.0.113');

    t.clock.advance('PT16M');
    // Any login does the clean-up.
    expect((await login(t, '203.0.113.60', 'intake', DEMO_PASSWORD)).status).toBe(201);
    expect(await rows("kind = 'user'")).toBe(0);
    expect(await rows()).toBeLessThanOrEqual(1);
    // And the lock of the earlier burst is over.
    expect((await login(t, '203.0.113.10', 'legal', DEMO_PASSWORD)).status).toBe(201);
  });
});

describe.each(testDbKinds())('the admin:create command on %s', (kind: TestDbKind) => {
  let dir: string;
  let databaseUrl: string | undefined;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsi-admin-'));
    if (kind === 'mariadb') databaseUrl = await createMariadbDatabase('admin_create');
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (databaseUrl) await dropMariadbDatabase(databaseUrl);
  });

  function run(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<{ code: number | null; out: string }> {
    const child = spawn(TSX, ['scripts/admin-create.ts', ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), DATA_DIR: dir, LOG_LEVEL: 'silent',
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.stdin.end(stdin ?? '');
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
  }

  const office = ['--office-code', 'ZZ-JS', '--office-name', '郑州市金水区劳动保障监察大队', '--doc-prefix', '金人社监'];

  it('creates the first administrator of an empty production store, with its office, and refuses weak passwords and taken names', async () => {
    const weak = await run(['--username', 'wang.admin', '--display-name', '管理员 王', ...office], { ADMIN_PASSWORD: 'alllowercaseletters' });
    expect(weak.code).toBe(1);
    expect(weak.out).toMatch(/too weak/);
    expect(weak.out).not.toContain('alllowercaseletters');

    const noOffice = await run(['--username', 'wang.admin', '--display-name', '管理员 王'], { ADMIN_PASSWORD: 'Jinshui-admin-2026' });
    expect(noOffice.code).toBe(2);
    expect(noOffice.out).toMatch(/--office-code/);

    const made = await run(['--username', 'wang.admin', '--display-name', '管理员 王', ...office], { ADMIN_PASSWORD: 'Jinshui-admin-2026' });
    expect(made.out).toMatch(/created administrator wang\.admin/);
    expect(made.code).toBe(0);

    const again = await run(['--username', 'wang.admin', '--display-name', 'x'], { ADMIN_PASSWORD: 'Another-admin-2026' });
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/taken/);

    if (kind === 'sqlite') {
      // The password may come on standard input instead of the environment.
      const piped = await run(['--username', 'li.admin', '--display-name', '管理员 李'], {}, 'Second-admin-2026\n');
      expect(piped.out).toMatch(/created administrator li\.admin/);
      expect(piped.code).toBe(0);
    }

    const ds = await openDatabase({ databaseUrl, sqlitePath: path.join(dir, 'inspection.sqlite') });
    try {
      const user = await ds.manager.findOneOrFail(User, { where: { username: 'wang.admin' } });
      expect(user.active).toBe(true);
      expect((await ds.manager.find(UserRole, { where: { userId: user.id } })).map((r) => r.role)).toEqual(['admin']);
      const sessions = new SessionService(ds, new TestClock(), { secret: 'k'.repeat(40), ttlHours: 1, maxFailures: 5, lockMinutes: 15 });
      await expect(sessions.login('wang.admin', 'Jinshui-admin-2026')).resolves.toMatchObject({ userId: user.id });
      const audit = await ds.query("SELECT action, actor_name FROM audit_log WHERE entity_id = ? ORDER BY id", [user.id]);
      expect(audit).toEqual([{ action: 'user.create', actor_name: 'admin:create' }]);
    } finally {
      await ds.destroy();
    }
  });
});

describe.each(testDbKinds())('production start on %s', (kind) => {
  it('deactivates demo accounts that still have the demo password, ends their sessions and says so', async () => {
    const db = await createTestDatabase(kind, 'prod_start');
    try {
      const clock = new TestClock();
      await seedDemoData(db.ds, clock.now());
      // One demo name was given a real password: it is someone's account now and stays.
      await db.ds.manager.update(User, { username: 'legal' }, { passwordHash: await hashPassword('Real-legal-pass-9') });
      const sessions = new SessionService(db.ds, clock, { secret: 'k'.repeat(40), ttlHours: 12, maxFailures: 5, lockMinutes: 15 });
      await sessions.login('handler1', DEMO_PASSWORD);

      const lines: { level: number; msg: string; users?: string[] }[] = [];
      const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
      await checkProductionAccounts(db.ds, clock, logger);

      const users = await db.ds.manager.find(User);
      const active = users.filter((u) => u.active).map((u) => u.username);
      expect(active).toEqual(['legal']);
      const warned = lines.find((l) => l.users);
      expect(warned?.level).toBe(40);
      expect(warned?.users?.sort()).toEqual(DEMO_USERNAMES.filter((u) => u !== 'legal').sort());
      expect(lines.some((l) => /admin:create/.test(l.msg) && /no active administrator/.test(l.msg))).toBe(true);
      expect(JSON.stringify(lines)).not.toContain(DEMO_PASSWORD);
      expect(await db.ds.manager.count(Session)).toBe(0);
      await expect(sessions.login('admin', DEMO_PASSWORD)).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });

      // A second start finds nothing left to do.
      lines.length = 0;
      await checkProductionAccounts(db.ds, clock, logger);
      expect(lines.some((l) => l.users)).toBe(false);
    } finally {
      await db.close();
    }
  });
});
