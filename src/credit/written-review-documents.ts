/**
 * The documents of the annual written review (书面审查, 劳动保障监察条例 第14条), registered with the
 * office's other documents (src/documents/document-types.ts spreads them in), and the data each one
 * takes from the employer's file, the review and the legal rules: the notice (书面审查通知书) with its
 * submission deadline, the reminder (催报通知书) with the new deadline, and the order to correct
 * (限期改正指令书) a review or an on-site verification found necessary. Periods come in the data.
 */
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import type { DocumentType } from '../documents/document-types';
import type { LegalRules } from '../config/legal-rules';
import type { ReviewEmployerRow, ReviewRow } from './written-review';

const text = (max = 2000) => z.string().trim().min(1).max(max);
const optText = (max = 2000) => z.string().trim().max(max).optional();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const year = z.number().int().min(2000).max(2100);
const party = z.object({ name: text(200), address: optText(600), creditCode: optText(32), legalRepresentative: optText(600) });

function type<S extends z.ZodObject>(t: DocumentType<S>): DocumentType<S> {
  return t;
}

/** What the notice asks the employer to submit, in the order of the submission form. */
export const SUBMISSION_ITEMS = [
  '职工人数及农民工人数', '签订书面劳动合同情况', '全年工资支付情况及每月工资支付日', '工时制度及特殊工时审批情况',
  '参加社会保险人数', '农民工工资支付及拖欠情况',
];
const BASIS = '《劳动保障监察条例》第十四条';

const sampleEmployer = { name: '郑州某建筑劳务有限公司', address: '郑州市金水区花园路 88 号', creditCode: '91410105MA00000000', legalRepresentative: '王某' };

export const writtenReviewDocumentTypes = {
  'written-review-notice': type({
    id: 'written-review-notice', numberCode: '书审', title: '劳动保障书面审查通知书', templateFile: 'written-review-notice.hbs',
    schema: z.object({ party, reviewYear: year, items: z.array(text(200)).min(1).max(20), submissionDays: z.number().int().positive().max(400), submissionDueDate: isoDate, basis: text(300) }),
    sample: { party: sampleEmployer, reviewYear: 2026, items: SUBMISSION_ITEMS, submissionDays: 30, submissionDueDate: '2027-01-31', basis: BASIS },
  }),
  'written-review-reminder': type({
    id: 'written-review-reminder', numberCode: '书催', title: '劳动保障书面审查催报通知书', templateFile: 'written-review-reminder.hbs',
    schema: z.object({ party, reviewYear: year, noticeNumber: text(64), submissionDueDate: isoDate, reminderDueDate: isoDate, basis: text(300) }),
    sample: { party: sampleEmployer, reviewYear: 2026, noticeNumber: '郑人社监书审〔2027〕0001号', submissionDueDate: '2027-01-31', reminderDueDate: '2027-02-21', basis: BASIS },
  }),
  'written-review-order': type({
    id: 'written-review-order', numberCode: '书改', title: '劳动保障监察限期改正指令书（书面审查）', templateFile: 'written-review-order.hbs',
    schema: z.object({ party, reviewYear: year, findings: text(5000), requirements: text(5000), correctionDueDate: isoDate, basis: text(300) }),
    sample: {
      party: sampleEmployer, reviewYear: 2026, findings: '经书面审查及实地核查，你单位有12名职工未签订书面劳动合同。', requirements: '与上述职工补签书面劳动合同，并报送补签情况。',
      correctionDueDate: '2027-03-31', basis: '《劳动保障监察条例》第十四条、第十八条',
    },
  }),
} satisfies Record<string, DocumentType>;

export type ReviewDocumentType = keyof typeof writtenReviewDocumentTypes;
export const REVIEW_DOCUMENT_TYPES = Object.keys(writtenReviewDocumentTypes) as ReviewDocumentType[];

const sentence = (s: string) => (/[。！？]$/u.test(s.trim()) ? s.trim() : `${s.trim().replace(/[；，、\s]+$/u, '')}。`);

/** The employer as its file names it: the party of every review document. */
export async function reviewParty(em: EntityManager, employerId: string): Promise<z.infer<typeof party>> {
  const rows: { name: string; address: string | null; credit_code: string | null; legal_representative: string | null }[] =
    await em.query('SELECT name, address, credit_code, legal_representative FROM employers WHERE id = ?', [employerId]);
  const e = rows[0];
  const out: z.infer<typeof party> = { name: e.name };
  if (e.address) out.address = e.address;
  if (e.credit_code) out.creditCode = e.credit_code;
  if (e.legal_representative) out.legalRepresentative = e.legal_representative;
  return out;
}

export interface ReviewDocumentInput {
  review: ReviewRow;
  row: ReviewEmployerRow;
  rules: LegalRules;
  /** Due dates (YYYY-MM-DD) the step computed. */
  dueDate: string;
  noticeNumber?: string | null;
  submissionDueDate?: string | null;
  findings?: string | null;
  requirements?: string | null;
}

/** The registry data of one review document. */
export async function reviewDocumentData(em: EntityManager, type: ReviewDocumentType, d: ReviewDocumentInput): Promise<Record<string, unknown>> {
  const party = await reviewParty(em, d.row.employer_id);
  const reviewYear = Number(d.review.year);
  switch (type) {
    case 'written-review-notice':
      return { party, reviewYear, items: SUBMISSION_ITEMS, submissionDays: d.rules['writtenReview.submission'].value, submissionDueDate: d.dueDate, basis: BASIS };
    case 'written-review-reminder':
      return { party, reviewYear, noticeNumber: d.noticeNumber ?? '（未编号）', submissionDueDate: d.submissionDueDate ?? d.dueDate, reminderDueDate: d.dueDate, basis: BASIS };
    case 'written-review-order':
      return {
        party, reviewYear, findings: sentence((d.findings ?? '经书面审查及实地核查，你单位存在违反劳动保障法律法规的行为').slice(0, 4900)),
        requirements: sentence((d.requirements ?? '按上述问题逐项改正，并报送改正情况').slice(0, 4900)), correctionDueDate: d.dueDate, basis: '《劳动保障监察条例》第十四条、第十八条',
      };
  }
}
