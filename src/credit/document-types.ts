/**
 * The documents of credit supervision, registered with the office's other documents
 * (src/documents/document-types.ts spreads them in): the steps of the wage-arrears joint-discipline
 * list (人社部令第45号) and the notice of a C grade. Periods come in the data, from the legal rules.
 */
import { z } from 'zod';
import type { DocumentType } from '../documents/document-types';

const text = (max = 2000) => z.string().trim().min(1).max(max);
const optText = (max = 2000) => z.string().trim().max(max).optional();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const days = z.number().int().positive().max(400);

// A registered name is far shorter than a page: a name that long would split across pages.
const party = z.object({ name: text(200), address: optText(600), creditCode: optText(32), legalRepresentative: optText(600), phone: optText(40) });
const responsible = z.array(z.object({ name: text(100), position: text(100) })).min(1).max(20);

function type<S extends z.ZodObject>(t: DocumentType<S>): DocumentType<S> {
  return t;
}

const sampleEmployer = { name: '郑州某建筑劳务有限公司', address: '郑州市金水区花园路 88 号', creditCode: '91410105MA00000000', legalRepresentative: '王某' };
const samplePeople = [{ name: '王某', position: '法定代表人' }, { name: '李某', position: '项目负责人' }];
const sampleFacts = '本机关以郑人社监限改〔2026〕0001号限期改正指令书责令你单位于2026年11月20日前支付拖欠的12名劳动者工资共计36,000元，你单位逾期仍未支付。';

export const creditDocumentTypes = {
  'blacklist-notice': type({
    id: 'blacklist-notice', numberCode: '失告', title: '拟列入拖欠农民工工资失信联合惩戒对象名单告知书', templateFile: 'blacklist-notice.hbs',
    schema: z.object({
      party, facts: text(5000), reasons: text(3000), basis: text(1000), responsiblePeople: responsible, defenceDays: days,
      contactPerson: text(100), contactPhone: text(40), address: text(300),
    }),
    sample: {
      party: sampleEmployer, facts: sampleFacts, reasons: '拖欠工资数额达到拒不支付劳动报酬罪的数额标准。', basis: '《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》',
      responsiblePeople: samplePeople, defenceDays: 5, contactPerson: '赵监察', contactPhone: '0371-11111111', address: '郑州市人力资源和社会保障局劳动保障监察支队',
    },
  }),
  'blacklist-decision': type({
    id: 'blacklist-decision', numberCode: '失决', title: '列入拖欠农民工工资失信联合惩戒对象名单决定书', templateFile: 'blacklist-decision.hbs',
    schema: z.object({
      party, facts: text(5000), reasons: text(3000), basis: text(1000), noticeNumber: text(64), defence: text(5000), responsiblePeople: responsible,
      listedDate: isoDate, expiryDate: isoDate, listingYears: days, repairMonths: days, repairDays: days,
    }),
    sample: {
      party: sampleEmployer, facts: sampleFacts, reasons: '拖欠工资数额达到拒不支付劳动报酬罪的数额标准。', basis: '《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》',
      noticeNumber: '郑人社监失告〔2026〕0001号', defence: '你单位提出的陈述申辩理由不能成立，不予采纳。', responsiblePeople: samplePeople,
      listedDate: '2026-12-20', expiryDate: '2029-12-20', listingYears: 3, repairMonths: 6, repairDays: 15,
    },
  }),
  'blacklist-not-listed': type({
    id: 'blacklist-not-listed', numberCode: '失不', title: '不予列入拖欠农民工工资失信联合惩戒对象名单决定书', templateFile: 'blacklist-not-listed.hbs',
    schema: z.object({ party, facts: text(5000), noticeNumber: text(64), reasons: text(5000) }),
    sample: { party: sampleEmployer, facts: sampleFacts, noticeNumber: '郑人社监失告〔2026〕0001号', reasons: '你单位提出的陈述申辩理由成立，予以采纳。' },
  }),
  'blacklist-removal': type({
    id: 'blacklist-removal', numberCode: '失移', title: '移出拖欠农民工工资失信联合惩戒对象名单决定书', templateFile: 'blacklist-removal.hbs',
    schema: z.object({
      party, decisionNumber: text(64), listingReasons: text(3000), listedDate: isoDate, removedDate: isoDate, reason: text(3000), responsiblePeople: responsible,
    }),
    sample: {
      party: sampleEmployer, decisionNumber: '郑人社监失决〔2026〕0001号', listingReasons: '拖欠工资数额达到拒不支付劳动报酬罪的数额标准。', listedDate: '2026-12-20', removedDate: '2027-07-01',
      reason: '你单位已足额支付拖欠的劳动者工资，列入名单已满规定期限，并作出守信承诺，经审核符合信用修复条件。', responsiblePeople: samplePeople,
    },
  }),
  'blacklist-repair-refusal': type({
    id: 'blacklist-repair-refusal', numberCode: '失修不', title: '不予信用修复决定书', templateFile: 'blacklist-repair-refusal.hbs',
    schema: z.object({ party, decisionNumber: text(64), appliedDate: isoDate, reasons: z.array(text(1000)).min(1).max(10) }),
    sample: { party: sampleEmployer, decisionNumber: '郑人社监失决〔2026〕0001号', appliedDate: '2027-03-01', reasons: ['列入名单未满规定的最短期限。', '未提交守信承诺书。'] },
  }),
} satisfies Record<string, DocumentType>;
