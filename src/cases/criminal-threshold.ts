/**
 * Whether the referral to the police (拒不支付劳动报酬罪, 刑法 第276条之一) is offered for a case.
 * Two conditions, both required:
 * - the employer was ordered to pay (限期改正指令书 or 行政处理决定书, or the order posted at the
 *   premises of an absconded employer and photographed or filmed: 法释〔2013〕3号 第4条) and the
 *   order's deadline has passed with wages still unpaid;
 * - the amount is large (第3条): one worker owed for N months or more and at least the province's
 *   figure, or M workers or more owed together at least the province's figure.
 * The figures come from the legal rules (the province's settings). The check offers the path; the
 * team's report and the head's approval still decide (移送规定 第5条).
 */
import type { LegalRules } from '../config/legal-rules';

export type OrderKind = '限期改正指令书' | '行政处理决定书' | '张贴责令支付文书';

export interface OrderToPay {
  kind: OrderKind;
  /** The pay-by deadline stated in the order (its end, as an instant). */
  deadlineAt: Date | number;
  /** For a posting: recorded by photo or video (第4条第2款 requires it). */
  recorded?: boolean;
}

export interface WorkerOwed {
  name?: string;
  /** Wages still unpaid after the order's deadline, in yuan. */
  amountOwed: number;
  /** Months of wages owed. */
  monthsOwed: number;
}

export interface CriminalThresholdInput {
  workers: WorkerOwed[];
  orders: OrderToPay[];
  /** Whether the employer absconded (a posted order counts only then). */
  employerAbsconded?: boolean;
  now: Date | number;
}

export interface ThresholdUsed {
  singleWorker: { minMonths: number; minAmount: number };
  multiWorker: { minWorkers: number; minTotal: number };
  source: string;
}

export interface CriminalThresholdResult {
  offered: boolean;
  /** Why (or why not), one line each, in Chinese for the case page. */
  reasons: string[];
  /** Which limb of 第3条 was met, if any. */
  met: 'singleWorker' | 'multiWorker' | null;
  /** The qualifying order, if any. */
  order: OrderKind | null;
  thresholdUsed: ThresholdUsed;
}

const fen = (yuan: number) => Math.round(yuan * 100);
const yuanText = (f: number) => (f / 100).toLocaleString('zh-CN', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
const ms = (t: Date | number) => (typeof t === 'number' ? t : t.getTime());

export function checkCriminalThreshold(rules: LegalRules, input: CriminalThresholdInput): CriminalThresholdResult {
  const thresholdUsed: ThresholdUsed = {
    singleWorker: { minMonths: rules['criminal.singleWorker.minMonths'].value, minAmount: rules['criminal.singleWorker.minAmount'].value },
    multiWorker: { minWorkers: rules['criminal.multiWorker.minWorkers'].value, minTotal: rules['criminal.multiWorker.minTotal'].value },
    source: rules['criminal.singleWorker.minAmount'].source,
  };
  const reasons: string[] = [];
  const now = ms(input.now);
  const unpaid = input.workers.filter((w) => fen(w.amountOwed) > 0);
  const totalFen = unpaid.reduce((s, w) => s + fen(w.amountOwed), 0);

  // The order-to-pay precondition (法释〔2013〕3号 第4条).
  let order: OrderKind | null = null;
  const eligible = input.orders.filter((o) => {
    if (o.kind !== '张贴责令支付文书') return true;
    if (!input.employerAbsconded) {
      reasons.push('张贴责令支付文书仅在用人单位逃匿、无法送达时视为责令支付（第4条第2款）');
      return false;
    }
    if (!o.recorded) {
      reasons.push('张贴责令支付文书未以拍照、录像等方式记录，不能视为责令支付（第4条第2款）');
      return false;
    }
    return true;
  });
  if (input.orders.length === 0) reasons.push('尚未以限期改正指令书或行政处理决定书责令支付（第4条）');
  const lapsed = eligible.filter((o) => ms(o.deadlineAt) < now);
  if (eligible.length && !lapsed.length) reasons.push('责令支付的期限尚未届满');
  if (lapsed.length) {
    if (unpaid.length === 0) {
      reasons.push('责令支付期限届满时工资已全部支付');
    } else {
      order = lapsed[0].kind;
      reasons.push(`已以${order}责令支付，期限届满仍未支付`);
    }
  }

  // The amount (第3条).
  const { minMonths, minAmount } = thresholdUsed.singleWorker;
  const { minWorkers, minTotal } = thresholdUsed.multiWorker;
  // 以上 includes the figure itself (刑法 第99条).
  const single = unpaid.find((w) => w.monthsOwed >= minMonths && fen(w.amountOwed) >= fen(minAmount));
  const multi = unpaid.length >= minWorkers && totalFen >= fen(minTotal);
  reasons.push(single
    ? `${single.name ?? '一名劳动者'}被拖欠${single.monthsOwed}个月、${yuanText(fen(single.amountOwed))}元，达到一名劳动者${minMonths}个月以上且${minAmount}元以上的标准（第3条第1项）`
    : `没有一名劳动者达到被拖欠${minMonths}个月以上且${minAmount}元以上的标准（第3条第1项）`);
  reasons.push(`${unpaid.length}名劳动者累计被拖欠${yuanText(totalFen)}元，${multi ? '达到' : '未达到'}${minWorkers}名以上且累计${minTotal}元以上的标准（第3条第2项）`);
  const met: CriminalThresholdResult['met'] = single ? 'singleWorker' : multi ? 'multiWorker' : null;

  const offered = order !== null && met !== null;
  reasons.unshift(offered ? '可以启动涉嫌拒不支付劳动报酬罪移送程序' : '不具备移送公安机关的条件');
  return { offered, reasons, met, order, thresholdUsed };
}
