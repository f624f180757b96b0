/** Offices, their grids (level 1 streets, level 2 communities), users with roles and grids. */
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../portable';

/**
 * `grid_officer` (网格协管员) keeps the employer files and patrols of their grids; `enterprise_coordinator`
 * (企业协管员) works inside one employer (user_employers) and may only report for it.
 */
export const ROLES = ['intake', 'handler', 'legal', 'supervisor', 'admin', 'grid_officer', 'enterprise_coordinator'] as const;
export type Role = (typeof ROLES)[number];

@Entity('offices')
export class Office {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 32 }) code!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  /** Prefix of the office's document numbers, e.g. 郑人社监 in 郑人社监〔2026〕0001号. */
  @Column({ name: 'doc_prefix', type: 'varchar', length: 32 }) docPrefix!: string;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: number;
}

@Entity('grids')
export class Grid {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'office_id', type: 'varchar', length: 36 }) officeId!: string;
  @Column({ name: 'parent_id', type: 'varchar', length: 36, nullable: true }) parentId!: string | null;
  /** 1 = street (街道), 2 = community or village (社区/村). */
  @Column({ type: 'int' }) level!: number;
  /** Also the candidate-group name of the grid in user tasks. */
  @Column({ type: 'varchar', length: 64 }) code!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: number;
}

@Entity('users')
export class User {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'office_id', type: 'varchar', length: 36 }) officeId!: string;
  @Column({ type: 'varchar', length: 64 }) username!: string;
  @Column({ name: 'display_name', type: 'varchar', length: 100 }) displayName!: string;
  @Column({ name: 'password_hash', type: 'varchar', length: 255 }) passwordHash!: string;
  @Column({ type: 'boolean' }) active!: boolean;
  /** Where mail for this user goes (migration Contacts); null when none is on file. */
  @Column({ type: 'varchar', length: 254, nullable: true }) email!: string | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt!: number;
}

@Entity('user_roles')
export class UserRole {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId!: string;
  @PrimaryColumn({ type: 'varchar', length: 32 }) role!: Role;
}

@Entity('user_grids')
export class UserGrid {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId!: string;
  @PrimaryColumn({ name: 'grid_id', type: 'varchar', length: 36 }) gridId!: string;
}

/** The employer an enterprise coordinator (企业协管员) reports for; one row per user and employer. */
@Entity('user_employers')
export class UserEmployer {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId!: string;
  @PrimaryColumn({ name: 'employer_id', type: 'varchar', length: 36 }) employerId!: string;
}
