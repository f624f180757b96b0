import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMain, startServiceProcess, waitForExit } from '../../support/service-process';
import { ensureWebBuilt } from '../../support/web-build';

jest.setTimeout(120_000);

// The service serves the built UI at '/'; `npm start` builds it first (prestart), the test does here.
beforeAll(() => ensureWebBuilt());

describe('the service process', () => {
  it('lists every invalid setting and exits non-zero', async () => {
    const child = runMain({ PORT: 'abc', ENGINE: 'camunda7', NODE_ENV: 'production' });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    expect(await waitForExit(child)).toBe(2);
    expect(err).toContain('PORT');
    expect(err).toContain('ENGINE');
  });

  it('refuses a production start without a session secret', async () => {
    const child = runMain({ NODE_ENV: 'production' });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    expect(await waitForExit(child)).toBe(2);
    expect(err).toMatch(/SESSION_SECRET: required/);
  });

  it('starts on the embedded defaults with demo data and keeps its generated secret across restarts', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsi-main-'));
    try {
      const first = await startServiceProcess({ DATA_DIR: dataDir });
      const health = await fetch(`${first.url}/api/health`).then((r) => r.json());
      expect(health.database).toMatchObject({ kind: 'sqlite', ok: true });
      const login = await fetch(`${first.url}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'handler1', password: 'demo1234' }) });
      expect(login.status).toBe(201);
      const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const page = await fetch(first.url + '/');
      expect(await page.text()).toContain('劳动保障监察案件管理');
      expect(await first.stop()).toBe(0);
      const secret = fs.readFileSync(path.join(dataDir, 'session-secret'), 'utf8');
      expect(secret.trim().length).toBeGreaterThanOrEqual(32);
      expect(fs.existsSync(path.join(dataDir, 'inspection.sqlite'))).toBe(true);

      const second = await startServiceProcess({ DATA_DIR: dataDir });
      const me = await fetch(`${second.url}/api/session`, { headers: { Cookie: cookies } });
      expect(me.status).toBe(200);
      expect((await me.json()).username).toBe('handler1');
      expect(fs.readFileSync(path.join(dataDir, 'session-secret'), 'utf8')).toBe(secret);
      await second.stop();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
