/**
 * GET /metrics: with METRICS on, Prometheus text with the HTTP, engine, job, incident, timer, outbox and
 * process metrics after a request and a registered complaint, labelled by route pattern and job type,
 * never by an id or a person; with METRICS off, 404; with METRICS_TOKEN, 401 without the token.
 */
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, lifecycle } from '../../support/lifecycle';

describe.each(testDbKinds())('Prometheus metrics on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, 'metrics', { METRICS: '1' });
  });
  afterAll(() => t.close());

  it('answers the service\'s metrics after a request and a registered complaint', async () => {
    const intake = await t.login('intake');
    const registered = await intake.post('/api/complaints').send(complaintBody());
    expect(registered.status).toBe(201);
    await lifecycle(t).settle();
    expect((await intake.get(`/api/cases/${registered.body.caseId}`)).status).toBe(200);
    expect((await intake.get('/api/cases/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await t.anonymous().get('/api/no-such-route')).status).toBe(404);

    const res = await t.anonymous().get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;

    // HTTP latency by the route's pattern, not its URL.
    expect(text).toMatch(/^lsi_http_request_duration_seconds_count\{method="POST",route="\/api\/complaints",status="201"\} [1-9]/m);
    expect(text).toMatch(/^lsi_http_request_duration_seconds_count\{method="GET",route="\/api\/cases\/:id",status="200"\} [1-9]/m);
    expect(text).toMatch(/^lsi_http_request_duration_seconds_count\{method="GET",route="\/api\/cases\/:id",status="404"\} [1-9]/m);
    expect(text).toMatch(/^lsi_http_request_duration_seconds_count\{method="GET",route="\(unmatched\)",status="404"\} [1-9]/m);
    // Engine steps: registration started an instance, the workers completed jobs.
    expect(text).toMatch(/^lsi_engine_step_duration_seconds_count\{command="createInstance",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^lsi_engine_step_duration_seconds_count\{command="completeJob",outcome="ok"\} [1-9]/m);
    // Jobs by type.
    expect(text).toMatch(/^lsi_jobs_activated_total\{type="[a-z.-]+"\} [1-9]/m);
    expect(text).toMatch(/^lsi_jobs_completed_total\{type="[a-z.-]+"\} [1-9]/m);
    expect(text).toContain('# TYPE lsi_jobs_failed_total counter');
    // Read when scraped.
    expect(text).toMatch(/^lsi_engine_incidents_open 0$/m);
    expect(text).toMatch(/^lsi_engine_timers_due \d+$/m);
    expect(text).toMatch(/^lsi_outbox_mails\{state="pending"\} \d+$/m);
    // The process's default metrics.
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);

    // No ids and no personal data in any label.
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    expect(text).not.toContain(registered.body.caseNumber);
    expect(text).not.toContain('张三');
    expect(text).not.toContain('13800000001');
  });

  it('counts due timers and open incidents when scraped', async () => {
    const gauge = async (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec((await t.anonymous().get('/metrics')).text)?.[1]);
    const due = async () => Number(((await t.db.ds.query('SELECT COUNT(*) AS n FROM engine_timers WHERE due_at <= ?', [t.clock.now().getTime()])) as { n: number | string }[])[0].n);
    const open = async () => (await t.core.engine.listIncidents({ state: 'active', limit: 1000 })).length;
    // Timers that came due wait until the poller fires them, which may happen at any moment: the
    // gauge lies between the counts read before and after it (due timers only go, incidents only come).
    t.clock.advance('P400D');
    const dueBefore = await due();
    const dueGauge = await gauge('lsi_engine_timers_due');
    const dueAfter = await due();
    expect(dueGauge).toBeLessThanOrEqual(dueBefore);
    expect(dueGauge).toBeGreaterThanOrEqual(dueAfter);
    const openBefore = await open();
    const openGauge = await gauge('lsi_engine_incidents_open');
    expect(openGauge).toBeGreaterThanOrEqual(openBefore);
    expect(openGauge).toBeLessThanOrEqual(await open());
  });
});

describe('GET /metrics guarded', () => {
  let off: TestApp;
  let guarded: TestApp;
  const token = 'metrics-token-0123456789abcdef';
  beforeAll(async () => {
    off = await startTestApp('sqlite', 'metrics-off');
    guarded = await startTestApp('sqlite', 'metrics-token', { METRICS: '1', METRICS_TOKEN: token });
  });
  afterAll(async () => {
    await off.close();
    await guarded.close();
  });

  it('answers 404 when METRICS is off', async () => {
    const res = await off.anonymous().get('/metrics');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers 401 without the token or with another one, and the metrics with it', async () => {
    const none = await guarded.anonymous().get('/metrics');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHENTICATED');
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect((await guarded.anonymous().get('/metrics').set('Authorization', `Bearer ${token}x`)).status).toBe(401);
    // A session is not a token.
    expect((await (await guarded.login('admin')).get('/metrics')).status).toBe(401);
    const ok = await guarded.anonymous().get('/metrics').set('Authorization', `Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('lsi_http_request_duration_seconds');
  });
});
