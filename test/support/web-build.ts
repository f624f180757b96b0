/**
 * The browser tests need the built UI: build it once, skipping when dist/web is newer than its sources.
 * Test files may run in parallel workers, so one builds while the others wait on a lock file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildWeb, WEB_OUT } from '../../scripts/build-web';

const ROOT = path.join(__dirname, '../..');
const SOURCES = [path.join(ROOT, 'src/web/client'), path.join(ROOT, 'scripts/build-web.ts')];
const LOCK = path.join(ROOT, 'dist/.web-build.lock');
const STALE_LOCK_MS = 120_000;

function newest(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newest(path.join(p, f))));
}

function upToDate(): boolean {
  const built = path.join(WEB_OUT, 'assets/main.js');
  return fs.existsSync(built) && fs.statSync(built).mtimeMs > Math.max(...SOURCES.map(newest));
}

export async function ensureWebBuilt(): Promise<void> {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    if (upToDate()) return;
    let fd: number;
    try {
      fd = fs.openSync(LOCK, 'wx');
    } catch {
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) fs.rmSync(LOCK, { force: true }); // left by a run that was killed
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    try {
      await buildWeb();
      return;
    } finally {
      fs.closeSync(fd);
      fs.rmSync(LOCK, { force: true });
    }
  }
}
