/**
 * Sessions: they end with a password change or a deactivation, live SESSION_TTL_HOURS after their
 * last use, and passwords chosen through the API follow the password policy.
 */
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';

type Res = { status: number; body: { error?: { code: string } }; headers: Record<string, string | string[] | undefined> };

function sessionCookie(res: Res): string | undefined {
  return ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((l) => l.startsWith('lsi_session='));
}

describe.each(testDbKinds())('sessions on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, 'sessions');
  });
  afterAll(() => t?.close());

  let serial = 0;
  async function newUser(password = 'First-password-1') {
    const admin = await t.login('admin');
    const username = `staff${++serial}`;
    const res = await admin.post('/api/users').send({ username, displayName: '职员', password, roles: ['intake'] });
    expect(res.status).toBe(201);
    return { admin, username, id: res.body.id as string, password };
  }

  it('ends every session of a user whose password an administrator resets', async () => {
    const u = await newUser();
    const desk = await t.login(u.username, u.password);
    const phone = await t.login(u.username, u.password);
    expect((await desk.get('/api/session')).status).toBe(200);
    const reset = await u.admin.patch(`/api/users/${u.id}`).send({ password: 'Second-password-2' });
    expect(reset.status).toBe(200);
    expect((await desk.get('/api/session')).status).toBe(401);
    expect((await phone.get('/api/session')).status).toBe(401);
    expect((await t.anonymous().post('/api/session').send({ username: u.username, password: u.password })).status).toBe(401);
    expect((await (await t.login(u.username, 'Second-password-2')).get('/api/session')).status).toBe(200);
    // Other changes leave sessions alone.
    const again = await t.login(u.username, 'Second-password-2');
    expect((await u.admin.patch(`/api/users/${u.id}`).send({ displayName: '职员 甲' })).status).toBe(200);
    expect((await again.get('/api/session')).status).toBe(200);
  });

  it('does not let an old cookie back in after deactivation and reactivation', async () => {
    const u = await newUser();
    const agent = await t.login(u.username, u.password);
    expect((await u.admin.patch(`/api/users/${u.id}`).send({ active: false })).status).toBe(200);
    expect((await agent.get('/api/session')).status).toBe(401);
    expect((await u.admin.patch(`/api/users/${u.id}`).send({ active: true })).status).toBe(200);
    expect((await agent.get('/api/session')).status).toBe(401);
    expect((await (await t.login(u.username, u.password)).get('/api/session')).status).toBe(200);
  });

  it('refuses weak passwords from the API with 400 WEAK_PASSWORD and changes nothing', async () => {
    const u = await newUser();
    const agent = await t.login(u.username, u.password);
    const users = async () => Number((await t.db.ds.query('SELECT COUNT(*) AS n FROM users'))[0].n);
    const before = await users();
    for (const password of ['short-1A', 'alllowercaseletters', '123456789012345', 'demo1234', 'Weakling-new']) {
      const username = password === 'Weakling-new' ? 'weakling-new' : 'weakling';
      const res = await u.admin.post('/api/users').send({ username, displayName: 'x', password, roles: ['intake'] });
      expect([password, res.status, res.body.error?.code]).toEqual([password, 400, 'WEAK_PASSWORD']);
    }
    expect(await users()).toBe(before);
    const patch = await u.admin.patch(`/api/users/${u.id}`).send({ password: 'onlyletterslong' });
    expect(patch.status).toBe(400);
    expect(patch.body.error?.code).toBe('WEAK_PASSWORD');
    // Refused: the old password and the user's session still work.
    expect((await agent.get('/api/session')).status).toBe(200);
    expect((await t.anonymous().post('/api/session').send({ username: u.username, password: u.password })).status).toBe(201);
  });

  it('keeps a session alive SESSION_TTL_HOURS after its last use, not after the login', async () => {
    const u = await newUser();
    const agent = await t.login(u.username, u.password);
    const expiry = async () => Number((await t.db.ds.query('SELECT MAX(expires_at) AS e FROM sessions WHERE user_id = ?', [u.id]))[0].e);
    const atLogin = await expiry();
    // Used again within a minute: nothing is written.
    const soon = await agent.get('/api/session');
    expect(soon.status).toBe(200);
    expect(sessionCookie(soon as Res)).toBeUndefined();
    expect(await expiry()).toBe(atLogin);

    t.clock.advance('PT11H');
    const asked = t.clock.now().getTime();
    const later = await agent.get('/api/session');
    expect(later.status).toBe(200);
    const moved = await expiry();
    expect(moved).toBeGreaterThanOrEqual(asked + 12 * 3600_000);
    expect(moved).toBeLessThanOrEqual(t.clock.now().getTime() + 12 * 3600_000);
    // The cookie's expiry moves with the session's.
    const cookie = sessionCookie(later as Res)!;
    expect(new Date(/expires=([^;]+)/i.exec(cookie)![1]).getTime()).toBe(Math.floor(moved / 1000) * 1000);

    t.clock.advance('PT11H');
    // 22 hours after the login, 11 after the last use.
    expect((await agent.get('/api/session')).status).toBe(200);
    t.clock.advance('PT13H');
    expect((await agent.get('/api/session')).status).toBe(401);
  });
});
