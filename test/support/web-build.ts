/** The browser tests need the built UI: build it once per run, skipping when dist/web is newer than its sources. */
import fs from 'node:fs';
import path from 'node:path';
import { buildWeb, WEB_OUT } from '../../scripts/build-web';

const ROOT = path.join(__dirname, '../..');
const SOURCES = [path.join(ROOT, 'src/web/client'), path.join(ROOT, 'scripts/build-web.ts')];

function newest(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newest(path.join(p, f))));
}

export async function ensureWebBuilt(): Promise<void> {
  const stamp = path.join(WEB_OUT, 'assets/main.js');
  if (fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs > Math.max(...SOURCES.map(newest))) return;
  await buildWeb();
}
