/**
 * Importing employer registers (xlsx, csv) and exporting the list, on both databases: the dry run
 * reports every refused row and writes nothing; a confirmed import writes the accepted rows; importing
 * again changes nothing, a newer register changes only what differs (with history); the export
 * neutralises cells a spreadsheet would run as formulas.
 */
import ExcelJS from 'exceljs';
import { makeCreditCode } from '../../../src/cases/credit-code';
import { rowCounts, startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';

const code = (n: number) => makeCreditCode(`91410103MA${String(n).padStart(7, '0')}`);
const badCheck = (n: number) => {
  const c = code(n);
  return c.slice(0, 17) + (c[17] === '0' ? '1' : '0');
};

async function xlsx(rows: (string | number | { formula: string; result?: string })[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('企业名册');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

const HEADERS = ['统一社会信用代码', '企业名称', '法定代表人', '住所', '行业', '企业类型', '从业人数', '参保人数'];
const TABLES = ['employers', 'employer_changes', 'employer_fields', 'audit_log'];

describe.each(testDbKinds())('employer register import and export (%s)', (kind) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(kind, 'employer_import');
  });
  afterAll(async () => t?.close());

  it('a dry run reports each bad row with its reason and writes nothing', async () => {
    const intake = await t.login('intake');
    const content = await xlsx([
      HEADERS,
      [code(1), '郑州一号商贸有限公司', '张一', '郑州市二七区解放路 20 号', '批发和零售业', '有限责任公司（自然人投资或控股）', 12, 10],
      [badCheck(2), '郑州二号商贸有限公司', '张二', '郑州市二七区解放路 22 号', '', '', 5, 5],
      [code(1), '郑州一号商贸有限公司（重复）', '张一', '郑州市二七区解放路 20 号', '', '', 12, 10],
      ['', '没有代码的公司', '', '某地', '', '', 1, 1],
      [code(3), { formula: 'HYPERLINK("http://evil.example","点我")', result: '点我' }, '张三', '郑州市二七区解放路 24 号', '', '', 3, 3],
      [code(4), '郑州四号商贸有限公司', '张四', '郑州市二七区解放路 26 号', '', '', '十二', 3],
      [code(5), '郑州五号商贸有限公司', '张五', '', '', '', 3, 3],
    ]);
    const before = await rowCounts(t.db, TABLES);
    const res = await intake.post('/api/employers/import').send({ fileName: '企业名册.xlsx', contentBase64: content });
    expect(res.status).toBe(200);
    expect(res.body.confirmed).toBe(false);
    expect(res.body.counts).toEqual({ create: 1, update: 0, unchanged: 0, refused: 6 });
    const reasons = Object.fromEntries(res.body.refused.map((r: { row: number; reasons: string[] }) => [r.row, r.reasons.join('；')]));
    expect(reasons[3]).toMatch(/校验码错误/);
    expect(reasons[4]).toMatch(/与第2行重复/);
    expect(reasons[5]).toMatch(/缺少统一社会信用代码/);
    expect(reasons[6]).toMatch(/公式/);
    expect(reasons[7]).toMatch(/从业人数|职工人数/);
    expect(reasons[8]).toMatch(/缺少用工地址/);
    expect(res.body.changes[0]).toMatchObject({ row: 2, action: 'create', creditCode: code(1) });
    expect(await rowCounts(t.db, TABLES)).toEqual(before);
  });

  it('refuses a file without the register columns, an unreadable one and one over the row limit, writing nothing', async () => {
    const intake = await t.login('intake');
    const before = await rowCounts(t.db, TABLES);
    const csv = Buffer.from('\uFEFF名称,地址\n某公司,某地\n', 'utf8').toString('base64');
    const cols = await intake.post('/api/employers/import').send({ fileName: 'a.csv', contentBase64: csv, confirm: true });
    expect(cols.status).toBe(400);
    expect(cols.body.error.code).toBe('IMPORT_COLUMNS');
    expect(JSON.stringify(cols.body.error.details)).toMatch(/统一社会信用代码/);
    const broken = await intake.post('/api/employers/import').send({ fileName: 'a.xlsx', contentBase64: Buffer.from('PK\u0003\u0004garbage').toString('base64'), confirm: true });
    expect(broken.status).toBe(400);
    expect(broken.body.error.code).toBe('IMPORT_UNREADABLE');
    const many = ['统一社会信用代码,单位名称,地址', ...Array.from({ length: 100_001 }, (_, i) => `X${i},公司${i},某地`)].join('\n');
    const big = await intake.post('/api/employers/import').send({ fileName: 'big.csv', contentBase64: Buffer.from(many).toString('base64') });
    expect(big.status).toBe(400);
    expect(big.body.error.code).toBe('IMPORT_TOO_MANY_ROWS');
    expect((await (await t.login('handler1')).post('/api/employers/import').send({ fileName: 'a.csv', contentBase64: csv })).status).toBe(403);
    expect(await rowCounts(t.db, TABLES)).toEqual(before);
  });

  it('a confirmed import writes the accepted rows; importing again changes nothing; a newer register changes only what differs', async () => {
    const intake = await t.login('intake');
    const rows = [
      HEADERS,
      [code(11), '郑州十一号建筑劳务有限公司', '李十一', '郑州市二七区解放路 30 号', '建筑业', '私营', 40, 35],
      [code(12), '郑州十二号餐饮有限公司', '李十二', '郑州市二七区铭功路 8 号', '住宿和餐饮业', '个体工商户', 8, 0],
      [badCheck(13), '坏代码公司', '', '某地', '', '', 1, 1],
    ];
    const first = await intake.post('/api/employers/import').send({ fileName: 'r.xlsx', contentBase64: await xlsx(rows), confirm: true });
    expect(first.status).toBe(200);
    expect(first.body.counts).toEqual({ create: 2, update: 0, unchanged: 0, refused: 1 });
    const [e11] = await t.db.ds.query('SELECT id, headcount, ownership, social_insurance_participants AS si FROM employers WHERE credit_code = ?', [code(11)]);
    expect(e11).toMatchObject({ ownership: 'private' });
    expect(Number(e11.headcount)).toBe(40);
    const file = await intake.get(`/api/employers/${e11.id}`);
    expect(file.body.collected.headcount).toMatchObject({ by: '窗口 王敏', source: 'import' });

    const counts = await rowCounts(t.db, ['employers', 'employer_changes']);
    const again = await intake.post('/api/employers/import').send({ fileName: 'r.xlsx', contentBase64: await xlsx(rows), confirm: true });
    expect(again.body.counts).toEqual({ create: 0, update: 0, unchanged: 2, refused: 1 });
    expect(await rowCounts(t.db, ['employers', 'employer_changes'])).toEqual(counts);

    // The social-insurance register a month later, as csv: participants changed for one employer.
    const csv = `统一社会信用代码,参保单位名称,参保人数\r\n${code(11)},郑州十一号建筑劳务有限公司,38\r\n${code(12)},郑州十二号餐饮有限公司,0\r\n`;
    const later = await intake.post('/api/employers/import').send({ fileName: '参保单位.csv', contentBase64: Buffer.from(csv).toString('base64'), confirm: true });
    expect(later.body.counts).toEqual({ create: 0, update: 1, unchanged: 1, refused: 0 });
    expect(later.body.changes[0]).toMatchObject({ creditCode: code(11), fields: ['socialInsuranceParticipants'] });
    const history = (await intake.get(`/api/employers/${e11.id}/history`)).body.items;
    expect(history[0]).toMatchObject({ field: 'socialInsuranceParticipants', oldValue: '35', newValue: '38', source: 'import' });
  });

  it('reads a csv exported in GB18030 and refuses its formula cells', async () => {
    const intake = await t.login('intake');
    const text = `统一社会信用代码,单位名称,地址\n${code(21)},郑州二十一号有限公司,解放路 40 号\n${code(22)},=1+2,解放路 42 号\n${code(23)},@SUM(A1),解放路 44 号\n`;
    const gb18030 = encodeGb18030(text);
    const res = await intake.post('/api/employers/import').send({ fileName: 'gb.csv', contentBase64: gb18030.toString('base64') });
    expect(res.status).toBe(200);
    expect(res.body.changes[0]).toMatchObject({ name: '郑州二十一号有限公司', action: 'create' });
    expect(res.body.refused.map((r: { row: number }) => r.row)).toEqual([3, 4]);
  });

  it('exports the list to xlsx with formula-looking cells neutralised', async () => {
    const admin = await t.login('admin');
    const [e] = await t.db.ds.query('SELECT id FROM employers WHERE credit_code = ?', [code(12)]);
    expect((await admin.patch(`/api/employers/${e.id}`).send({ name: '=HYPERLINK("http://evil.example","点我")', legalRepresentative: '@李十二', industry: '-2+3' })).status).toBe(200);
    const res = await admin.get('/api/employers/export.xlsx').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(2).value).toBe('单位名称');
    const headers = (ws.getRow(1).values as unknown[]).map(String);
    const col = (label: string) => headers.indexOf(label);
    let found = false;
    ws.eachRow((row, n) => {
      if (n === 1) return;
      row.eachCell((cell) => {
        expect(cell.formula).toBeUndefined();
        expect(typeof cell.value === 'string' ? /^[=+\-@]/.test(cell.value) : false).toBe(false);
      });
      if (row.getCell(2).value === '\'=HYPERLINK("http://evil.example","点我")') {
        found = true;
        expect(row.getCell(col('法定代表人（负责人）')).value).toBe('\'@李十二');
        expect(row.getCell(col('行业')).value).toBe('\'-2+3');
      }
    });
    expect(found).toBe(true);
    // A grid officer's export holds only their grid's files.
    const grid1 = await t.login('grid1');
    const own = await grid1.get('/api/employers/export.xlsx').buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(own.body as ArrayBuffer);
    const names: string[] = [];
    wb2.worksheets[0].eachRow((row, n) => { if (n > 1) names.push(String(row.getCell(2).value)); });
    expect(names).toContain('郑州宏达建筑劳务有限公司');
    expect(names).not.toContain('河南鑫源电子科技有限公司');
  });
});

/** GB18030 bytes of a text: Node decodes GB18030 but does not encode it, so the two-byte codes are found by decoding. */
function encodeGb18030(text: string): Buffer {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) { out.push(cp); continue; }
    const bytes = GB_TABLE.get(ch);
    if (!bytes) throw new Error(`no GB18030 bytes for ${ch} in the test table`);
    out.push(...bytes);
  }
  return Buffer.from(out);
}

/** The GB18030 (GBK) codes of the characters the test's csv uses, found by decoding every two-byte code once. */
const GB_TABLE: Map<string, number[]> = (() => {
  const m = new Map<string, number[]>();
  const d = new TextDecoder('gb18030');
  for (let a = 0x81; a <= 0xfe; a++) {
    for (let b = 0x40; b <= 0xfe; b++) {
      if (b === 0x7f) continue;
      const ch = d.decode(new Uint8Array([a, b]));
      if (!m.has(ch)) m.set(ch, [a, b]);
    }
  }
  return m;
})();
