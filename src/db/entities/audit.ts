import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { epochMs, jsonText } from '../portable';

/** One change, append-only: database triggers refuse UPDATE and DELETE on this table. */
@Entity('audit_log')
export class AuditEntry {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column({ type: 'bigint', transformer: epochMs }) at!: number;
  @Column({ name: 'actor_id', type: 'varchar', length: 36, nullable: true }) actorId!: string | null;
  @Column({ name: 'actor_name', type: 'varchar', length: 64 }) actorName!: string;
  @Column({ type: 'varchar', length: 64 }) action!: string;
  @Column({ name: 'entity_type', type: 'varchar', length: 32 }) entityType!: string;
  @Column({ name: 'entity_id', type: 'varchar', length: 64 }) entityId!: string;
  @Column({ name: 'case_id', type: 'varchar', length: 36, nullable: true }) caseId!: string | null;
  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true }) requestId!: string | null;
  @Column({ name: 'before_json', type: 'text', nullable: true, transformer: jsonText }) before!: object | null;
  @Column({ name: 'after_json', type: 'text', nullable: true, transformer: jsonText }) after!: object | null;
}
