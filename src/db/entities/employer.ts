import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMs } from '../portable';

/** Nullable integers read back as numbers from either driver (MySQL answers BIGINT as a string). */
const intOrNull = { from: (v: unknown): number | null => (v === null || v === undefined ? null : Number(v)), to: (v: number | null | undefined) => v };

/**
 * An employer's file (一户一档), held by the grid where it uses labour (条例 第13条); `gridId` is null
 * while no address rule or person has placed it. Who collected each field is in employer_fields, every
 * change in employer_changes (src/employers/).
 */
@Entity('employers')
export class Employer {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'office_id', type: 'varchar', length: 36 }) officeId!: string;
  @Column({ name: 'grid_id', type: 'varchar', length: 36, nullable: true }) gridId!: string | null;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  /** 统一社会信用代码 (18 characters, GB 32100-2015), when known. */
  @Column({ name: 'credit_code', type: 'varchar', length: 18, nullable: true }) creditCode!: string | null;
  @Column({ type: 'varchar', length: 300 }) address!: string;
  @Column({ name: 'legal_representative', type: 'varchar', length: 100, nullable: true }) legalRepresentative!: string | null;
  @Column({ type: 'varchar', length: 40, nullable: true }) phone!: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) industry!: string | null;
  @Column({ type: 'varchar', length: 24, nullable: true }) ownership!: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) scale!: string | null;
  @Column({ type: 'int', nullable: true }) headcount!: number | null;
  @Column({ name: 'migrant_workers', type: 'int', nullable: true }) migrantWorkers!: number | null;
  @Column({ name: 'contracts_signed', type: 'int', nullable: true }) contractsSigned!: number | null;
  @Column({ name: 'wage_pay_day', type: 'int', nullable: true }) wagePayDay!: number | null;
  @Column({ name: 'wage_pay_method', type: 'varchar', length: 16, nullable: true }) wagePayMethod!: string | null;
  @Column({ name: 'wage_arrears_fen', type: 'bigint', nullable: true, transformer: intOrNull }) wageArrearsFen!: number | null;
  @Column({ name: 'wage_arrears_workers', type: 'int', nullable: true }) wageArrearsWorkers!: number | null;
  @Column({ name: 'working_hours_system', type: 'varchar', length: 16, nullable: true }) workingHoursSystem!: string | null;
  @Column({ name: 'social_insurance_participants', type: 'int', nullable: true }) socialInsuranceParticipants!: number | null;
  @Column({ name: 'has_union', type: 'int', nullable: true }) hasUnion!: number | null;
  @Column({ name: 'coordinator_name', type: 'varchar', length: 100, nullable: true }) coordinatorName!: string | null;
  @Column({ name: 'coordinator_phone', type: 'varchar', length: 40, nullable: true }) coordinatorPhone!: string | null;
  @Column({ name: 'construction_project', type: 'int', nullable: true }) constructionProject!: number | null;
  @Column({ name: 'main_contractor', type: 'varchar', length: 200, nullable: true }) mainContractor!: string | null;
  @Column({ name: 'wage_account', type: 'varchar', length: 64, nullable: true }) wageAccount!: string | null;
  /** The grid_staff member responsible for the employer (under grid supervision when set). */
  @Column({ name: 'responsible_staff_id', type: 'varchar', length: 36, nullable: true }) responsibleStaffId!: string | null;
  /** 1 when every field required for the collection rate is filled (src/employers/fields.ts). */
  @Column({ name: 'file_complete', type: 'int', default: 0 }) fileComplete!: number;
  /** The oldest collection time among the required fields: the file is current while this is recent. */
  @Column({ name: 'file_collected_at', type: 'bigint', nullable: true, transformer: epochMs }) fileCollectedAt!: number | null;
  /** How the grid was chosen: `rule` (an address rule), `manual`, or null while unplaced. */
  @Column({ name: 'placed_by', type: 'varchar', length: 8, nullable: true }) placedBy!: string | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: number;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt!: number;
}

/** Who collected a field of an employer's file, and when (the latest collection). */
@Entity('employer_fields')
export class EmployerField {
  @PrimaryColumn({ name: 'employer_id', type: 'varchar', length: 36 }) employerId!: string;
  @PrimaryColumn({ type: 'varchar', length: 40 }) field!: string;
  @Column({ name: 'collected_by', type: 'varchar', length: 36, nullable: true }) collectedBy!: string | null;
  @Column({ name: 'collected_by_name', type: 'varchar', length: 100 }) collectedByName!: string;
  @Column({ name: 'collected_at', type: 'bigint', transformer: epochMs }) collectedAt!: number;
  /** `grid` (a grid's collection), `intake`, `import`, `admin`. */
  @Column({ type: 'varchar', length: 16 }) source!: string;
}

/** One change of one field of an employer's file; moves between grids are changes of `gridId`. */
@Entity('employer_changes')
export class EmployerChange {
  @PrimaryColumn({ type: 'integer', generated: 'increment' }) id!: number;
  @Column({ name: 'employer_id', type: 'varchar', length: 36 }) employerId!: string;
  @Column({ type: 'varchar', length: 40 }) field!: string;
  @Column({ name: 'old_value', type: 'text', nullable: true }) oldValue!: string | null;
  @Column({ name: 'new_value', type: 'text', nullable: true }) newValue!: string | null;
  @Column({ name: 'changed_by', type: 'varchar', length: 36, nullable: true }) changedBy!: string | null;
  @Column({ name: 'changed_by_name', type: 'varchar', length: 100 }) changedByName!: string;
  @Column({ name: 'changed_at', type: 'bigint', transformer: epochMs }) changedAt!: number;
  @Column({ type: 'varchar', length: 16 }) source!: string;
}
