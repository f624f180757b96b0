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

/** Failed logins per username, for throttling. */
@Entity('login_failures')
export class LoginFailure {
  @PrimaryColumn({ type: 'varchar', length: 64 }) username!: string;
  @Column({ type: 'int' }) failures!: number;
  @Column({ name: 'locked_until', type: 'bigint', nullable: true, transformer: epochMs }) lockedUntil!: number | null;
  @Column({ name: 'last_failure_at', type: 'bigint', transformer: epochMs }) lastFailureAt!: number;
}
