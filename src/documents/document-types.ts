/**
 * The official documents (文书) the offices issue: for each, its id, title, template file, the data
 * it carries (a zod schema of the snapshot stored with every issued document) and sample data for
 * previews. Templates may name only the fields their type provides (see template-check.ts).
 *
 * Besides the type's own data every template sees `office.name`, `document.number` (文号) and
 * `document.issueDate` (成文日期, e.g. 2026年11月21日), filled in when the document is issued.
 */
import { z } from 'zod';
import { creditDocumentTypes } from '../credit/document-types';
import { publicationDocumentTypes } from '../credit/publication-document-types';
import { gradingDocumentTypes } from '../credit/grading-documents';
import { writtenReviewDocumentTypes } from '../credit/written-review-documents';

const text = (max = 2000) => z.string().trim().min(1).max(max);
const optText = (max = 2000) => z.string().trim().max(max).optional();
/** Calendar dates as YYYY-MM-DD; rendered as 2026年11月21日 by the `date` helper. */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
/** Date and time as YYYY-MM-DDTHH:mm (local office time); rendered by the `datetime` helper. */
const isoDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'a date and time as YYYY-MM-DDTHH:mm');
const amount = z.number().nonnegative().max(1e12);

const party = z.object({
  name: text(600),
  address: optText(600),
  creditCode: optText(32),
  legalRepresentative: optText(600),
  phone: optText(40),
});
const person = z.object({
  name: text(600),
  idType: optText(40),
  idNumber: optText(40),
  phone: optText(40),
  address: optText(600),
});
/** 复议 and 诉讼: the body, where, and the period (行政复议法 第20条 60日; 行政诉讼法 第46条 6个月). */
const remedies = z.object({
  reconsiderationBody: text(300),
  reconsiderationDays: z.number().int().positive().max(365),
  court: text(300),
  lawsuitMonths: z.number().int().positive().max(24),
});
const workerAmount = z.object({ name: text(600), amount });

export const commonFields = ['office', 'document'] as const;

export interface DocumentType<S extends z.ZodObject = z.ZodObject> {
  id: string;
  title: string;
  /** Type's mark in the document number, as in 郑人社监限改〔2026〕0001号: numbers stay unique across types. */
  numberCode: string;
  /** File under templates/ holding version 1 of the template. */
  templateFile: string;
  schema: S;
  sample: z.input<S>;
}

function type<S extends z.ZodObject>(t: DocumentType<S>): DocumentType<S> {
  return t;
}

const sampleEmployer = { name: '郑州某建筑劳务有限公司', address: '郑州市金水区花园路 88 号', creditCode: '91410105MA00000000', legalRepresentative: '王某', phone: '0371-00000000' };
const sampleRemedies = { reconsiderationBody: '郑州市人民政府', reconsiderationDays: 60, court: '郑州市金水区人民法院', lawsuitMonths: 6 };

export const documentTypes = {
  'complaint-register': type({
    id: 'complaint-register', numberCode: '登', title: '举报投诉登记表', templateFile: 'complaint-register.hbs',
    schema: z.object({
      caseNumber: optText(64),
      kind: z.enum(['投诉', '举报']),
      channel: text(40),
      receivedAt: isoDateTime,
      complainant: person,
      employer: party,
      workersCount: z.number().int().nonnegative().optional(),
      claims: z.array(z.object({ item: text(300), amount: amount.optional() })).max(50),
      facts: text(5000),
      registrar: text(100),
    }),
    sample: {
      caseNumber: 'ZZ-2026-000123', kind: '投诉', channel: '窗口', receivedAt: '2026-11-20T09:30',
      complainant: { name: '张三', idType: '居民身份证', idNumber: '410105199001010000', phone: '13800000000', address: '郑州市金水区经三路 1 号' },
      employer: sampleEmployer, workersCount: 12,
      claims: [{ item: '拖欠 2026 年 8 月至 10 月工资', amount: 36000 }, { item: '未签订书面劳动合同' }],
      facts: '投诉人称自 2026 年 8 月起在该公司承建的工地务工，公司拖欠其及其他 11 名工人工资共计 36,000 元。',
      registrar: '李窗口',
    },
  }),
  'case-approval': type({
    id: 'case-approval', numberCode: '立', title: '立案审批表', templateFile: 'case-approval.hbs',
    schema: z.object({
      caseNumber: text(64),
      source: text(100),
      party,
      partyIdType: optText(40),
      partyIdNumber: optText(40),
      summary: text(5000),
      provisionsBreached: text(2000),
      handlerOpinion: text(2000),
      inspectors: text(200),
      handlerDate: isoDate,
      approverOpinion: optText(2000),
      approver: optText(100),
      approvalDate: isoDate.optional(),
    }),
    sample: {
      caseNumber: 'ZZ-2026-000123', source: '投诉（窗口）', party: sampleEmployer, partyIdType: '统一社会信用代码', partyIdNumber: '91410105MA00000000',
      summary: '该公司涉嫌拖欠 12 名劳动者 2026 年 8 月至 10 月工资共计 36,000 元。',
      provisionsBreached: '《劳动法》第五十条；《保障农民工工资支付条例》第十一条',
      handlerOpinion: '符合立案条件，建议立案调查。', inspectors: '赵监察、钱监察', handlerDate: '2026-11-20',
      approverOpinion: '同意立案。', approver: '孙科长', approvalDate: '2026-11-20',
    },
  }),
  'non-acceptance-notice': type({
    id: 'non-acceptance-notice', numberCode: '不受', title: '不予受理通知书', templateFile: 'non-acceptance-notice.hbs',
    schema: z.object({
      recipient: text(600),
      receivedDate: isoDate,
      subject: text(2000),
      reasons: text(3000),
      basis: text(1000),
      competentBody: optText(300),
      remedies,
    }),
    sample: {
      recipient: '张三', receivedDate: '2026-11-20', subject: '确认与郑州某建筑劳务有限公司存在劳动关系',
      reasons: '该事项属于劳动争议，不属于劳动保障监察事项。', basis: '《劳动保障监察条例》第二十一条',
      competentBody: '郑州市劳动人事争议仲裁委员会', remedies: sampleRemedies,
    },
  }),
  'inquiry-notice': type({
    id: 'inquiry-notice', numberCode: '询', title: '询问通知书', templateFile: 'inquiry-notice.hbs',
    schema: z.object({
      party,
      matter: text(2000),
      appearAt: isoDateTime,
      place: text(300),
      materials: z.array(text(300)).max(30),
      contactPerson: text(100),
      contactPhone: text(40),
      basis: text(500),
    }),
    sample: {
      party: sampleEmployer, matter: '涉嫌拖欠劳动者工资', appearAt: '2026-11-25T09:00', place: '郑州市人力资源和社会保障局劳动保障监察支队 305 室',
      materials: ['营业执照副本复印件', '法定代表人身份证明', '2026 年 8 月至 10 月工资支付记录', '劳动者名册及劳动合同'],
      contactPerson: '赵监察', contactPhone: '0371-11111111', basis: '《劳动保障监察条例》第十五条',
    },
  }),
  'order-to-correct': type({
    id: 'order-to-correct', numberCode: '限改', title: '劳动保障监察限期改正指令书', templateFile: 'order-to-correct.hbs',
    schema: z.object({
      party,
      facts: text(5000),
      provisionsBreached: text(2000),
      basis: text(1000),
      workers: z.array(workerAmount).max(500),
      workersCount: z.number().int().nonnegative(),
      totalAmount: amount,
      correction: text(2000),
      /** The period to correct, in days from service: the one the system's `correction` deadline runs. */
      correctionDays: z.number().int().positive().max(365).optional(),
      /** The correction deadline's date once the order is served (case_deadlines); the order itself states the period. */
      deadline: isoDate.optional(),
      consequence: text(2000),
      remedies,
    }),
    sample: {
      party: sampleEmployer,
      facts: '经查，你单位自 2026 年 8 月起拖欠 12 名劳动者工资共计 36,000 元。',
      provisionsBreached: '《劳动法》第五十条', basis: '《劳动保障监察条例》第十八条、第二十六条',
      workers: [{ name: '张三', amount: 3000 }, { name: '李四', amount: 3000 }, { name: '王五', amount: 3000 }],
      workersCount: 12, totalAmount: 36000, correction: '足额支付所拖欠的劳动者工资', correctionDays: 7,
      consequence: '逾期不改正的，将依法作出行政处理或处罚决定；拒不支付劳动报酬数额较大的，依法移送公安机关。',
      remedies: sampleRemedies,
    },
  }),
  'penalty-prior-notice': type({
    id: 'penalty-prior-notice', numberCode: '罚告', title: '行政处罚事先告知书', templateFile: 'penalty-prior-notice.hbs',
    schema: z.object({
      party,
      facts: text(5000),
      evidence: text(3000),
      reasons: text(3000),
      basis: text(1000),
      proposedPenalty: text(1000),
      statementDays: z.number().int().positive().max(30),
      hearingRight: z.boolean(),
      hearingDays: z.number().int().positive().max(30),
      contactPerson: text(100),
      contactPhone: text(40),
      address: text(300),
    }),
    sample: {
      party: sampleEmployer, facts: '你单位拖欠 12 名劳动者工资 36,000 元，经责令限期改正逾期未改正。',
      evidence: '询问笔录、工资表、考勤记录、限期改正指令书及送达回证', reasons: '逾期不改正，情节较重。',
      basis: '《劳动保障监察条例》第二十六条', proposedPenalty: '罚款人民币贰万元整（20,000 元）',
      statementDays: 3, hearingRight: true, hearingDays: 5, contactPerson: '赵监察', contactPhone: '0371-11111111',
      address: '郑州市人力资源和社会保障局劳动保障监察支队',
    },
  }),
  'hearing-notice': type({
    id: 'hearing-notice', numberCode: '听', title: '听证通知书', templateFile: 'hearing-notice.hbs',
    schema: z.object({
      party,
      matter: text(2000),
      requestedDate: isoDate,
      hearingAt: isoDateTime,
      place: text(300),
      presider: text(100),
      clerk: optText(100),
      publicHearing: z.boolean(),
      contactPerson: text(100),
      contactPhone: text(40),
    }),
    sample: {
      party: sampleEmployer, matter: '拟对你单位罚款 20,000 元', requestedDate: '2026-12-01', hearingAt: '2026-12-10T09:30',
      place: '郑州市人力资源和社会保障局听证室', presider: '周法制', clerk: '吴书记员', publicHearing: true,
      contactPerson: '周法制', contactPhone: '0371-22222222',
    },
  }),
  'penalty-decision': type({
    id: 'penalty-decision', numberCode: '罚决', title: '行政处罚决定书', templateFile: 'penalty-decision.hbs',
    schema: z.object({
      party,
      facts: text(5000),
      evidence: text(3000),
      statementSummary: optText(3000),
      penalty: text(1000),
      basis: text(1000),
      fineAmount: amount.optional(),
      paymentDays: z.number().int().positive().max(90),
      paymentMethod: text(1000),
      remedies,
    }),
    sample: {
      party: sampleEmployer, facts: '你单位拖欠 12 名劳动者工资 36,000 元，经责令限期改正逾期未改正。',
      evidence: '询问笔录、工资表、考勤记录、限期改正指令书及送达回证', statementSummary: '你单位在规定期限内未提出陈述、申辩，亦未要求听证。',
      penalty: '罚款人民币贰万元整', basis: '《劳动保障监察条例》第二十六条；《中华人民共和国行政处罚法》第五十九条',
      fineAmount: 20000, paymentDays: 15, paymentMethod: '持本决定书到指定银行缴纳罚款', remedies: sampleRemedies,
    },
  }),
  'handling-decision': type({
    id: 'handling-decision', numberCode: '处', title: '劳动保障监察行政处理决定书', templateFile: 'handling-decision.hbs',
    schema: z.object({
      party,
      facts: text(5000),
      evidence: text(3000),
      decisions: z.array(text(1000)).min(1).max(20),
      basis: text(1000),
      deadline: isoDate,
      consequence: text(2000),
      remedies,
    }),
    sample: {
      party: sampleEmployer, facts: '你单位拖欠 12 名劳动者 2026 年 8 月至 10 月工资共计 36,000 元。',
      evidence: '询问笔录、工资表、考勤记录', decisions: ['支付 12 名劳动者工资共计 36,000 元', '按应付金额 50% 以上 100% 以下的标准加付赔偿金'],
      basis: '《劳动保障监察条例》第二十六条', deadline: '2026-12-05',
      consequence: '逾期不履行的，本机关将依法申请人民法院强制执行。', remedies: sampleRemedies,
    },
  }),
  'criminal-referral': type({
    id: 'criminal-referral', numberCode: '移', title: '涉嫌犯罪案件移送书', templateFile: 'criminal-referral.hbs',
    schema: z.object({
      police: text(300),
      party,
      suspectedCrime: text(300),
      facts: text(5000),
      amount,
      workersCount: z.number().int().nonnegative(),
      orderDescription: text(1000),
      attachments: z.array(text(300)).min(1).max(50),
      basis: text(1000),
      contactPerson: text(100),
      contactPhone: text(40),
    }),
    sample: {
      police: '郑州市公安局金水分局', party: sampleEmployer, suspectedCrime: '拒不支付劳动报酬罪（《刑法》第二百七十六条之一）',
      facts: '该公司拖欠 12 名劳动者工资共计 36,000 元，经责令限期支付后逾期仍不支付。', amount: 36000, workersCount: 12,
      orderDescription: '本机关于 2026 年 11 月 20 日送达限期改正指令书，责令其于 2026 年 11 月 27 日前支付。',
      attachments: ['涉嫌犯罪案件调查报告', '涉案物品清单', '询问笔录 3 份', '限期改正指令书及送达回证'],
      basis: '《行政执法机关移送涉嫌犯罪案件的规定》第三条、第六条', contactPerson: '赵监察', contactPhone: '0371-11111111',
    },
  }),
  'preservation-application': type({
    id: 'preservation-application', numberCode: '保全', title: '诉前财产保全申请书', templateFile: 'preservation-application.hbs',
    schema: z.object({
      court: text(300),
      applicant: party,
      respondent: party,
      serviceAddress: text(600),
      request: text(2000),
      factsAndReasons: text(5000),
      amount,
      assets: z.array(text(600)).min(1).max(50),
      security: text(2000),
    }),
    sample: {
      court: '郑州市金水区人民法院',
      applicant: { name: '郑州市劳动人事争议仲裁委员会', address: '郑州市中原区建设路 1 号', legalRepresentative: '某主任', phone: '0371-33333333' },
      respondent: sampleEmployer, serviceAddress: '郑州市中原区建设路 1 号',
      request: '请求冻结被申请人银行存款人民币 36,000 元或查封其等值财产。',
      factsAndReasons: '被申请人拖欠 12 名劳动者工资，其法定代表人已失联，并有转移财产迹象。', amount: 36000,
      assets: ['被申请人在某银行郑州分行开立的基本存款账户', '被申请人所有的豫A00000号工程车辆'],
      security: '申请追索劳动报酬，依法不提供担保（《劳动争议调解仲裁法》第四十四条）。',
    },
  }),
  'arbitration-notice': type({
    id: 'arbitration-notice', numberCode: '仲告', title: '仲裁告知书', templateFile: 'arbitration-notice.hbs',
    schema: z.object({
      recipient: text(600),
      receivedDate: isoDate,
      matter: text(2000),
      reasons: text(3000),
      commission: text(300),
      commissionAddress: text(600),
      basis: text(1000),
    }),
    sample: {
      recipient: '张三', receivedDate: '2026-11-20', matter: '解除劳动合同经济补偿', reasons: '该事项属于劳动争议，应通过劳动人事争议仲裁解决。',
      commission: '郑州市劳动人事争议仲裁委员会', commissionAddress: '郑州市中原区建设路 1 号',
      basis: '《劳动保障监察条例》第二十一条；《劳动争议调解仲裁法》第二十七条',
    },
  }),
  'closure-approval': type({
    id: 'closure-approval', numberCode: '结', title: '结案审批表', templateFile: 'closure-approval.hbs',
    schema: z.object({
      caseNumber: text(64),
      party,
      registeredDate: isoDate,
      summary: text(5000),
      outcome: text(3000),
      enforcement: text(3000),
      handlerOpinion: text(2000),
      handler: text(200),
      handlerDate: isoDate,
      approverOpinion: optText(2000),
      approver: optText(100),
      approvalDate: isoDate.optional(),
    }),
    sample: {
      caseNumber: 'ZZ-2026-000123', party: sampleEmployer, registeredDate: '2026-11-20',
      summary: '该公司拖欠 12 名劳动者工资共计 36,000 元。', outcome: '下达限期改正指令书，责令支付拖欠工资。',
      enforcement: '该公司已于 2026 年 11 月 26 日足额支付，劳动者签字确认。', handlerOpinion: '已改正，建议结案。',
      handler: '赵监察、钱监察', handlerDate: '2026-11-27', approverOpinion: '同意结案。', approver: '孙科长', approvalDate: '2026-11-27',
    },
  }),
  'service-receipt': type({
    id: 'service-receipt', numberCode: '送', title: '送达回证', templateFile: 'service-receipt.hbs',
    schema: z.object({
      servedDocumentTitle: text(200),
      servedDocumentNumber: text(100),
      recipient: text(600),
      address: text(600),
      method: z.enum(['直接送达', '留置送达', '电子送达', '邮寄送达', '公告送达']),
      servedAt: isoDateTime.optional(),
      receiver: optText(600),
      witness: optText(600),
      servers: text(200),
      remarks: optText(2000),
    }),
    sample: {
      servedDocumentTitle: '劳动保障监察限期改正指令书', servedDocumentNumber: '郑人社监限改〔2026〕0001号', recipient: '郑州某建筑劳务有限公司',
      address: '郑州市金水区花园路 88 号', method: '直接送达', servedAt: '2026-11-20T15:00', receiver: '王某',
      servers: '赵监察、钱监察', remarks: '',
    },
  }),
  'completion-request': type({
    id: 'completion-request', numberCode: '补正', title: '补正通知书', templateFile: 'completion-request.hbs',
    schema: z.object({
      recipient: text(600),
      receivedDate: isoDate,
      kind: z.enum(['投诉', '举报']),
      subject: text(2000),
      items: z.array(text(600)).min(1).max(30),
      deadline: isoDate,
      basis: text(1000),
      consequence: text(2000),
      contactPerson: text(100),
      contactPhone: text(40),
    }),
    sample: {
      recipient: '张三', receivedDate: '2026-11-20', kind: '投诉', subject: '某公司拖欠工资',
      items: ['用人单位的准确名称、注册地址或统一社会信用代码', '劳动关系证明材料（工牌、考勤记录或工资条）'], deadline: '2026-11-27',
      basis: '《劳动保障监察条例》第二十条；关于实施《劳动保障监察条例》若干规定 第十八条',
      consequence: '逾期未补正且无正当理由的，视为未提出投诉，本机关不予受理。', contactPerson: '李窗口', contactPhone: '0371-11111111',
    },
  }),
  'case-transfer-letter': type({
    id: 'case-transfer-letter', numberCode: '移函', title: '案件移送函', templateFile: 'case-transfer-letter.hbs',
    schema: z.object({
      receivingBody: text(300),
      caseNumber: text(64),
      party,
      facts: text(5000),
      reasons: text(3000),
      basis: text(1000),
      attachments: z.array(text(300)).min(1).max(50),
      contactPerson: text(100),
      contactPhone: text(40),
    }),
    sample: {
      receivingBody: '郑州市二七区市场监督管理局', caseNumber: 'ZZ-2026-000123', party: sampleEmployer,
      facts: '该公司涉嫌无照经营职业中介活动。', reasons: '该事项不属于劳动保障监察职权范围。',
      basis: '《劳动保障监察条例》第二十一条；关于实施《劳动保障监察条例》若干规定 第十八条',
      attachments: ['投诉材料', '询问笔录'], contactPerson: '赵监察', contactPhone: '0371-11111111',
    },
  }),
  'enforcement-application': type({
    id: 'enforcement-application', numberCode: '强执', title: '强制执行申请书', templateFile: 'enforcement-application.hbs',
    schema: z.object({
      court: text(300),
      applicant: party,
      respondent: party,
      decisionTitle: text(200),
      decisionNumber: text(100),
      decisionDate: isoDate,
      decisionContent: text(1000),
      servedDate: isoDate.optional(),
      fineAmount: amount.optional(),
      lateFee: amount.optional(),
      request: text(2000),
      factsAndReasons: text(5000),
      basis: text(1000),
      attachments: z.array(text(300)).min(1).max(50),
    }),
    sample: {
      court: '郑州市金水区人民法院',
      applicant: { name: '郑州市人力资源和社会保障局', address: '郑州市中原区建设路 1 号', legalRepresentative: '某局长' },
      respondent: sampleEmployer, decisionTitle: '行政处罚决定书', decisionNumber: '郑人社监罚决〔2026〕0001号', decisionDate: '2026-06-01',
      decisionContent: '罚款人民币贰万元整', servedDate: '2026-06-02', fineAmount: 20000, lateFee: 20000,
      request: '请求强制执行申请人作出的行政处罚决定，执行罚款及加处罚款共计人民币 40,000 元。',
      factsAndReasons: '被申请人逾期不缴纳罚款，申请人已书面催告，被申请人仍未履行。',
      basis: '《中华人民共和国行政强制法》第五十三条、第五十四条；《中华人民共和国行政处罚法》第七十二条',
      attachments: ['行政处罚决定书及送达回证', '催告书及送达回证', '案件主要证据材料'],
    },
  }),
  'arbitration-transfer-letter': type({
    id: 'arbitration-transfer-letter', numberCode: '仲移', title: '仲裁案件移送函', templateFile: 'arbitration-transfer-letter.hbs',
    schema: z.object({
      commission: text(300),
      caseNumber: text(64),
      complainant: text(600),
      party,
      matter: text(2000),
      findings: text(5000),
      basis: text(1000),
      materials: z.array(text(300)).min(1).max(50),
      contactPerson: text(100),
      contactPhone: text(40),
    }),
    sample: {
      commission: '郑州市劳动人事争议仲裁委员会', caseNumber: 'ZZ-2026-000123', complainant: '张三', party: sampleEmployer,
      matter: '解除劳动合同经济补偿', findings: '投诉人与该公司对解除劳动合同的原因及经济补偿数额存在争议。',
      basis: '《劳动保障监察条例》第二十一条', materials: ['仲裁告知书', '询问笔录 2 份', '劳动合同复印件'],
      contactPerson: '赵监察', contactPhone: '0371-11111111',
    },
  }),
  'police-transfer-approval': type({
    id: 'police-transfer-approval', numberCode: '移审', title: '涉嫌犯罪案件移送审批表', templateFile: 'police-transfer-approval.hbs',
    schema: z.object({
      caseNumber: text(64),
      party,
      suspectedCrime: text(300),
      facts: text(5000),
      amount,
      workersCount: z.number().int().nonnegative(),
      orderDescription: text(1000),
      basis: text(1000),
      teamOpinion: text(2000),
      team: text(300),
      teamDate: isoDate,
      approverOpinion: optText(2000),
      approver: optText(100),
      approvalDate: isoDate.optional(),
    }),
    sample: {
      caseNumber: 'ZZ-2026-000123', party: sampleEmployer, suspectedCrime: '拒不支付劳动报酬罪（《刑法》第二百七十六条之一）',
      facts: '该公司拖欠 12 名劳动者工资共计 36,000 元，经责令限期支付后逾期仍不支付。', amount: 36000, workersCount: 12,
      orderDescription: '本机关于 2026 年 11 月 20 日送达限期改正指令书，责令其于 2026 年 11 月 27 日前支付。',
      basis: '《行政执法机关移送涉嫌犯罪案件的规定》第三条、第五条；法释〔2013〕3号 第三条',
      teamOpinion: '已达到追诉标准，建议移送公安机关。', team: '赵监察、钱监察', teamDate: '2026-11-28',
      approverOpinion: '同意移送。', approver: '孙科长', approvalDate: '2026-11-29',
    },
  }),
  'police-reconsideration-request': type({
    id: 'police-reconsideration-request', numberCode: '复议', title: '提请复议书', templateFile: 'police-reconsideration-request.hbs',
    schema: z.object({
      police: text(300),
      party,
      suspectedCrime: text(300),
      transferDate: isoDate,
      transferNumber: text(100),
      decisionNumber: optText(100),
      decisionDate: isoDate.optional(),
      decisionReceivedDate: isoDate.optional(),
      reasons: text(3000),
      basis: text(1000),
      contactPerson: text(100),
      contactPhone: text(40),
    }),
    sample: {
      police: '郑州市公安局金水分局', party: sampleEmployer, suspectedCrime: '拒不支付劳动报酬罪', transferDate: '2026-11-29',
      transferNumber: '郑人社监移〔2026〕0001号', decisionNumber: '金公不立字〔2026〕2号', decisionDate: '2026-12-02', decisionReceivedDate: '2026-12-02',
      reasons: '该公司拖欠 12 名劳动者工资 36,000 元，经责令支付逾期仍不支付，已达到本省规定的数额较大标准。',
      basis: '《行政执法机关移送涉嫌犯罪案件的规定》第九条', contactPerson: '赵监察', contactPhone: '0371-11111111',
    },
  }),
  'procuratorate-supervision-request': type({
    id: 'procuratorate-supervision-request', numberCode: '监督', title: '立案监督建议书', templateFile: 'procuratorate-supervision-request.hbs',
    schema: z.object({
      procuratorate: text(300),
      police: text(300),
      party,
      suspectedCrime: text(300),
      transferDate: isoDate,
      transferNumber: text(100),
      history: text(3000),
      reasons: text(3000),
      basis: text(1000),
      attachments: z.array(text(300)).min(1).max(50),
      contactPerson: text(100),
      contactPhone: text(40),
    }),
    sample: {
      procuratorate: '郑州市金水区人民检察院', police: '郑州市公安局金水分局', party: sampleEmployer, suspectedCrime: '拒不支付劳动报酬罪',
      transferDate: '2026-11-29', transferNumber: '郑人社监移〔2026〕0001号',
      history: '该局作出不予立案的决定；本机关提请复议后，该局维持不予立案的决定。',
      reasons: '该公司拖欠 12 名劳动者工资 36,000 元，经责令支付逾期仍不支付，已达到追诉标准。',
      basis: '《行政执法机关移送涉嫌犯罪案件的规定》第九条、第十四条',
      attachments: ['涉嫌犯罪案件移送书', '不予立案决定书', '提请复议书及复议决定'], contactPerson: '赵监察', contactPhone: '0371-11111111',
    },
  }),
  // Prevention: an order given on the spot during a grid patrol (日常巡查), with its follow-up visit.
  'on-site-correction-order': type({
    id: 'on-site-correction-order', numberCode: '现改', title: '劳动保障监察现场责令改正通知书', templateFile: 'on-site-correction-order.hbs',
    schema: z.object({
      party,
      patrolDate: isoDate,
      problems: text(5000),
      requirements: text(5000),
      followUpDate: isoDate,
      basis: text(300),
      inspectors: text(200),
    }),
    sample: {
      party: sampleEmployer, patrolDate: '2026-11-20', problems: '工资台账未按月记录，部分员工未签订书面劳动合同。',
      requirements: '补签书面劳动合同，建立工资支付台账。', followUpDate: '2026-11-30', basis: '《劳动保障监察条例》第十一条、第十八条',
      inspectors: '协管员 马丽',
    },
  }),
  // Credit supervision (src/credit/document-types.ts)
  ...creditDocumentTypes,
  // Random inspection results and major-violation publications (src/credit/publication-document-types.ts)
  ...publicationDocumentTypes,
  // The yearly A/B/C grading (src/credit/grading-documents.ts)
  ...gradingDocumentTypes,
  // The annual written review (src/credit/written-review-documents.ts)
  ...writtenReviewDocumentTypes,
} satisfies Record<string, DocumentType>;

export type DocumentTypeId = keyof typeof documentTypes;
export const documentTypeIds = Object.keys(documentTypes) as DocumentTypeId[];

export function findDocumentType(id: string): DocumentType | undefined {
  return Object.prototype.hasOwnProperty.call(documentTypes, id) ? (documentTypes as Record<string, DocumentType>)[id] : undefined;
}

/** The fields around the type's own data that every template sees. */
export interface DocumentContext {
  office: { name: string };
  document: { number: string; issueDate: string };
}

export const sampleContext: DocumentContext = {
  office: { name: '郑州市人力资源和社会保障局' },
  document: { number: '郑人社监〔2026〕0001号', issueDate: '2026年11月21日' },
};

export const contextSchema = z.object({
  office: z.object({ name: z.string() }),
  document: z.object({ number: z.string(), issueDate: z.string() }),
});
