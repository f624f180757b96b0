/** Request shapes of the employer file's commands and queries, shared by the routes and the import. */
import { z } from 'zod';
import { checkCreditCode } from '../cases/credit-code';
import { OWNERSHIP, SCALE, WAGE_PAY_METHOD, WORKING_HOURS_SYSTEM } from './fields';

export const creditCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((v, ctx) => {
    const r = checkCreditCode(v);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
  });

const text = (max: number) => z.string().trim().min(1).max(max).nullable();
const count = (max = 1_000_000) => z.number().int().min(0).max(max).nullable();
const keys = <T extends Record<string, string>>(o: T) => z.enum(Object.keys(o) as [keyof T & string, ...(keyof T & string)[]]).nullable();

/** Every field of the file but name, address and grid, each optional; null clears it. */
const fileFields = {
  creditCode: creditCodeSchema.nullable(),
  legalRepresentative: text(100),
  phone: text(40),
  industry: text(100),
  ownership: keys(OWNERSHIP),
  scale: keys(SCALE),
  headcount: count(),
  migrantWorkers: count(),
  contractsSigned: count(),
  wagePayDay: z.number().int().min(1).max(31).nullable(),
  wagePayMethod: keys(WAGE_PAY_METHOD),
  /** In fen (分). */
  wageArrearsFen: count(100_000_000_000),
  wageArrearsWorkers: count(),
  workingHoursSystem: keys(WORKING_HOURS_SYSTEM),
  socialInsuranceParticipants: count(),
  hasUnion: z.boolean().nullable(),
  coordinatorName: text(100),
  coordinatorPhone: text(40),
  constructionProject: z.boolean().nullable(),
  mainContractor: text(200),
  wageAccount: text(64),
  responsibleStaffId: z.string().uuid().nullable(),
};

const partialFields = Object.fromEntries(Object.entries(fileFields).map(([k, s]) => [k, s.optional()])) as { [K in keyof typeof fileFields]: z.ZodOptional<(typeof fileFields)[K]> };

/** A real day as YYYY-MM-DD (2026-02-30 is refused). */
export const dayString = () => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine((v) => {
  const t = new Date(v + 'T00:00:00Z');
  return Number.isFinite(t.getTime()) && t.toISOString().slice(0, 10) === v && t.getUTCFullYear() >= 1990 && t.getUTCFullYear() <= 2100;
}, 'a real calendar date between 1990 and 2100');

/** When the grid collected what it enters, if not today (a paper form entered later); not in the future. */
const collectedOn = dayString().optional();

export const createEmployerSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  address: z.string().trim().min(1).max(300),
  /** Omitted: the address rules place the file, or it waits in the unplaced list. */
  gridId: z.string().uuid().optional(),
  ...partialFields,
  collectedOn,
});

export const updateEmployerSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  address: z.string().trim().min(1).max(300).optional(),
  /** Kept for callers that move a file with PATCH; the same as POST …/move. */
  gridId: z.string().uuid().optional(),
  ...partialFields,
  collectedOn,
});

export const moveEmployerSchema = z.strictObject({
  gridId: z.string().uuid(),
  reason: z.string().trim().min(1).max(500).optional(),
});

/** Keyset cursor: the last row's name and id, base64url JSON. */
export const cursorSchema = z.string().max(600).regex(/^[A-Za-z0-9_-]+$/, 'a cursor from nextCursor');

export const listEmployersSchema = z.strictObject({
  q: z.string().trim().max(100).optional(),
  creditCode: z.string().trim().max(18).optional(),
  gridId: z.string().uuid().optional(),
  /** `1`: only the files no grid holds yet. */
  unplaced: z.enum(['1', '0']).optional(),
  industry: z.string().trim().max(100).optional(),
  scale: z.enum(Object.keys(SCALE) as [string, ...string[]]).optional(),
  /** `1` complete files, `0` incomplete ones (the required labour data missing). */
  complete: z.enum(['1', '0']).optional(),
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const historyQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export type CreateEmployerInput = z.infer<typeof createEmployerSchema>;
export type UpdateEmployerInput = z.infer<typeof updateEmployerSchema>;
export type ListEmployersInput = z.infer<typeof listEmployersSchema>;
