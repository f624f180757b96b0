/**
 * Creates an administrator, the way into a fresh production store (which has no demo users):
 *
 *   ADMIN_PASSWORD=… npm run admin:create -- --username wang.admin --display-name "管理员 王"
 *   npm run admin:create -- --username wang.admin --display-name "管理员 王" < password-file
 *
 * Uses the service's settings (DATA_DIR or DATABASE_URL) and runs the migrations first. The password
 * comes from ADMIN_PASSWORD or the first line of standard input (typed unseen on a terminal), never
 * from the command line, where other users of the machine could read it; it must pass the password
 * policy. An existing username is refused. A store without an office needs the office too:
 * --office-code, --office-name and --doc-prefix (the prefix of its document numbers, e.g. 郑人社监).
 * Exit status: 0 created, 1 refused, 2 wrong usage or settings.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { recordAudit, systemActor } from '../src/audit/audit';
import { passwordProblems } from '../src/auth/passwords';
import { systemClock } from '../src/clock/clock';
import { InvalidSettingsError, loadSettings, Settings } from '../src/config/settings';
import { inTransaction, openDatabase } from '../src/db/data-source';
import { Office } from '../src/db/entities';
import { isAppError } from '../src/errors';
import { createUser, createUserSchema } from '../src/org/commands';

class UsageError extends Error {}
class Refused extends Error {}

function options() {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      'display-name': { type: 'string' },
      'office-code': { type: 'string' },
      'office-name': { type: 'string' },
      'doc-prefix': { type: 'string' },
    },
    strict: true,
  });
  if (!values.username || !values['display-name']) throw new UsageError('--username and --display-name are required');
  return values;
}

/** One line from standard input; on a terminal without echo. */
async function readPassword(): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY) process.stderr.write('Password for the new administrator: ');
  return new Promise((resolve, reject) => {
    let text = '';
    const done = () => {
      stdin.removeAllListeners('data');
      if (stdin.isTTY) {
        stdin.setRawMode(false);
        process.stderr.write('\n');
      }
      stdin.pause();
      resolve(text.split(/\r?\n/)[0]);
    };
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.on('data', (chunk: string) => {
      if (stdin.isTTY && chunk.includes('\u0003')) return reject(new UsageError('interrupted'));
      text += chunk;
      if (/[\r\n]/.test(text)) done();
    });
    stdin.once('end', done);
    stdin.once('error', reject);
    stdin.resume();
  });
}

async function main(): Promise<void> {
  const opts = options();
  let settings: Settings;
  try {
    settings = loadSettings(process.env);
  } catch (e) {
    if (e instanceof InvalidSettingsError) throw new UsageError(e.message);
    throw e;
  }
  const input = createUserSchema.safeParse({ username: opts.username, displayName: opts['display-name'], password: 'x', roles: ['admin'] });
  if (!input.success) throw new UsageError(input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));

  const password = process.env.ADMIN_PASSWORD ?? (await readPassword());
  const weak = passwordProblems(password, opts.username);
  if (weak.length) throw new Refused(`the password is too weak: it needs ${weak.join('; ')}`);

  const ds = await openDatabase({ databaseUrl: settings.DATABASE_URL, sqlitePath: path.join(settings.DATA_DIR, 'inspection.sqlite') });
  try {
    const now = systemClock.now();
    const actor = systemActor('admin:create');
    const created = await inTransaction(ds, async (em) => {
      const offices = await em.find(Office);
      let office = opts['office-code'] ? offices.find((o) => o.code === opts['office-code']) : offices.length === 1 ? offices[0] : undefined;
      if (!office && offices.length > 1) throw new UsageError(`the store has ${offices.length} offices: name one with --office-code (${offices.map((o) => o.code).join(', ')})`);
      if (!office && offices.length === 1) throw new UsageError(`no office ${opts['office-code']}; the store's office is ${offices[0].code}`);
      if (!office) {
        if (!opts['office-code'] || !opts['office-name'] || !opts['doc-prefix']) {
          throw new UsageError('the store has no office yet: give --office-code, --office-name and --doc-prefix');
        }
        office = { id: crypto.randomUUID(), code: opts['office-code'], name: opts['office-name'], docPrefix: opts['doc-prefix'], createdAt: now.getTime() };
        await em.insert(Office, office);
        await recordAudit(em, actor, now, { action: 'office.create', entityType: 'office', entityId: office.id, after: office });
      }
      return createUser(em, { officeId: office.id }, actor, now, { ...input.data, password });
    });
    process.stdout.write(`created administrator ${created.username} (${created.id})\n`);
  } finally {
    await ds.destroy();
  }
}

main().catch((e) => {
  if (e instanceof UsageError) {
    process.stderr.write(`admin:create: ${e.message}\n`);
    process.exit(2);
  }
  if (e instanceof Refused || isAppError(e)) {
    process.stderr.write(`admin:create: refused: ${e.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`admin:create failed: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
