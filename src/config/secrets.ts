/**
 * The session secret: from SESSION_SECRET when set; otherwise, outside production only, generated
 * once and kept in DATA_DIR so that sessions survive a restart of the demo.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Settings } from './settings';

export function resolveSessionSecret(settings: Settings): string {
  if (settings.SESSION_SECRET) return settings.SESSION_SECRET;
  if (settings.NODE_ENV === 'production') throw new Error('SESSION_SECRET is required in production');
  const file = path.join(settings.DATA_DIR, 'session-secret');
  if (fs.existsSync(file)) {
    const kept = fs.readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  }
  fs.mkdirSync(settings.DATA_DIR, { recursive: true });
  const secret = crypto.randomBytes(48).toString('base64url');
  fs.writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
