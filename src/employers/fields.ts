/**
 * The fields of an employer's file (一户一档), once: their Chinese labels, kinds and allowed values, and
 * which of them the grid must collect for the file to count as complete. The update command, the change
 * history, the import's columns, the export and the web page all read this catalogue.
 */
import type { Employer } from '../db/entities';

export type FieldKind = 'text' | 'int' | 'enum' | 'bool' | 'fen';
export type FieldGroup = 'registration' | 'labour' | 'construction' | 'grid';

export interface FieldDef {
  key: EmployerFieldKey;
  label: string;
  kind: FieldKind;
  group: FieldGroup;
  max?: number;
  /** Allowed values with their labels, for `enum`. */
  options?: Record<string, string>;
  /** Required for the file to be complete (the information collection rate). */
  required?: boolean;
  /** Personal data: masked in lists. */
  personal?: boolean;
}

export const OWNERSHIP = {
  state: '国有企业', collective: '集体企业', private: '私营企业', 'joint-stock': '股份制企业', foreign: '外商投资企业',
  hmt: '港澳台投资企业', individual: '个体工商户', institution: '事业单位', other: '其他',
} as const;
export const SCALE = { large: '大型', medium: '中型', small: '小型', micro: '微型' } as const;
export const WAGE_PAY_METHOD = { bank: '银行代发', cash: '现金发放', mixed: '银行代发与现金' } as const;
export const WORKING_HOURS_SYSTEM = { standard: '标准工时制', comprehensive: '综合计算工时制', flexible: '不定时工作制' } as const;

export const EMPLOYER_FIELD_KEYS = [
  'name', 'creditCode', 'legalRepresentative', 'address', 'phone', 'industry', 'ownership', 'scale',
  'headcount', 'migrantWorkers', 'contractsSigned', 'wagePayDay', 'wagePayMethod', 'wageArrearsFen', 'wageArrearsWorkers',
  'workingHoursSystem', 'socialInsuranceParticipants', 'hasUnion', 'coordinatorName', 'coordinatorPhone',
  'constructionProject', 'mainContractor', 'wageAccount',
  'gridId', 'responsibleStaffId',
] as const;
export type EmployerFieldKey = (typeof EMPLOYER_FIELD_KEYS)[number];

export const FIELDS: FieldDef[] = [
  { key: 'name', label: '单位名称', kind: 'text', group: 'registration', max: 200 },
  { key: 'creditCode', label: '统一社会信用代码', kind: 'text', group: 'registration', max: 18 },
  { key: 'legalRepresentative', label: '法定代表人（负责人）', kind: 'text', group: 'registration', max: 100 },
  { key: 'address', label: '用工地址', kind: 'text', group: 'registration', max: 300 },
  { key: 'phone', label: '单位电话', kind: 'text', group: 'registration', max: 40 },
  { key: 'industry', label: '行业', kind: 'text', group: 'registration', max: 100 },
  { key: 'ownership', label: '经济类型', kind: 'enum', group: 'registration', options: OWNERSHIP },
  { key: 'scale', label: '企业规模', kind: 'enum', group: 'registration', options: SCALE },
  { key: 'headcount', label: '职工人数', kind: 'int', group: 'labour', max: 1_000_000, required: true },
  { key: 'migrantWorkers', label: '农民工人数', kind: 'int', group: 'labour', max: 1_000_000, required: true },
  { key: 'contractsSigned', label: '签订书面劳动合同人数', kind: 'int', group: 'labour', max: 1_000_000, required: true },
  { key: 'wagePayDay', label: '工资支付日（每月）', kind: 'int', group: 'labour', max: 31, required: true },
  { key: 'wagePayMethod', label: '工资支付方式', kind: 'enum', group: 'labour', options: WAGE_PAY_METHOD, required: true },
  { key: 'wageArrearsFen', label: '报告的拖欠工资金额', kind: 'fen', group: 'labour', max: 100_000_000_000 },
  { key: 'wageArrearsWorkers', label: '被拖欠工资人数', kind: 'int', group: 'labour', max: 1_000_000 },
  { key: 'workingHoursSystem', label: '工时制度', kind: 'enum', group: 'labour', options: WORKING_HOURS_SYSTEM, required: true },
  { key: 'socialInsuranceParticipants', label: '参加社会保险人数', kind: 'int', group: 'labour', max: 1_000_000, required: true },
  { key: 'hasUnion', label: '是否建立工会', kind: 'bool', group: 'labour', required: true },
  { key: 'coordinatorName', label: '企业协管员', kind: 'text', group: 'labour', max: 100 },
  { key: 'coordinatorPhone', label: '企业协管员电话', kind: 'text', group: 'labour', max: 40, personal: true },
  { key: 'constructionProject', label: '是否工程建设项目', kind: 'bool', group: 'construction' },
  { key: 'mainContractor', label: '施工总承包单位', kind: 'text', group: 'construction', max: 200 },
  { key: 'wageAccount', label: '农民工工资专用账户', kind: 'text', group: 'construction', max: 64 },
  { key: 'gridId', label: '所属网格', kind: 'text', group: 'grid' },
  { key: 'responsibleStaffId', label: '责任网格员', kind: 'text', group: 'grid' },
];

export const FIELD_BY_KEY = new Map(FIELDS.map((f) => [f.key, f]));

/** A file value as the API shows it: booleans for bool fields (stored as 0/1). */
export type FieldValue = string | number | boolean | null;

export function readField(e: Employer, key: EmployerFieldKey): FieldValue {
  const v = (e as unknown as Record<string, unknown>)[key];
  if (v === null || v === undefined) return null;
  if (FIELD_BY_KEY.get(key)!.kind === 'bool') return Number(v) === 1;
  return v as FieldValue;
}

/** The stored form of an API value (bool → 0/1). */
export function storeValue(key: EmployerFieldKey, v: FieldValue): string | number | null {
  if (v === null) return null;
  if (FIELD_BY_KEY.get(key)!.kind === 'bool') return v ? 1 : 0;
  return v as string | number;
}

/** The required fields of this file: construction projects also need the contractor and wage account. */
export function requiredFields(e: Pick<Employer, 'constructionProject'>): EmployerFieldKey[] {
  const keys = FIELDS.filter((f) => f.required).map((f) => f.key);
  if (Number(e.constructionProject) === 1) keys.push('mainContractor', 'wageAccount');
  return keys;
}

/** A value as the change history stores it: text, or null. */
export function historyText(v: FieldValue): string | null {
  return v === null ? null : String(v);
}
