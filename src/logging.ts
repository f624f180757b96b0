/**
 * The service's pino logger. Logs must not carry personal data (身份证号, phone numbers, names in
 * request bodies) nor the values of SQL statements: database errors are reduced to their kind, code
 * and statement text, and the fields that hold personal data are redacted wherever they appear.
 */
import pino, { DestinationStream, Logger } from 'pino';

/** Field names whose values never reach a log line, at the top level and one or two levels down. */
const SENSITIVE = ['idNumber', 'phone', 'password', 'email', 'body', 'rawBody', 'parameters', 'variables', 'cookie', 'authorization'];

export const REDACT_PATHS = [
  ...SENSITIVE,
  ...SENSITIVE.map((k) => `*.${k}`),
  ...SENSITIVE.map((k) => `*.*.${k}`),
  'err.driverError.sql', 'err.driverError.parameters', 'err.sql', 'err.sqlMessage',
  'req.headers.cookie', 'req.headers.authorization',
];

/** Quoted literals in a database message (`Duplicate entry '110101…' for key …`) hold the row's values. */
function scrubLiterals(text: string): string {
  return text.replace(/'(?:[^'\\]|\\.)*'/g, "'…'").replace(/"(?:[^"\\]|\\.)*"/g, '"…"');
}

const DB_ERROR_NAMES = new Set(['QueryFailedError', 'EntityNotFoundError', 'QueryRunnerAlreadyReleasedError']);

/**
 * An error as a log line may show it: kind, message, stack, codes; never `parameters`, the driver's
 * formatted `sql` (which has the values spliced in), a request body the body parser attached, or the
 * literals a database message quotes.
 */
const serialised = new WeakSet<object>();

export function safeError(raw: unknown): Record<string, unknown> {
  // Already reduced (the HTTP error handler does so before any logger's serializer sees it).
  if (typeof raw === 'object' && raw !== null && serialised.has(raw)) return raw as Record<string, unknown>;
  if (!(raw instanceof Error)) return { type: typeof raw, message: scrubLiterals(String(raw)).slice(0, 500) };
  const e = raw as Error & Record<string, unknown>;
  const driver = (e.driverError ?? null) as (Record<string, unknown> & { message?: string }) | null;
  const fromDb = DB_ERROR_NAMES.has(e.name) || driver !== null || typeof e.sqlMessage === 'string' || typeof e.errno === 'number';
  const clean = (s: string | undefined) => (s === undefined ? undefined : fromDb ? scrubLiterals(s) : s);
  const out: Record<string, unknown> = { type: e.name, message: clean(e.message), stack: clean(e.stack) };
  for (const k of ['code', 'errno', 'sqlState', 'status', 'statusCode', 'type', 'expose']) {
    const v = e[k] ?? driver?.[k];
    if (v !== undefined && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) out[k === 'type' ? 'errorType' : k] = v;
  }
  // The statement text of a TypeORM error takes its values as `?` parameters, so it names no one.
  if (typeof e.query === 'string') out.query = e.query.slice(0, 2000);
  if (e.cause !== undefined) out.cause = safeError(e.cause);
  serialised.add(out);
  return out;
}

export const logSerializers = { err: safeError, error: safeError };

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, serializers: logSerializers };
  return destination ? pino(options, destination) : pino(options);
}
