import { complaintSchema } from '../../../src/cases/model';
import { makeCreditCode } from '../../../src/cases/credit-code';
import { formatCaseNumber } from '../../../src/cases/case-number';

const base = {
  channel: 'window', complainants: [{ name: '张三' }], employer: { name: '某公司', creditCode: makeCreditCode('91410103MA1234567') },
  claims: [{ category: 'wage-arrears', description: '欠薪' }], summary: '欠薪',
};

describe('the complaint as intake receives it', () => {
  it('takes a credit code with spaces and lower case and checks its check digit', () => {
    const code = makeCreditCode('91410103MA1234567');
    const typed = `${code.slice(0, 6)} ${code.slice(6).toLowerCase()}`;
    const r = complaintSchema.safeParse({ ...base, employer: { name: '某公司', creditCode: typed } });
    expect(r.success && 'creditCode' in r.data.employer && r.data.employer.creditCode).toBe(code);
    const wrong = code.slice(0, 17) + (code[17] === '0' ? '1' : '0');
    const bad = complaintSchema.safeParse({ ...base, employer: { name: '某公司', creditCode: wrong } });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('校验码错误');
  });

  it('keeps hostile text as it is: it is data, never markup or SQL', () => {
    const summary = `<script>alert("x")</script>'); DROP TABLE cases; -- {{constructor}} \${process.env}`;
    const r = complaintSchema.parse({ ...base, summary });
    expect(r.summary).toBe(summary);
  });

  it('requires a complainant for a complaint but not for an anonymous report', () => {
    expect(complaintSchema.safeParse({ ...base, complainants: [] }).success).toBe(false);
    expect(complaintSchema.safeParse({ ...base, kind: 'report', complainants: [] }).success).toBe(true);
  });

  it('refuses unknown fields and amounts finer than 分', () => {
    expect(complaintSchema.safeParse({ ...base, extra: 1 }).success).toBe(false);
    expect(complaintSchema.safeParse({ ...base, claims: [{ category: 'wage-arrears', description: 'x', amount: 1.005 }] }).success).toBe(false);
    expect(complaintSchema.safeParse({ ...base, claims: [{ category: 'unknown', description: 'x' }] }).success).toBe(false);
  });

  it('formats case numbers per office and year', () => {
    expect(formatCaseNumber('郑人社监', 2026, 7)).toBe('郑人社监案〔2026〕第0007号');
  });
});
