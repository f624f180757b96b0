/** Words and small pieces the prevention pages share: colours, states, outcomes and months in Chinese. */
import { chinaToday, el } from '../dom';

export type WarningColour = 'yellow' | 'orange' | 'red';
export const WARNING_COLOURS: WarningColour[] = ['red', 'orange', 'yellow'];
export const WARNING_COLOUR_LABELS: Record<WarningColour, string> = { yellow: '黄色预警', orange: '橙色预警', red: '红色预警' };
export const WARNING_FILL: Record<WarningColour, string> = { yellow: '#e9b949', orange: '#f08c2e', red: '#d92d20' };
export const WARNING_HANDLERS: Record<WarningColour, string> = { yellow: '社区（村）网格处置', orange: '街道网格处置', red: '监察大队跟踪' };
export const WARNING_SOURCES: Record<string, string> = { rule: '规则预警', report: '前置预警（报告）', patrol: '巡查发现' };
export const WARNING_RESULTS: Record<string, string> = { resolved: '隐患已消除', paid: '欠薪已支付', 'case-opened': '已立案查处', 'no-risk': '经核实无风险' };
export const WARNING_ACTIONS: Record<string, string> = {
  visit: '走访', talk: '约谈', mediation: '调解', order: '责令改正', case: '立案查处', escalated: '逾期升级', raised: '情形加重升级', 'four-ones': '落实“四个一”',
};
export const PATROL_STATES: Record<string, string> = { planned: '待巡查', done: '已巡查' };
export const PATROL_OUTCOMES: Record<string, string> = { none: '未发现问题', order: '现场责令改正', warning: '发出预警', case: '立案调查' };
export const FOLLOW_UP_RESULTS: Record<string, string> = { corrected: '复查已改正', 'not-corrected': '逾期未改正' };

/** 2027-02 → 2027年2月. */
export function monthLabel(p: string): string {
  const [y, m] = p.split('-').map(Number);
  return `${y}年${m}月`;
}

/** The current month in China as YYYY-MM. */
export function currentMonth(): string {
  return chinaToday().slice(0, 7);
}

export function colourBadge(c: WarningColour): HTMLElement {
  return el('span', { class: `badge warning-${c}`, style: `background:${WARNING_FILL[c]};color:${c === 'yellow' ? '#3b2f00' : '#fff'};padding:1px 8px;border-radius:10px` }, WARNING_COLOUR_LABELS[c]);
}

/** A share as 37.5%; a dash when there is nothing to divide. */
export function percent(part: number, whole: number): string {
  if (!whole) return '—';
  return `${(Math.round((part / whole) * 1000) / 10).toString()}%`;
}
