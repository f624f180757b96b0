/**
 * Parts of the signal page's form: how a signal is named to people, and the variables a broadcast
 * carries as name/type/value rows, checked before anything is sent.
 */
import type { SignalView } from '../../../contracts/signals';
import { el, uid } from '../dom';
import { input, select, setError } from '../fields';

const CJK = /[\u4e00-\u9fff]/;

/** The signal's name when the diagram gives it in Chinese; otherwise the names of the steps that wait for it. */
export function signalLabel(s: SignalView): string {
  if (CJK.test(s.name)) return s.name;
  const steps = [...new Set(s.catches.map((c) => c.stepName))];
  return steps.length ? `${steps.join('、')}所等待的信号` : '未命名信号';
}

/** Same rule as the server's (src/http/routes/signals.ts): a process variable's name. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
const MAX_VARIABLES = 50;
type Kind = 'text' | 'number' | 'boolean';
const KINDS: [Kind, string][] = [['text', '文字'], ['number', '数字'], ['boolean', '是/否']];

export interface VariableRows {
  element: HTMLElement;
  /** Marks each bad row beside its field; true when every row is good. */
  check(): boolean;
  values(): Record<string, unknown>;
}

interface Row { name: HTMLInputElement; kind: HTMLSelectElement; value: HTMLInputElement; yes: HTMLSelectElement; node: HTMLElement }

export function variableRows(): VariableRows {
  const rows: Row[] = [];
  const list = el('div', { id: 'signal-variables' });
  const add = el('button', { type: 'button', class: 'secondary', id: 'signal-add-variable' }, '添加变量');
  const element = el('fieldset', { class: 'wide' },
    el('legend', {}, '随信号传递的流程变量（可选）'),
    el('p', { class: 'hint' }, '变量名以英文字母或下划线开头，只含字母、数字和下划线；变量值随信号写入收到它的流程。审计日志只记变量名，不记变量值。'),
    list, add);

  const addRow = () => {
    if (rows.length >= MAX_VARIABLES) return;
    const id = uid('var');
    const name = input({ id: `${id}-name`, 'aria-label': '变量名', maxlength: 100, class: 'var-name' });
    const kind = select(KINDS, { id: `${id}-kind`, 'aria-label': '变量类型', class: 'var-kind' });
    const value = input({ id: `${id}-value`, 'aria-label': '变量值', maxlength: 1000, class: 'var-value' });
    const yes = select([['true', '是'], ['false', '否']], { id: `${id}-yes`, 'aria-label': '变量值', class: 'var-value', hidden: true });
    const remove = el('button', { type: 'button', class: 'link' }, '删除');
    const errs = el('span', { style: 'grid-column: 1 / -1' }, el('span', { class: 'field-error', id: `${id}-name-err` }), el('span', { class: 'field-error', id: `${id}-value-err` }));
    // One line per variable: name, type, value, remove (the shared stylesheet stacks inputs full width).
    const node = el('div', { class: 'var-row', style: 'display: grid; grid-template-columns: 2fr 1fr 2fr auto; gap: 8px; align-items: center; margin-bottom: 8px' },
      name, kind, value, yes, remove, errs);
    const row: Row = { name, kind, value, yes, node };
    kind.addEventListener('change', () => { value.hidden = kind.value === 'boolean'; yes.hidden = kind.value !== 'boolean'; });
    remove.addEventListener('click', () => { rows.splice(rows.indexOf(row), 1); node.remove(); });
    rows.push(row);
    list.append(node);
    name.focus();
  };
  add.addEventListener('click', addRow);

  const parsed = (r: Row): unknown => {
    if (r.kind.value === 'boolean') return r.yes.value === 'true';
    if (r.kind.value === 'number') return r.value.value.trim() === '' ? NaN : Number(r.value.value.trim());
    return r.value.value;
  };

  return {
    element,
    check() {
      let ok = true;
      const seen = new Set<string>();
      for (const r of rows) {
        const n = r.name.value.trim();
        const nameError = !VARIABLE_NAME.test(n) ? '变量名须以字母或下划线开头，只含字母、数字和下划线' : seen.has(n) ? '变量名重复' : '';
        setError(r.name, nameError);
        seen.add(n);
        const v = parsed(r);
        const valueError = r.kind.value === 'number' && !Number.isFinite(v) ? '请填写数字' : '';
        setError(r.value, valueError);
        if (nameError || valueError) ok = false;
      }
      return ok;
    },
    values: () => Object.fromEntries(rows.map((r) => [r.name.value.trim(), parsed(r)])),
  };
}
