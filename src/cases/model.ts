/**
 * The case model's vocabulary: channels, claim categories (DOMAIN.md "Intake and routing"), routes,
 * statuses (workflows/README.md "Case status") and the complaint as intake receives it. Shared by the
 * HTTP layer, the commands and the workers, so each value is spelled in one place.
 */
import { z } from 'zod';
import { checkCreditCode, normalizeCreditCode } from './credit-code';
import { calendarDate, offsetDateTime } from '../http/validate';

export const CHANNELS = ['window', 'phone', 'online', 'grid', 'media'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, string> = { window: '窗口', phone: '电话', online: '网上', grid: '网格员', media: '媒体' };

export const CASE_KINDS = ['complaint', 'report'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const KIND_LABELS: Record<CaseKind, '投诉' | '举报'> = { complaint: '投诉', report: '举报' };

/**
 * Claim categories. `matter` says where the matter belongs by itself: inspection's own matters,
 * social-insurance contributions (audit when alone), or a dispute for mediation/arbitration.
 */
export const CLAIM_CATEGORIES = {
  'wage-arrears': { label: '拖欠工资', matter: 'inspection', provision: '《劳动法》第五十条；《保障农民工工资支付条例》第十一条' },
  'wage-deduction': { label: '克扣工资', matter: 'inspection', provision: '《劳动法》第五十条' },
  'minimum-wage': { label: '低于最低工资标准', matter: 'inspection', provision: '《劳动法》第四十八条；《最低工资规定》' },
  'no-written-contract': { label: '未签订书面劳动合同', matter: 'inspection', provision: '《劳动合同法》第十条' },
  'child-labour': { label: '使用童工', matter: 'inspection', provision: '《禁止使用童工规定》第二条' },
  'female-protection': { label: '女职工劳动保护', matter: 'inspection', provision: '《女职工劳动保护特别规定》' },
  'minor-protection': { label: '未成年工特殊保护', matter: 'inspection', provision: '《未成年工特殊保护规定》' },
  'working-hours': { label: '违反工作时间和休息休假规定', matter: 'inspection', provision: '《劳动法》第三十六条、第四十一条' },
  'social-insurance-registration': { label: '未办理社会保险登记', matter: 'inspection', provision: '《社会保险法》第五十七条、第五十八条' },
  'social-insurance-arrears': { label: '未足额缴纳社会保险费', matter: 'social-insurance', provision: '《社会保险法》第六十条' },
  'social-insurance-fraud': { label: '骗取社会保险基金', matter: 'social-insurance', provision: '《社会保险法》第八十七条、第八十八条' },
  'dismissal-compensation': { label: '解除劳动合同经济补偿、赔偿', matter: 'dispute', provision: '《劳动合同法》第四十六条、第八十七条' },
  'employment-relation': { label: '确认劳动关系', matter: 'dispute', provision: '《劳动争议调解仲裁法》第二条' },
  'work-injury': { label: '工伤待遇', matter: 'dispute', provision: '《工伤保险条例》' },
  'contract-dispute': { label: '劳动合同履行争议', matter: 'dispute', provision: '《劳动争议调解仲裁法》第二条' },
  other: { label: '其他', matter: 'inspection', provision: '《劳动保障监察条例》第十一条' },
} as const;
export type ClaimCategory = keyof typeof CLAIM_CATEGORIES;
export const CLAIM_CATEGORY_IDS = Object.keys(CLAIM_CATEGORIES) as [ClaimCategory, ...ClaimCategory[]];
export type MatterType = (typeof CLAIM_CATEGORIES)[ClaimCategory]['matter'];

/** Routes as the triage form and the intake diagram spell them. */
export const ROUTES = ['inspection', 'social-insurance-audit', 'arbitration', 'not-accepted', 'completion', 'merge'] as const;
export type Route = (typeof ROUTES)[number];

/** Status before any process step wrote one (已登记，待受理). */
export const REGISTERED = 'registered';

/** Statuses of the asset-preservation lifecycle: shown beside the case's own status, not instead of it. */
export const PRESERVATION_STATUSES = new Set([
  'asset-preservation', 'assets-preserved', 'asset-preservation-declined', 'asset-preservation-rejected', 'asset-preservation-lapsed',
]);

export const CASE_STATUSES = [
  REGISTERED, 'accepted', 'filing-review', 'filed', 'awaiting-correction', 'penalty-proposed', 'awaiting-statement', 'hearing-scheduled',
  'no-penalty', 'awaiting-payment', 'payment-overdue', 'enforcement-applied', 'penalty-executed', 'police-referral-review',
  'awaiting-police-decision', 'referred-to-police', 'police-referral-declined', 'police-refused', 'arbitration-referral',
  'referred-arbitration', ...PRESERVATION_STATUSES, 'closed', 'archived',
] as const;

/** Statuses after which the case is no longer open (a new complaint is not linked to it). */
export const FINISHED_STATUSES = ['closed', 'archived'] as const;

const trimmed = (max: number) => z.string().trim().min(1).max(max);
const optTrimmed = (max: number) => z.string().trim().max(max).optional();
/** Real calendar days only: 2026-02-30 or 2026-13-45 would otherwise reach the deadline arithmetic. */
const localDate = calendarDate();
/** Yuan with at most two decimals. */
const yuan = z.number().nonnegative().max(1e11).refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, 'at most two decimals (分)');

export const creditCodeInput = z.string().trim().transform(normalizeCreditCode).superRefine((v, ctx) => {
  const r = checkCreditCode(v);
  if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
});

export const personSchema = z.strictObject({
  name: trimmed(600),
  idType: optTrimmed(40),
  idNumber: optTrimmed(64),
  phone: optTrimmed(40),
  email: z.email().max(254).optional(),
  address: optTrimmed(600),
});

/** The employer: a file on record by id, or what the complainant told (a file is made when it can be placed in a grid). */
export const employerInputSchema = z.union([
  z.strictObject({ employerId: z.string().uuid() }),
  z.strictObject({
    name: trimmed(200),
    creditCode: creditCodeInput.optional(),
    address: optTrimmed(300),
    gridId: z.string().uuid().optional(),
    legalRepresentative: optTrimmed(100),
    phone: optTrimmed(40),
  }),
]);

export const workerInputSchema = z.strictObject({
  name: trimmed(600),
  idType: optTrimmed(40),
  idNumber: optTrimmed(64),
  phone: optTrimmed(40),
  amountOwed: yuan.optional(),
  monthsOwed: z.number().int().min(0).max(600).optional(),
});

export const claimInputSchema = z.strictObject({
  category: z.enum(CLAIM_CATEGORY_IDS),
  description: trimmed(5000),
  amount: yuan.optional(),
  periodFrom: localDate.optional(),
  periodTo: localDate.optional(),
});

export const complaintSchema = z.strictObject({
  kind: z.enum(CASE_KINDS).default('complaint'),
  channel: z.enum(CHANNELS),
  /** When the complaint reached the office (epoch ms or ISO 8601); defaults to now. */
  receivedAt: z.union([z.number().int().nonnegative(), offsetDateTime()]).optional(),
  /** A report may be anonymous; a complaint names its complainants. */
  complainants: z.array(personSchema).max(50).default([]),
  employer: employerInputSchema,
  workers: z.array(workerInputSchema).max(2000).default([]),
  claims: z.array(claimInputSchema).min(1).max(50),
  summary: trimmed(20000),
  /** When the violation ended; absent while it continues (条例 第20条 counts from its end). */
  violationEndedOn: localDate.optional(),
}).superRefine((v, ctx) => {
  if (v.kind === 'complaint' && v.complainants.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['complainants'], message: 'a complaint names at least one complainant (a report may be anonymous)' });
  }
});
export type ComplaintInput = z.input<typeof complaintSchema>;
export type Complaint = z.output<typeof complaintSchema>;

export const toFen = (yuanAmount: number | null | undefined): number | null =>
  yuanAmount === null || yuanAmount === undefined ? null : Math.round(yuanAmount * 100);
export const toYuan = (fenAmount: number | string | null | undefined): number | null =>
  fenAmount === null || fenAmount === undefined ? null : Number(fenAmount) / 100;
