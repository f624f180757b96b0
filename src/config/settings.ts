/**
 * Every setting the service reads, declared once with its type, default and documentation.
 * Nothing else in the code base reads process.env: it asks for `loadSettings()`'s result.
 * An invalid environment is reported all at once (every problem listed) and start-up stops.
 */
import { z } from 'zod';

interface SettingSpec<T extends z.ZodTypeAny> {
  schema: T;
  doc: string;
  secret?: boolean;
}

function setting<T extends z.ZodTypeAny>(schema: T, doc: string, secret = false): SettingSpec<T> {
  return { schema, doc, secret };
}

const bool = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const port = z.coerce.number().int().min(0).max(65535);

export const settingSpecs = {
  NODE_ENV: setting(z.enum(['development', 'test', 'production']).default('development'), 'Run mode. `production` turns off demo data and the test clock, and requires SESSION_SECRET.'),
  PORT: setting(port.default(3000), 'HTTP port of the API and web UI.'),
  HOST: setting(z.string().min(1).default('127.0.0.1'), 'Interface the HTTP server listens on.'),
  DATA_DIR: setting(z.string().min(1).default('./data'), 'Folder for the SQLite file and generated secrets.'),
  DATABASE_URL: setting(z.string().regex(/^mysql:\/\//, 'must be a mysql:// URL').optional(), 'A mysql:// URL switches the data store to MySQL 8 / MariaDB 10.6+; unset means the SQLite file in DATA_DIR.', true),
  ENGINE: setting(z.enum(['embedded', 'zeebe']).default('embedded'), 'Workflow engine: the embedded engine, or a Zeebe (Camunda 8) cluster configured by the SDK\'s own ZEEBE_*/CAMUNDA_* variables.'),
  GATEWAY_PORT: setting(port.optional(), 'Serves the embedded engine over the Zeebe gateway gRPC protocol on this port; off when unset.'),
  TEST_CLOCK: setting(bool.default(false), 'Enables POST /api/test/clock to move the clock forward. Refused when NODE_ENV=production.'),
  DEMO: setting(bool.optional(), 'Seed demo office, grids, users (password demo1234) and employers. Default: on outside production.'),
  SESSION_SECRET: setting(z.string().min(32, 'must be at least 32 characters').optional(), 'Key for session cookies. Required in production; the demo start generates one into DATA_DIR.', true),
  SESSION_TTL_HOURS: setting(z.coerce.number().positive().default(12), 'Hours a session stays valid after its last use.'),
  LOGIN_MAX_FAILURES: setting(z.coerce.number().int().positive().default(5), 'Failed logins for one username before it is locked for LOGIN_LOCK_MINUTES.'),
  LOGIN_LOCK_MINUTES: setting(z.coerce.number().positive().default(15), 'Minutes a username stays locked after too many failed logins.'),
  BODY_LIMIT_KB: setting(z.coerce.number().int().positive().default(512), 'Largest request body accepted, in KiB; larger bodies answer 413.'),
  UPLOAD_LIMIT_KB: setting(z.coerce.number().int().positive().default(4096), 'Largest body of a request that carries a file (proof of service), in KiB.'),
  LOG_LEVEL: setting(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), 'pino log level.'),
  LEGAL_RULES_FILE: setting(z.string().min(1).optional(), 'JSON file overriding legal periods, thresholds and office targets (see src/config/legal-rules.ts for every rule, its default and source); unset = national defaults.'),
  MAILJET_API_KEY: setting(z.string().min(1).optional(), 'Mailjet API key; without it mail stays in the outbox, unsent.', true),
  MAILJET_API_SECRET: setting(z.string().min(1).optional(), 'Mailjet API secret.', true),
  MAILJET_API_URL: setting(z.string().url().optional(), 'Mailjet API base URL (tests point it at a local stand-in).'),
  MAIL_FROM: setting(z.string().email().default('noreply@inspection.example.cn'), 'Sender address of outgoing mail.'),
} as const;

type Specs = typeof settingSpecs;
export type Settings = { -readonly [K in keyof Specs]: z.output<Specs[K]['schema']> } & { DEMO: boolean };

export interface SettingProblem {
  name: string;
  message: string;
}

export class InvalidSettingsError extends Error {
  constructor(readonly problems: SettingProblem[]) {
    super('Invalid settings:\n' + problems.map((p) => `  ${p.name}: ${p.message}`).join('\n'));
  }
}

/** Reads and validates every setting from `env`; throws InvalidSettingsError listing all problems. */
export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const out: Record<string, unknown> = {};
  const problems: SettingProblem[] = [];
  for (const [name, spec] of Object.entries(settingSpecs)) {
    const raw = env[name];
    const result = spec.schema.safeParse(raw === '' ? undefined : raw);
    if (result.success) out[name] = result.data;
    else problems.push({ name, message: result.error.issues.map((i) => i.message).join('; ') });
  }
  const s = out as Settings;
  if (problems.length === 0) {
    if (s.NODE_ENV === 'production') {
      if (s.TEST_CLOCK) problems.push({ name: 'TEST_CLOCK', message: 'the test clock is refused when NODE_ENV=production' });
      if (!s.SESSION_SECRET) problems.push({ name: 'SESSION_SECRET', message: 'required when NODE_ENV=production' });
      if (s.DEMO) problems.push({ name: 'DEMO', message: 'demo data is refused when NODE_ENV=production' });
    }
    if (Boolean(s.MAILJET_API_KEY) !== Boolean(s.MAILJET_API_SECRET)) {
      problems.push({ name: 'MAILJET_API_SECRET', message: 'MAILJET_API_KEY and MAILJET_API_SECRET go together' });
    }
  }
  if (problems.length) throw new InvalidSettingsError(problems);
  if (s.DEMO === undefined) s.DEMO = s.NODE_ENV !== 'production';
  return s;
}

/** Markdown table of all settings, for the README (`npm run settings:doc`). */
export function settingsTable(): string {
  const rows = Object.entries(settingSpecs).map(([name, spec]) => {
    const def = (spec.schema as z.ZodTypeAny).safeParse(undefined);
    const shown = def.success && def.data !== undefined ? String(def.data) : '—';
    return `| \`${name}\` | ${shown} | ${spec.secret ? 'yes' : ''} | ${spec.doc} |`;
  });
  return ['| setting | default | secret | what |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
