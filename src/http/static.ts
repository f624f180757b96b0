/** Serves the web UI's files; unknown non-API paths fall back to index.html (the UI routes itself). */
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from './context';

export function staticFiles(roots: string[]) {
  const resolved = roots.map((r) => path.resolve(r));
  return async (ctx: AppContext, next: () => Promise<unknown>) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.path.startsWith('/api')) return next();
    let rel: string;
    try {
      rel = decodeURIComponent(ctx.path);
    } catch {
      return next();
    }
    if (rel.includes('\0')) return next();
    const wanted = rel === '/' || !path.extname(rel) ? '/index.html' : rel;
    for (const root of resolved) {
      const file = path.resolve(root, '.' + wanted);
      if (!file.startsWith(root + path.sep)) continue; // no escaping the folder
      const stat = await fs.promises.stat(file).catch(() => null);
      if (stat?.isFile()) {
        ctx.type = path.extname(file) || 'application/octet-stream'; // Koa maps the extension to its media type
        ctx.length = stat.size;
        ctx.set('Cache-Control', wanted === '/index.html' ? 'no-cache' : 'public, max-age=300');
        ctx.body = ctx.method === 'HEAD' ? null : fs.createReadStream(file);
        return;
      }
    }
    await next();
  };
}
