/**
 * Login sessions. The cookie holds a random token; the table holds only its HMAC under the session
 * secret, so neither a copy of the table nor a copy of the secret alone opens a session. A session
 * lives SESSION_TTL_HOURS after its last use.
 *
 * Failed logins are counted per (username, client address) and per client address. A login reserves
 * its attempt in both counters before the password is checked, with one conditional UPDATE whose
 * affected-row count decides: parallel guesses cannot read the same count and all pass, so no more
 * than LOGIN_MAX_FAILURES passwords are ever checked for a username from one address (nor more than
 * LOGIN_ADDRESS_MAX_FAILURES from one address) in a window. A successful login gives its reservation
 * back. Locks are per address, so a stranger's failures do not lock a user out of their own desk.
 */
import crypto from 'node:crypto';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { Clock } from '../clock/clock';
import { dbKind, inTransaction } from '../db/data-source';
import { Session, User } from '../db/entities';
import { errors } from '../errors';
import { DUMMY_HASH, verifyPassword } from './passwords';

export interface SessionOptions {
  secret: string;
  ttlHours: number;
  maxFailures: number;
  lockMinutes: number;
  /** Failed logins from one address over all usernames before the address is refused; default 30. */
  addressMaxFailures?: number;
}

/** A session is written back at most this often when it is used, to move its expiry along. */
const SLIDE_EVERY_MS = 60_000;
/** Stale throttle rows are deleted at most this often (by whichever login comes along). */
const CLEANUP_EVERY_MS = 60_000;

type Kind = 'user' | 'address';
type Reservation = { ok: true } | { ok: false; retryAfterMs: number };

export interface ResolvedSession {
  userId: string;
  expiresAt: number;
  /** True when this call moved the expiry: the cookie should carry the new one. */
  extended: boolean;
}

export class SessionService {
  private lastCleanup = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly opts: SessionOptions,
  ) {}

  private get ttlMs(): number {
    return this.opts.ttlHours * 3600_000;
  }

  private get lockMs(): number {
    return this.opts.lockMinutes * 60_000;
  }

  private hashToken(token: string): string {
    return crypto.createHmac('sha256', this.opts.secret).update(token).digest('hex');
  }

  private throttleId(kind: Kind, address: string, username = ''): string {
    return crypto.createHmac('sha256', this.opts.secret).update(`login-throttle\0${kind}\0${address}\0${username}`).digest('hex');
  }

  /**
   * Checks the password and opens a session; returns the cookie token. `address` is the client's
   * address (clientAddress in src/http/client-address.ts).
   */
  async login(username: string, password: string, address = 'unknown'): Promise<{ token: string; userId: string; expiresAt: number }> {
    const now = this.clock.now().getTime();
    await this.cleanupIfDue(now);
    const pairId = this.throttleId('user', address, username);
    const addressId = this.throttleId('address', address);

    const pair = await this.reserve(pairId, 'user', this.opts.maxFailures, now);
    if (!pair.ok) {
      const seconds = Math.max(1, Math.ceil(pair.retryAfterMs / 1000));
      throw errors.tooManyRequests('LOGIN_LOCKED', `Too many failed logins for this username; try again in ${Math.ceil(seconds / 60)} minutes.`, seconds);
    }
    const byAddress = await this.reserve(addressId, 'address', this.opts.addressMaxFailures ?? 30, now);
    if (!byAddress.ok) {
      await this.giveBack(pairId);
      const seconds = Math.max(1, Math.ceil(byAddress.retryAfterMs / 1000));
      throw errors.tooManyRequests('LOGIN_RATE_LIMITED', `Too many failed logins from this address; try again in ${Math.ceil(seconds / 60)} minutes.`, seconds);
    }

    let user: User | undefined;
    let ok: boolean;
    try {
      // MySQL's collation matches `ADMIN ` to `admin`: the candidates are filtered here, exactly.
      user = (await this.ds.manager.find(User, { where: { username } })).find((u) => u.username === username);
      ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    } catch (e) {
      // A failure of ours is not a wrong guess.
      await this.giveBack(pairId);
      await this.giveBack(addressId);
      throw e;
    }
    // The reservations stay: they are now counted failures.
    if (!user || !ok || !user.active) throw errors.badCredentials();

    const token = crypto.randomBytes(32).toString('base64url');
    const expiresAt = now + this.ttlMs;
    const userId = user.id;
    await inTransaction(this.ds, async (em) => {
      // Success clears the username's count from this address; the address's count only loses this attempt.
      await em.query('DELETE FROM login_failures WHERE id = ?', [pairId]);
      await em.query('UPDATE login_failures SET attempts = attempts - 1 WHERE id = ? AND attempts > 0', [addressId]);
      await em.insert(Session, { id: this.hashToken(token), userId, createdAt: now, expiresAt });
      await em.delete(Session, { userId, expiresAt: LessThan(now) });
    });
    return { token, userId, expiresAt };
  }

  /**
   * Takes one attempt from the counter `id` unless it is used up: opens the counter (or a new window
   * of it once the old one has passed), then increments it only while it is below `max`. The attempt
   * that uses up the counter also starts the lock, so a failure there locks for LOGIN_LOCK_MINUTES.
   */
  private async reserve(id: string, kind: Kind, max: number, now: number): Promise<Reservation> {
    const until = now + this.lockMs;
    for (let attempt = 0; ; attempt++) {
      const result = await inTransaction(this.ds, async (em): Promise<Reservation | null> => {
        await em.query(this.insertIfAbsentSql(), [id, kind, until]);
        await em.query('UPDATE login_failures SET attempts = 0, resets_at = ? WHERE id = ? AND resets_at <= ?', [until, id, now]);
        // resets_at is assigned before attempts: MySQL evaluates SET left to right with the new values,
        // SQLite with the old ones; in this order both see the old `attempts`.
        const taken = await this.affected(em,
          'UPDATE login_failures SET resets_at = CASE WHEN attempts + 1 >= ? THEN ? ELSE resets_at END, attempts = attempts + 1 WHERE id = ? AND attempts < ?',
          [max, until, id, max]);
        if (taken === 1) return { ok: true };
        const [row] = (await em.query('SELECT resets_at FROM login_failures WHERE id = ?', [id])) as { resets_at: number | string }[];
        // Deleted by the clean-up between the statements: try again.
        if (!row) return null;
        return { ok: false, retryAfterMs: Math.max(1000, Number(row.resets_at) - now) };
      });
      if (result) return result;
      if (attempt >= 3) return { ok: false, retryAfterMs: this.lockMs };
    }
  }

  /** Returns an attempt that was reserved but never became a failed login. */
  private async giveBack(id: string): Promise<void> {
    await inTransaction(this.ds, (em) => em.query('UPDATE login_failures SET attempts = attempts - 1 WHERE id = ? AND attempts > 0', [id]));
  }

  private insertIfAbsentSql(): string {
    return dbKind(this.ds) === 'mysql'
      ? 'INSERT INTO login_failures (id, kind, attempts, resets_at) VALUES (?, ?, 0, ?) ON DUPLICATE KEY UPDATE id = id'
      : 'INSERT INTO login_failures (id, kind, attempts, resets_at) VALUES (?, ?, 0, ?) ON CONFLICT (id) DO NOTHING';
  }

  private async affected(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
    const result = await em.queryRunner!.query(sql, params, true);
    return result.affected ?? 0;
  }

  /**
   * Counters whose window has passed are deleted, so usernames made up by guessers leave nothing
   * behind for longer than LOGIN_LOCK_MINUTES. Expired sessions of users who never log in again go
   * too (a user's own expired sessions are also removed at each of their logins).
   */
  private async cleanupIfDue(now: number): Promise<void> {
    if (now - this.lastCleanup < CLEANUP_EVERY_MS) return;
    this.lastCleanup = now;
    await inTransaction(this.ds, async (em) => {
      await em.query('DELETE FROM login_failures WHERE resets_at <= ?', [now]);
      await em.delete(Session, { expiresAt: LessThan(now) });
    });
  }

  /**
   * The live session of a cookie token, or null. Use keeps a session alive: its expiry moves to
   * SESSION_TTL_HOURS from now, written at most once a minute rather than on every request.
   */
  async resolve(token: string | undefined): Promise<ResolvedSession | null> {
    if (!token || token.length > 100) return null;
    const id = this.hashToken(token);
    const session = await this.ds.manager.findOne(Session, { where: { id } });
    const now = this.clock.now().getTime();
    if (!session || session.expiresAt <= now) return null;
    const expiresAt = now + this.ttlMs;
    if (expiresAt - session.expiresAt < SLIDE_EVERY_MS) return { userId: session.userId, expiresAt: session.expiresAt, extended: false };
    // Only a session still live is extended, so a logout or a password reset in between stays final.
    const moved = await inTransaction(this.ds, (em) => this.affected(em, 'UPDATE sessions SET expires_at = ? WHERE id = ? AND expires_at > ?', [expiresAt, id, now]));
    if (moved !== 1) return null;
    return { userId: session.userId, expiresAt, extended: true };
  }

  async logout(token: string | undefined): Promise<void> {
    if (token) await inTransaction(this.ds, (em) => em.delete(Session, { id: this.hashToken(token) }));
  }
}

/** Ends every session of a user (password changed, account deactivated), inside the caller's transaction. */
export async function endSessionsOf(em: EntityManager, userId: string): Promise<void> {
  await em.delete(Session, { userId });
}
