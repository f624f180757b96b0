import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../portable';

/** A login session; `id` is a keyed hash of the cookie's token, so the table alone cannot open a session. */
@Entity('sessions')
export class Session {
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ name: 'user_id', type: 'varchar', length: 36 }) userId!: string;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs }) expiresAt!: number;
}

/**
 * Login throttling counters (migration LoginThrottle): one row per (username, client address) and
 * one per client address. `id` is a keyed hash of what is counted, so the table holds neither
 * addresses nor what people typed as usernames (sometimes a password typed in the wrong field).
 * `attempts` counts failed logins plus logins whose password is being checked at this moment; the
 * row is void once `resetsAt` has passed and is then deleted by the periodic clean-up.
 */
@Entity('login_failures')
export class LoginFailure {
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  /** `user` for a (username, address) pair, `address` for an address over all usernames. */
  @Column({ type: 'varchar', length: 8 }) kind!: 'user' | 'address';
  @Column({ type: 'int' }) attempts!: number;
  @Column({ name: 'resets_at', type: 'bigint', transformer: epochMs }) resetsAt!: number;
}
