/**
 * The office documents of random inspections and of the publication of major violations: the list of
 * a draw's results made public (双随机、一公开), and the quarterly list of major labour-security
 * violations (重大劳动保障违法行为社会公布办法, 人社部令第29号). Neither belongs to one case: they are
 * issued with no case and read by the office's staff (src/auth/policy/document.ts).
 * Registered with the office's other documents by src/documents/document-types.ts.
 */
import { z } from 'zod';
import type { DocumentType } from '../documents/document-types';

const text = (max = 2000) => z.string().trim().min(1).max(max);
const optText = (max = 2000) => z.string().trim().max(max).optional();
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

function type<S extends z.ZodObject>(t: DocumentType<S>): DocumentType<S> {
  return t;
}

export const publicationDocumentTypes = {
  'random-inspection-results': type({
    id: 'random-inspection-results', numberCode: '抽公', title: '“双随机、一公开”抽查结果公示', templateFile: 'random-inspection-results.hbs',
    schema: z.object({
      drawTitle: text(200), drawnDate: isoDate, items: text(3000), drawnCount: z.number().int().positive(), registerSize: z.number().int().positive(),
      seed: text(64), inputsSha256: text(64), resultSha256: text(64),
      rows: z.array(z.object({ name: text(200), creditCode: optText(32), grid: optText(100), inspectors: text(200), outcome: text(40), note: optText(2000), endedDate: isoDate })).min(1).max(20000),
    }),
    sample: {
      drawTitle: '2026年第四季度劳动保障“双随机”抽查', drawnDate: '2026-10-09', items: '劳动合同签订情况；工资支付情况', drawnCount: 2, registerSize: 40,
      seed: 'a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778', inputsSha256: '5c1e0f4b2a39d8e7c6b5a4938271605f4e3d2c1b0a99887766554433221100ff',
      resultSha256: '0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0',
      rows: [
        { name: '郑州宏达建筑劳务有限公司', creditCode: '91410103MA00000001', grid: '解放路街道一社区', inspectors: '李强、赵磊', outcome: '未发现问题', endedDate: '2026-10-20' },
        { name: '郑州美佳餐饮管理有限公司', creditCode: '91410103MA00000002', grid: '解放路街道二社区', inspectors: '李强、王伟', outcome: '发现问题，已责令改正', note: '未按月记录工资台账。', endedDate: '2026-10-22' },
      ],
    },
  }),
  'major-violations-publication': type({
    id: 'major-violations-publication', numberCode: '重公', title: '重大劳动保障违法行为社会公布', templateFile: 'major-violations-publication.hbs',
    schema: z.object({
      periodText: text(40), basis: text(300),
      rows: z.array(z.object({ name: text(200), creditCode: optText(32), legalRepresentative: optText(100), facts: text(3000), handling: text(3000) })).min(1).max(2000),
    }),
    sample: {
      periodText: '2026年第四季度', basis: '《重大劳动保障违法行为社会公布办法》（人力资源社会保障部令第29号）',
      rows: [{
        name: '郑州宏达建筑劳务有限公司', creditCode: '91410103MA00000001', legalRepresentative: '张宏达',
        facts: '拖欠12名劳动者工资共计360,000.00元。', handling: '本机关责令限期支付，该单位逾期未支付，已依法移送公安机关。',
      }],
    },
  }),
} satisfies Record<string, DocumentType>;
