/**
 * Login sessions. The cookie holds a random token; the table holds only its HMAC under the session
 * secret, so neither a copy of the table nor a copy of the secret alone opens a session.
 * Failed logins are counted per username and lock it for a while after too many.
 */
import crypto from 'node:crypto';
import { DataSource, LessThan } from 'typeorm';
import { Clock } from '../clock/clock';
import { inTransaction } from '../db/data-source';
import { LoginFailure, Session, User } from '../db/entities';
import { errors } from '../errors';
import { DUMMY_HASH, verifyPassword } from './passwords';

export interface SessionOptions {
  secret: string;
  ttlHours: number;
  maxFailures: number;
  lockMinutes: number;
}

export class SessionService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly opts: SessionOptions,
  ) {}

  private hashToken(token: string): string {
    return crypto.createHmac('sha256', this.opts.secret).update(token).digest('hex');
  }

  /** Checks the password and opens a session; returns the cookie token. */
  async login(username: string, password: string): Promise<{ token: string; userId: string; expiresAt: number }> {
    const now = this.clock.now().getTime();
    const failure = await this.ds.manager.findOne(LoginFailure, { where: { username } });
    if (failure?.lockedUntil && failure.lockedUntil > now) {
      const seconds = Math.ceil((failure.lockedUntil - now) / 1000);
      throw errors.tooManyRequests('LOGIN_LOCKED', `Too many failed logins; try again in ${Math.ceil(seconds / 60)} minutes.`, seconds);
    }
    const user = await this.ds.manager.findOne(User, { where: { username } });
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || !user.active) {
      await this.recordFailure(username, failure, now);
      throw errors.badCredentials();
    }
    const token = crypto.randomBytes(32).toString('base64url');
    const expiresAt = now + this.opts.ttlHours * 3600_000;
    await inTransaction(this.ds, async (em) => {
      if (failure) await em.delete(LoginFailure, { username });
      await em.insert(Session, { id: this.hashToken(token), userId: user.id, createdAt: now, expiresAt });
      await em.delete(Session, { userId: user.id, expiresAt: LessThan(now) });
    });
    return { token, userId: user.id, expiresAt };
  }

  private async recordFailure(username: string, failure: LoginFailure | null, now: number): Promise<void> {
    const failures = (failure && (!failure.lockedUntil || failure.lockedUntil > now) ? failure.failures : 0) + 1;
    const lockedUntil = failures >= this.opts.maxFailures ? now + this.opts.lockMinutes * 60_000 : null;
    // Locking resets the count so that the next window starts afresh.
    await inTransaction(this.ds, (em) => em.save(LoginFailure, { username, failures: lockedUntil ? 0 : failures, lockedUntil, lastFailureAt: now }));
  }

  /** The user id of a live session, or null. */
  async resolve(token: string | undefined): Promise<string | null> {
    if (!token || token.length > 100) return null;
    const session = await this.ds.manager.findOne(Session, { where: { id: this.hashToken(token) } });
    if (!session || session.expiresAt <= this.clock.now().getTime()) return null;
    return session.userId;
  }

  async logout(token: string | undefined): Promise<void> {
    if (token) await inTransaction(this.ds, (em) => em.delete(Session, { id: this.hashToken(token) }));
  }
}
