/**
 * Every setting the service reads, declared once with its type, default and documentation.
 * Nothing else in the code base reads process.env: it asks for `loadSettings()`'s result.
 * An invalid environment is reported all at once (every problem listed) and start-up stops.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

interface SettingSpec<T extends z.ZodTypeAny> {
  schema: T;
  doc: string;
  secret?: boolean;
}

function setting<T extends z.ZodTypeAny>(schema: T, doc: string, secret = false): SettingSpec<T> {
  return { schema, doc, secret };
}

/** TRUSTED_PROXY entries: `loopback`, an IP address or a CIDR range (parsed in src/http/client-address.ts). */
function validProxyList(v: string): boolean {
  return v.split(',').map((e) => e.trim()).every((e) => {
    if (e === 'loopback') return true;
    const [addr, bits, extra] = e.split('/');
    const family = isIP(addr);
    if (!family || extra !== undefined) return false;
    if (bits === undefined) return true;
    const n = Number(bits);
    return /^\d+$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
  });
}

const bool = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');
const port = z.coerce.number().int().min(0).max(65535);

export const settingSpecs = {
  NODE_ENV: setting(z.enum(['development', 'test', 'production']).default('development'), 'Run mode. `production` turns off demo data and the test clock, and requires SESSION_SECRET.'),
  PORT: setting(port.default(3000), 'HTTP port of the API and web UI.'),
  HOST: setting(z.string().min(1).default('127.0.0.1'), 'Interface the HTTP server listens on.'),
  DATA_DIR: setting(z.string().min(1).default('./data'), 'Folder for the SQLite file and generated secrets.'),
  DATABASE_URL: setting(z.string().regex(/^mysql:\/\//, 'must be a mysql:// URL').optional(), 'A mysql:// URL switches the data store to MySQL 8 / MariaDB 10.6+; unset means the SQLite file in DATA_DIR.', true),
  ENGINE: setting(z.enum(['embedded', 'zeebe']).default('embedded'), 'Workflow engine: the embedded engine, or a Zeebe (Camunda 8.8) cluster given by the ZEEBE_* settings.'),
  GATEWAY_PORT: setting(port.optional(), 'Serves the embedded engine over the Zeebe gateway gRPC protocol on this port; off when unset.'),
  GATEWAY_REST_PORT: setting(port.optional(), 'Serves the embedded engine\'s user tasks over the Camunda 8.8 REST API subset the service\'s Zeebe mode uses (search, assign, unassign, complete, variables), and the topology and process instance search and cancellation, on this port; off when unset. Clients authenticate as GATEWAY_AUTH says.'),
  GATEWAY_AUTH: setting(z.enum(['none', 'oauth', 'basic']).optional(), 'How the gateways (GATEWAY_PORT, GATEWAY_REST_PORT) authenticate clients: oauth (JWT bearer tokens of GATEWAY_OAUTH_ISSUER, as Camunda\'s OAuth client credentials), basic (GATEWAY_BASIC_USERNAME and GATEWAY_BASIC_PASSWORD) or none. Unset = none, allowed only while HOST is a loopback address; on any other interface the gateway does not start until this is set.'),
  GATEWAY_OAUTH_ISSUER: setting(z.string().url().optional(), 'GATEWAY_AUTH=oauth: the issuer a token must name (its `iss`), e.g. Keycloak\'s …/realms/camunda-platform; its signing keys are read from <issuer>/.well-known/openid-configuration unless GATEWAY_OAUTH_JWKS_URL or GATEWAY_OAUTH_PUBLIC_KEY is set.'),
  GATEWAY_OAUTH_AUDIENCE: setting(z.string().min(1).default('zeebe-api'), 'GATEWAY_AUTH=oauth: the audience a token must name (its `aud`); zeebe-api is Camunda self-managed\'s.'),
  GATEWAY_OAUTH_JWKS_URL: setting(z.string().url().optional(), 'GATEWAY_AUTH=oauth: the issuer\'s key set (JWKS) when it is not where the issuer\'s discovery document says.'),
  GATEWAY_OAUTH_PUBLIC_KEY: setting(z.string().min(1).optional(), 'GATEWAY_AUTH=oauth: a PEM public key that signs the tokens, instead of fetching the issuer\'s key set.'),
  GATEWAY_BASIC_USERNAME: setting(z.string().min(1).optional(), 'GATEWAY_AUTH=basic: the one account the gateways accept.'),
  GATEWAY_BASIC_PASSWORD: setting(z.string().min(8).optional(), 'GATEWAY_AUTH=basic: its password.', true),
  WORKERS: setting(bool.default(true), 'Runs the job workers in this process. Off for an instance that only serves its embedded engine (GATEWAY_PORT) to a service in Zeebe mode, whose own workers then do the work.'),
  ZEEBE_GRPC_ADDRESS: setting(z.string().regex(/^grpcs?:\/\/[^/]+$/, 'must be grpc://host:port (plain) or grpcs://host:port (TLS)').optional(), 'ENGINE=zeebe: the Zeebe gateway, grpc://host:26500 in plain text or grpcs://host:443 with TLS. Required in Zeebe mode.'),
  ZEEBE_REST_ADDRESS: setting(z.string().url().optional(), 'ENGINE=zeebe: base URL of the Camunda 8.8 Orchestration Cluster REST API (e.g. http://host:8080; the client appends /v2). Required in Zeebe mode: user tasks are read and changed through it.'),
  ZEEBE_AUTH: setting(z.enum(['none', 'oauth', 'basic']).default('none'), 'ENGINE=zeebe: how the service authenticates to the cluster: none, OAuth client credentials (ZEEBE_CLIENT_ID, ZEEBE_CLIENT_SECRET, ZEEBE_OAUTH_URL, ZEEBE_TOKEN_AUDIENCE) or basic (ZEEBE_USERNAME, ZEEBE_PASSWORD).'),
  ZEEBE_CLIENT_ID: setting(z.string().min(1).optional(), 'ENGINE=zeebe with ZEEBE_AUTH=oauth: the OAuth client id.'),
  ZEEBE_CLIENT_SECRET: setting(z.string().min(1).optional(), 'ENGINE=zeebe with ZEEBE_AUTH=oauth: the OAuth client secret.', true),
  ZEEBE_OAUTH_URL: setting(z.string().url().optional(), 'ENGINE=zeebe with ZEEBE_AUTH=oauth: the token endpoint (e.g. Keycloak\'s …/protocol/openid-connect/token).'),
  ZEEBE_TOKEN_AUDIENCE: setting(z.string().min(1).optional(), 'ENGINE=zeebe with ZEEBE_AUTH=oauth: the audience of the token (zeebe-api on Self-Managed).'),
  ZEEBE_USERNAME: setting(z.string().min(1).optional(), 'ENGINE=zeebe with ZEEBE_AUTH=basic: the user name.'),
  ZEEBE_PASSWORD: setting(z.string().min(1).optional(), 'ENGINE=zeebe with ZEEBE_AUTH=basic: the password.', true),
  ZEEBE_CA_CERT_PATH: setting(z.string().min(1).optional(), 'ENGINE=zeebe: a PEM file of the certificate authority to trust for grpcs:// and https:// (a private CA); unset = the system\'s.'),
  ZEEBE_TASK_POLL_MS: setting(z.coerce.number().int().min(100).default(1000), 'ENGINE=zeebe: how often user tasks are read from the cluster into the inbox, in milliseconds.'),
  TEST_CLOCK: setting(bool.default(false), 'Enables POST /api/test/clock to move the clock forward. Refused when NODE_ENV=production.'),
  DEMO: setting(bool.optional(), 'Seed demo office, grids, users (password demo1234) and employers. Default: on outside production.'),
  SESSION_SECRET: setting(z.string().min(32, 'must be at least 32 characters').optional(), 'Key for session cookies. Required in production; the demo start generates one into DATA_DIR.', true),
  SESSION_TTL_HOURS: setting(z.coerce.number().positive().default(12), 'Hours a session stays valid after its last use; each request extends it (written at most once a minute).'),
  LOGIN_MAX_FAILURES: setting(z.coerce.number().int().positive().default(5), 'Failed logins for one username from one client address within LOGIN_LOCK_MINUTES before that username is locked for that address for LOGIN_LOCK_MINUTES (429 LOGIN_LOCKED). Other addresses are not locked out.'),
  LOGIN_LOCK_MINUTES: setting(z.coerce.number().positive().default(15), 'Window in which failed logins are counted, and how long a username (per address) or an address stays refused after too many.'),
  LOGIN_ADDRESS_MAX_FAILURES: setting(z.coerce.number().int().positive().default(30), 'Failed logins from one client address, over all usernames, within LOGIN_LOCK_MINUTES before the address is refused for LOGIN_LOCK_MINUTES (429 LOGIN_RATE_LIMITED).'),
  TRUSTED_PROXY: setting(z.string().min(1).refine(validProxyList, 'a comma list of IP addresses, CIDR ranges (10.0.0.0/8) or `loopback`').optional(), 'Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: a comma list of IP addresses, CIDR ranges or `loopback`. A request from one of them takes its client address and protocol (https: Secure session cookie) from those headers; from anyone else the headers are ignored. Unset = trust none.'),
  BODY_LIMIT_KB: setting(z.coerce.number().int().positive().default(512), 'Largest request body accepted, in KiB; larger bodies answer 413.'),
  UPLOAD_LIMIT_KB: setting(z.coerce.number().int().positive().default(4096), 'Largest body of a request that carries a file (proof of service), in KiB.'),
  EMPLOYER_IMPORT_MAX_ROWS: setting(z.coerce.number().int().min(1).max(1_000_000).default(100_000), 'Most data rows an employer register import (xlsx or csv) may hold; a larger file is refused whole (400 IMPORT_TOO_MANY_ROWS). The file itself must also fit in UPLOAD_LIMIT_KB (as base64 in JSON).'),
  WRITTEN_REVIEW_OPEN_BATCH: setting(z.coerce.number().int().min(1).max(5000).default(200), 'Employers enrolled per transaction when a written review (书面审查) is opened: each batch inserts their rows and starts their lifecycles, then commits, so a scope of ten thousand employers never holds one long transaction; an interrupted opening resumes after the last committed batch.'),
  SERVICE_DATE_DAYS_AHEAD: setting(z.coerce.number().int().min(0).max(30).default(0), 'Days after today a recorded service date (送达日期) may name; 0 = not after today. A date before the served document was issued is always refused.'),
  LOG_LEVEL: setting(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), 'pino log level.'),
  METRICS: setting(bool.default(false), 'Serves Prometheus metrics at GET /metrics (HTTP latency by route, engine step latency, jobs, incidents, due timers, outbox depth, process metrics); off: 404.'),
  METRICS_TOKEN: setting(z.string().min(16, 'must be at least 16 characters').optional(), 'With METRICS on: GET /metrics answers only requests carrying `Authorization: Bearer <this token>` (401 otherwise). Unset = no token; then keep /metrics unreachable from outside (a proxy rule).', true),
  LEGAL_RULES_FILE: setting(z.string().min(1).optional(), 'JSON file overriding legal periods, thresholds and office targets (see src/config/legal-rules.ts for every rule, its default and source); unset = national defaults.'),
  GRID_TARGET_STAGE: setting(z.enum(['launch', 'advance', 'complete']).default('launch'), 'Stage of the office\'s grid-supervision scheme (两网化: 启动, 推进, 健全) whose targets the grid dashboard compares against; the figures are the gridTarget.* legal rules.'),
  WARNING_COLOUR_GRADE_C: setting(z.enum(['yellow', 'orange', 'red']).default('orange'), 'Colour of the three-colour warning the rules open for an employer whose latest final credit grade is C (seed 001: 对劳动保障诚信情况实施a、b、c三类监管; 按照轻重分别发出黄、橙、红三色警示信息). Default orange: handled by the street grid.'),
  WARNING_COLOUR_LISTED: setting(z.enum(['yellow', 'orange', 'red']).default('red'), 'Colour of the three-colour warning the rules open for an employer on the arrears blacklist (seed 004: 列入黑名单的, 劳动保障监察机构每年实施不少于两次的巡视检查). Default red: followed by the brigade.'),
  DRAW_EXCLUDE_GRID_INSPECTOR: setting(bool.default(true), 'Random inspections (双随机): an inspector assigned to the employer\'s own grid is never drawn to inspect it (conflict of interest). Recusals entered for a user and employer are always excluded.'),
  DRAW_ALWAYS_GRADE_C: setting(bool.default(true), 'Random inspections (双随机): every employer whose grade in force is C is drawn, and the proportion\'s rest is drawn from the others by weight (企业劳动保障守法诚信等级评价办法, 2016: C级列为重点监控对象). Off: C-graded employers are drawn by weight (rule draw.weight.C) like the others.'),
  WARNING_RULES_POLL_MS: setting(z.coerce.number().int().min(100).default(2000), 'How often the three-colour warning rules read new complaints and closed cases from the audit log and re-evaluate those employers, in milliseconds.'),
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
    if (s.ENGINE === 'zeebe') {
      // Zeebe mode fails at start, not at the first case, when the cluster is not fully named.
      if (!s.ZEEBE_GRPC_ADDRESS) problems.push({ name: 'ZEEBE_GRPC_ADDRESS', message: 'required when ENGINE=zeebe' });
      if (!s.ZEEBE_REST_ADDRESS) problems.push({ name: 'ZEEBE_REST_ADDRESS', message: 'required when ENGINE=zeebe (user tasks)' });
      if (s.ZEEBE_AUTH === 'oauth') {
        for (const name of ['ZEEBE_CLIENT_ID', 'ZEEBE_CLIENT_SECRET', 'ZEEBE_OAUTH_URL'] as const) {
          if (!s[name]) problems.push({ name, message: 'required when ZEEBE_AUTH=oauth' });
        }
      }
      if (s.ZEEBE_AUTH === 'basic') {
        for (const name of ['ZEEBE_USERNAME', 'ZEEBE_PASSWORD'] as const) {
          if (!s[name]) problems.push({ name, message: 'required when ZEEBE_AUTH=basic' });
        }
      }
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
