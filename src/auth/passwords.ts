/** Password hashing with scrypt (Node's crypto): salted, parameters stored with the hash. */
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { errors } from '../errors';

const scrypt = promisify(crypto.scrypt) as (pw: string, salt: Buffer, keylen: number, opts: crypto.ScryptOptions) => Promise<Buffer>;
const PARAMS = { N: 16384, r: 8, p: 1, keylen: 32 };

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, PARAMS.keylen, { N: PARAMS.N, r: PARAMS.r, p: PARAMS.p });
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return crypto.timingSafeEqual(expected, actual);
}

/** Hash used when a username is unknown, so a wrong username costs as long as a wrong password. */
export const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/** The password everyone knows from the demo data; refused as a real password whatever the policy's other rules say. */
const DEMO_PASSWORD = 'demo1234';

export const PASSWORD_MIN_LENGTH = 12;

/**
 * What is wrong with a password chosen through the API or the admin command (empty when it is
 * acceptable): at least 12 characters, more than one kind of character (lower case, upper case,
 * digits, others), not (mostly) the username and not the demo password. The demo seed does not pass here.
 */
export function passwordProblems(password: string, username?: string): string[] {
  const problems: string[] = [];
  if ([...password].length < PASSWORD_MIN_LENGTH) problems.push(`at least ${PASSWORD_MIN_LENGTH} characters`);
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{Ll}\p{Lu}\p{Nd}]/u].filter((re) => re.test(password)).length;
  if (classes < 2) problems.push('more than one kind of character (lower case, upper case, digits, others)');
  // The username, also repeated or wrapped in digits and signs (handler2handler2, handler2!!): a first guess.
  if (username && containsMostlyName(password, username)) problems.push('not the username');
  if (password.trim().toLowerCase() === DEMO_PASSWORD) problems.push('not the demo password');
  return problems;
}

function containsMostlyName(password: string, username: string): boolean {
  const p = password.trim().toLowerCase();
  const u = username.trim().toLowerCase();
  if (!u) return false;
  if (p === u) return true;
  // What is left once every copy of the username is taken out: too little to count as a password.
  const rest = p.split(u).join('');
  return p.includes(u) && rest.length < PASSWORD_MIN_LENGTH / 2;
}

/** Throws 400 WEAK_PASSWORD naming every rule the password breaks. */
export function assertStrongPassword(password: string, username: string | undefined, path = 'body.password'): void {
  const problems = passwordProblems(password, username);
  if (problems.length) {
    throw errors.badRequest('WEAK_PASSWORD', `The password is too weak: it needs ${problems.join('; ')}.`, problems.map((message) => ({ path, message })));
  }
}
