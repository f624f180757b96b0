import { CriminalThresholdInput, checkCriminalThreshold } from '../../../src/cases/criminal-threshold';
import { loadLegalRules } from '../../../src/config/legal-rules';

const { rules } = loadLegalRules();
const now = new Date('2026-11-20T10:00:00+08:00');
const lapsedOrder = { kind: '限期改正指令书' as const, deadlineAt: new Date('2026-11-10T23:59:59.999+08:00') };
const workers = (n: number, amount: number, months = 2) => Array.from({ length: n }, (_, i) => ({ name: `工人${i + 1}`, amountOwed: amount, monthsOwed: months }));
const check = (over: Partial<CriminalThresholdInput>, r = rules) =>
  checkCriminalThreshold(r, { workers: [], orders: [lapsedOrder], now, ...over });

describe('criminal referral threshold (法释〔2013〕3号 第3、4条)', () => {
  it('one worker: 3 months and the figure are both needed, the figure itself counts (以上)', () => {
    expect(check({ workers: [{ amountOwed: 5000, monthsOwed: 3 }] })).toMatchObject({ offered: true, met: 'singleWorker', order: '限期改正指令书' });
    expect(check({ workers: [{ amountOwed: 4999.99, monthsOwed: 3 }] })).toMatchObject({ offered: false, met: null });
    expect(check({ workers: [{ amountOwed: 9000, monthsOwed: 2 }] })).toMatchObject({ offered: false, met: null });
  });

  it('ten or more workers: the total must reach the figure', () => {
    expect(check({ workers: workers(10, 3000) })).toMatchObject({ offered: true, met: 'multiWorker' });
    expect(check({ workers: workers(10, 2999.99) })).toMatchObject({ offered: false });
    expect(check({ workers: workers(9, 4000) })).toMatchObject({ offered: false }); // 36,000 but only 9 workers
    // paid-up workers do not count towards the ten
    expect(check({ workers: [...workers(9, 4000), { amountOwed: 0, monthsOwed: 0 }] })).toMatchObject({ offered: false });
  });

  it('uses the province\'s figures from the settings and reports them', () => {
    const province = loadLegalRules({ rules: { 'criminal.singleWorker.minAmount': 10000, 'criminal.multiWorker.minTotal': 60000 } }).rules;
    const r = check({ workers: [{ amountOwed: 8000, monthsOwed: 4 }] }, province);
    expect(r.offered).toBe(false);
    expect(r.thresholdUsed).toMatchObject({ singleWorker: { minMonths: 3, minAmount: 10000 }, multiWorker: { minWorkers: 10, minTotal: 60000 } });
    expect(check({ workers: workers(12, 5000) }, province)).toMatchObject({ offered: true, met: 'multiWorker' });
    expect(check({ workers: workers(12, 4999) }, province)).toMatchObject({ offered: false });
  });

  it('needs an order to pay whose deadline has passed unpaid', () => {
    const big = workers(12, 5000, 4);
    const none = check({ workers: big, orders: [] });
    expect(none.offered).toBe(false);
    expect(none.reasons).toContain('尚未以限期改正指令书或行政处理决定书责令支付（第4条）');
    const pending = check({ workers: big, orders: [{ kind: '行政处理决定书', deadlineAt: new Date('2026-11-30T23:59:59.999+08:00') }] });
    expect(pending.offered).toBe(false);
    expect(pending.reasons).toContain('责令支付的期限尚未届满');
    const paid = check({ workers: workers(12, 0) });
    expect(paid.offered).toBe(false);
    expect(paid.reasons).toContain('责令支付期限届满时工资已全部支付');
    expect(check({ workers: big, orders: [{ kind: '行政处理决定书', deadlineAt: lapsedOrder.deadlineAt }] })).toMatchObject({ offered: true, order: '行政处理决定书' });
  });

  it('counts a posted order only at an absconded employer\'s premises, photographed (第4条第2款)', () => {
    const big = workers(12, 5000);
    const posting = { kind: '张贴责令支付文书' as const, deadlineAt: lapsedOrder.deadlineAt, recorded: true };
    expect(check({ workers: big, orders: [posting], employerAbsconded: true })).toMatchObject({ offered: true, order: '张贴责令支付文书' });
    const unrecorded = check({ workers: big, orders: [{ ...posting, recorded: false }], employerAbsconded: true });
    expect(unrecorded.offered).toBe(false);
    expect(unrecorded.reasons.join('\n')).toMatch(/拍照、录像/);
    expect(check({ workers: big, orders: [posting], employerAbsconded: false }).offered).toBe(false);
  });

  it('gives its reasons in Chinese, the verdict first', () => {
    const r = check({ workers: [{ name: '张三', amountOwed: 12000, monthsOwed: 5 }] });
    expect(r.reasons[0]).toBe('可以启动涉嫌拒不支付劳动报酬罪移送程序');
    expect(r.reasons).toContain('张三被拖欠5个月、12,000元，达到一名劳动者3个月以上且5000元以上的标准（第3条第1项）');
  });
});
