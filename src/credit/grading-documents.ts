/**
 * The documents of the yearly grading (企业劳动保障守法诚信等级评价办法, 2016): the notice of a C grade
 * (评价结果告知书) with the records that justify it and the objection period, and the decision on an
 * objection (异议复核决定书). Registered with the office's other documents (src/documents/document-types.ts
 * spreads them in); the periods they state are the legal rules the run keeps (credit.gradingObjection).
 */
import { z } from 'zod';
import type { DocumentType } from '../documents/document-types';

const text = (max = 2000) => z.string().trim().min(1).max(max);
const optText = (max = 2000) => z.string().trim().max(max).optional();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const party = z.object({ name: text(200), address: optText(600), creditCode: optText(32), legalRepresentative: optText(600) });
const gradeLetter = z.enum(['A', 'B', 'C']);

function type<S extends z.ZodObject>(t: DocumentType<S>): DocumentType<S> {
  return t;
}

const sampleEmployer = { name: '郑州某建筑劳务有限公司', address: '郑州市金水区花园路 88 号', creditCode: '91410105MA00000000', legalRepresentative: '王某' };

export const gradingDocumentTypes = {
  'credit-grade-notice': type({
    id: 'credit-grade-notice', numberCode: '评告', title: '劳动保障守法诚信等级评价结果告知书', templateFile: 'credit-grade-notice.hbs',
    schema: z.object({
      party, year: z.number().int().min(2000).max(2100), grade: gradeLetter, basis: text(300),
      reasons: z.array(z.object({ criterion: text(200), record: text(1000) })).min(1).max(200),
      objectionDays: z.number().int().positive().max(400), objectionDueDate: isoDate, lateRule: text(500), address: text(300),
    }),
    sample: {
      party: sampleEmployer, year: 2026, grade: 'C', basis: '《企业劳动保障守法诚信等级评价办法》',
      reasons: [{ criterion: '使用童工或强迫劳动', record: '案件郑人社监〔2026〕0001号：使用童工' }],
      objectionDays: 10, objectionDueDate: '2027-01-20', lateRule: '异议在规定期限届满后提出的，记为逾期，不予复核，书面答复异议人。', address: '郑州市人力资源和社会保障局劳动保障监察支队',
    },
  }),
  'credit-grade-objection-decision': type({
    id: 'credit-grade-objection-decision', numberCode: '评复', title: '劳动保障守法诚信等级评价异议复核决定书', templateFile: 'credit-grade-objection-decision.hbs',
    schema: z.object({
      party, year: z.number().int().min(2000).max(2100), noticeNumber: text(64), receivedDate: isoDate, objection: text(3000),
      upheld: z.boolean(), late: z.boolean(), originalGrade: gradeLetter, resultGrade: gradeLetter, reasons: text(5000),
    }),
    sample: {
      party: sampleEmployer, year: 2026, noticeNumber: '郑人社监评告〔2027〕0001号', receivedDate: '2027-01-12', objection: '所涉案件中的人员并非童工，已提交身份证明。',
      upheld: true, late: false, originalGrade: 'C', resultGrade: 'B', reasons: '经复核，异议人提交的身份证明表明所涉人员已满十六周岁，不构成使用童工。',
    },
  }),
} satisfies Record<string, DocumentType>;
