import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../portable';

/** An employer's file (一户一档), held by the grid where it uses labour (条例 第13条). */
@Entity('employers')
export class Employer {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'office_id', type: 'varchar', length: 36 }) officeId!: string;
  @Column({ name: 'grid_id', type: 'varchar', length: 36 }) gridId!: string;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  /** 统一社会信用代码 (18 characters, GB 32100-2015), when known. */
  @Column({ name: 'credit_code', type: 'varchar', length: 18, nullable: true }) creditCode!: string | null;
  @Column({ type: 'varchar', length: 300 }) address!: string;
  @Column({ name: 'legal_representative', type: 'varchar', length: 100, nullable: true }) legalRepresentative!: string | null;
  @Column({ type: 'varchar', length: 40, nullable: true }) phone!: string | null;
  @Column({ type: 'int', nullable: true }) headcount!: number | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt!: number;
}
