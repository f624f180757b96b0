import { rowCounts, startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';

describe.each(testDbKinds())('foundation HTTP API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, 'foundation', { BODY_LIMIT_KB: '16' });
  });
  afterAll(() => t.close());

  async function employerIn(gridCode: string) {
    const admin = await t.login('admin');
    const grids = (await admin.get('/api/grids')).body.items as { id: string; code: string }[];
    const gridId = grids.find((g) => g.code === gridCode)!.id;
    const list = (await admin.get('/api/employers')).body.items as { id: string; gridId: string }[];
    return list.find((e) => e.gridId === gridId)!;
  }

  it('answers health with database and engine status, a request id and security headers', async () => {
    const res = await t.anonymous().get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: { ok: true, kind: kind === 'mariadb' ? 'mysql' : 'sqlite' } });
    expect(res.headers['x-request-id']).toMatch(/.{8,}/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it.each(['intake', 'handler1', 'handler2', 'legal', 'supervisor', 'admin'])('logs in the demo user %s and tells who they are', async (username) => {
    const agent = await t.login(username);
    const me = await agent.get('/api/session');
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(username);
    expect(me.body.roles).toEqual([username.replace(/\d$/, '')]);
    const out = await agent.delete('/api/session');
    expect(out.status).toBe(204);
    expect((await agent.get('/api/session')).status).toBe(401);
  });

  it('refuses a wrong password and locks the username after repeated failures', async () => {
    for (let i = 0; i < 4; i++) {
      const res = await t.anonymous().post('/api/session').send({ username: 'legal', password: 'wrong' });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('BAD_CREDENTIALS');
    }
    await t.anonymous().post('/api/session').send({ username: 'legal', password: 'wrong' });
    const locked = await t.anonymous().post('/api/session').send({ username: 'legal', password: 'demo1234' });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('LOGIN_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance('PT16M');
    expect((await t.anonymous().post('/api/session').send({ username: 'legal', password: 'demo1234' })).status).toBe(201);
  });

  it('answers 401 without a session and after the session expired, writing nothing', async () => {
    const gridId = (await employerIn('JF-01')).gridId;
    const before = await rowCounts(t.db);
    const none = await t.anonymous().post('/api/employers').send({ name: 'x' });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHENTICATED');
    const agent = await t.login('intake');
    const afterLogin = await rowCounts(t.db);
    t.clock.advance('PT13H');
    const expired = await agent.post('/api/employers').send({ name: 'x', address: 'y', gridId });
    expect(expired.status).toBe(401);
    expect(await rowCounts(t.db)).toEqual(afterLogin);
    expect(afterLogin.sessions).toBe(before.sessions + 1);
  });

  it('answers 400 INVALID_JSON for malformed JSON and writes nothing', async () => {
    const agent = await t.login('intake');
    const before = await rowCounts(t.db);
    const res = await agent.post('/api/employers').set('Content-Type', 'application/json').send('{"name": "a",');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'INVALID_JSON', message: expect.any(String) } });
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('answers 413 for a body over the limit and writes nothing', async () => {
    const agent = await t.login('intake');
    const before = await rowCounts(t.db);
    const res = await agent.post('/api/employers').send({ name: 'x'.repeat(20 * 1024), address: 'a' });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('answers 415 for a write that is not JSON', async () => {
    const agent = await t.login('intake');
    const res = await agent.post('/api/employers').set('Content-Type', 'application/x-www-form-urlencoded').send('name=x');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 400 naming unknown fields and wrong types, and writes nothing', async () => {
    const agent = await t.login('intake');
    const employer = await employerIn('JF-01');
    const before = await rowCounts(t.db);
    const unknown = await agent.post('/api/employers').send({ name: '某公司', address: '某路 1 号', gridId: employer.gridId, isAdmin: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('VALIDATION_FAILED');
    expect(unknown.body.error.details).toContainEqual({ path: 'body.isAdmin', message: 'unknown field' });
    expect(unknown.body.error.message).toContain('body.isAdmin');
    const wrongType = await agent.post('/api/employers').send({ name: '某公司', address: '某路 1 号', gridId: employer.gridId, headcount: 'many' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.details.map((d: { path: string }) => d.path)).toContain('body.headcount');
    const badQuery = await agent.get('/api/employers?limit=5000');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.error.details[0].path).toBe('query.limit');
    const badCode = await agent.post('/api/employers').send({ name: '某公司', address: '某路 1 号', gridId: employer.gridId, creditCode: '91410103000000001X' });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.details[0].path).toBe('body.creditCode');
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('answers 403 for the wrong role and writes nothing', async () => {
    const handler = await t.login('handler1');
    const before = await rowCounts(t.db);
    const res = await handler.post('/api/users').send({ username: 'mallory', displayName: 'M', password: 'password1', roles: ['admin'] });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await handler.post('/api/grids').send({ code: 'X1', name: 'x' })).status).toBe(403);
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('hides records outside the handler\'s grids behind 404, for reads and writes', async () => {
    const jf = await employerIn('JF-01');
    const rm = await employerIn('RM-01');
    const handler1 = await t.login('handler1');
    const handler2 = await t.login('handler2');
    expect((await handler1.get(`/api/employers/${jf.id}`)).status).toBe(200);
    const before = await rowCounts(t.db);
    const foreign = await handler2.get(`/api/employers/${jf.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('NOT_FOUND');
    const forgedWrite = await handler2.patch(`/api/employers/${jf.id}`).send({ phone: '123' });
    expect(forgedWrite.status).toBe(404);
    const forged = await handler2.get('/api/employers/00000000-0000-4000-8000-000000000000');
    expect(forged.status).toBe(404);
    expect(forged.body.error.message).toBe(foreign.body.error.message.replace(jf.id, '00000000-0000-4000-8000-000000000000'));
    const list = (await handler2.get('/api/employers')).body.items.map((e: { id: string }) => e.id);
    expect(list).toContain(rm.id);
    expect(list).not.toContain(jf.id);
    expect(await rowCounts(t.db)).toEqual(before);
    // The supervisor sees the whole office.
    const supervisor = await t.login('supervisor');
    expect((await supervisor.get(`/api/employers/${jf.id}`)).status).toBe(200);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await t.anonymous().get('/api/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('writes each change and its audit entry together, with before and after', async () => {
    const intake = await t.login('intake');
    const grid = (await intake.get('/api/grids')).body.items.find((g: { code: string }) => g.code === 'RM-02');
    const created = await intake.post('/api/employers').send({ name: '郑州新星服装厂', address: '丰产路 20 号', gridId: grid.id, headcount: 30 });
    expect(created.status).toBe(201);
    const updated = await intake.patch(`/api/employers/${created.body.id}`).send({ headcount: 35 });
    expect(updated.status).toBe(200);
    const supervisor = await t.login('supervisor');
    const trail = (await supervisor.get(`/api/audit?entityType=employer&entityId=${created.body.id}`)).body.items;
    expect(trail.map((e: { action: string }) => e.action)).toEqual(['employer.update', 'employer.create']);
    expect(trail[0]).toMatchObject({ actorName: 'intake', before: { headcount: 30 }, after: { headcount: 35 } });
    expect(trail[0].requestId).toMatch(/.{8,}/);
  });

  it('serves concurrent writes', async () => {
    const intake = await t.login('intake');
    const grid = (await intake.get('/api/grids')).body.items.find((g: { code: string }) => g.code === 'JF-02');
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => intake.post('/api/employers').send({ name: `并发单位${i}`, address: '路', gridId: grid.id })));
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
  });

  it('lets admin manage users and grids; the new user logs in with the grid it was given', async () => {
    const admin = await t.login('admin');
    const street = await admin.post('/api/grids').send({ code: 'DX', name: '大学路街道' });
    expect(street.status).toBe(201);
    const community = await admin.post('/api/grids').send({ code: 'DX-01', name: '大学路社区', parentId: street.body.id });
    expect(community.body.level).toBe(2);
    const user = await admin.post('/api/users').send({ username: 'handler3', displayName: '监察员 钱', password: 'long-password-3', roles: ['handler'], gridIds: [street.body.id] });
    expect(user.status).toBe(201);
    const h3 = await t.login('handler3', 'long-password-3');
    const me = (await h3.get('/api/session')).body;
    expect(me.visibleGridIds.sort()).toEqual([street.body.id, community.body.id].sort());
    expect(me.groups).toEqual(expect.arrayContaining(['handler', 'DX', 'DX-01']));
    const dup = await admin.post('/api/users').send({ username: 'handler3', displayName: 'x', password: 'long-password-3', roles: ['handler'] });
    expect(dup.status).toBe(409);
    const off = await admin.patch(`/api/users/${user.body.id}`).send({ active: false });
    expect(off.body.active).toBe(false);
    expect((await h3.get('/api/session')).status).toBe(401);
  });

  it('moves the test clock only forward', async () => {
    const before = t.clock.now().getTime();
    expect((await t.anonymous().post('/api/test/clock').send({ advance: 'P1D' })).status).toBe(401);
    const admin = await t.login('admin');
    const res = await admin.post('/api/test/clock').send({ advance: 'P1D' });
    expect(res.status).toBe(200);
    expect(new Date(res.body.now).getTime() - before).toBeGreaterThanOrEqual(86_400_000);
    // A day on, the session (SESSION_TTL_HOURS) has expired.
    expect((await (await t.login('admin')).post('/api/test/clock').send({ advance: '-P1D' })).status).toBe(400);
  });
});

describe('without the test clock setting', () => {
  it('has no clock route', async () => {
    const t = await startTestApp('sqlite', 'noclock', { TEST_CLOCK: '0' });
    try {
      const res = await t.anonymous().post('/api/test/clock').send({ advance: 'P1D' });
      expect(res.status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
