/**
 * 迁移运行中的案件 from the version comparison of the diagram editor: legal staff (and admin) see how
 * many cases run on the older version and where they stand, review the element mapping to the newer
 * version (each current step to the step of the same id, changeable), and, with a reason and a
 * confirmation, move them; the page follows the run batch by batch to its report. A run that a stop of
 * the service interrupted (中断) is listed with how many cases it had moved, and can be resumed here.
 */
import { ApiError, explain, get, post } from '../api';
import { el, fmtLongDateTime } from '../dom';

interface Preview {
  instances: number;
  migratable: number;
  blocked: number;
  elements: Array<{ elementId: string; name: string | null; kind: string; count: number; instances: number; targetElementId: string | null; problem: { code: string; message: string } | null }>;
  mappings: Array<{ sourceElementId: string; targetElementId: string }>;
  targetElements: Array<{ elementId: string; name: string | null; kind: string }>;
}

interface Run {
  id: string;
  sourceVersion: number;
  targetVersion: number;
  state: 'running' | 'interrupted' | 'done' | 'failed';
  total: number;
  done: number;
  migrated: number;
  failed: number;
  migratedBeforeInterruption: number;
  startedBy: string;
  startedAt: string;
  interruptedAt: string | null;
  failures: Array<{ processInstanceKey: string; caseNumber: string | null; code: string; message: string }>;
}

/** Why a step's cases cannot move with the mapping, in words. */
const MAPPING_PROBLEMS: Record<string, string> = {
  ELEMENT_NOT_MAPPED: '未指定新版本中的对应环节',
  ELEMENT_KIND_CHANGED: '对应环节的类型不同（如任务对应到事件）',
  FLOW_SCOPE_CHANGED: '对应环节位于不同的子流程中',
  JOIN_TOKEN_NOT_MIGRATABLE: '并行汇合处的等待在新版本中不存在',
  TIMER_NOT_EVALUABLE: '新版本的定时器无法计算',
  BUSINESS_KEY_TAKEN: '新流程中已有同一业务编号的实例',
  PROCESS_INSTANCE_NOT_ACTIVE: '流程已结束',
  MIGRATION_FAILED: '迁移失败',
};

const problemText = (code: string) => MAPPING_PROBLEMS[code] ?? '无法迁移';

/** A time as people in the office read it (China time). */
const when = fmtLongDateTime;

/** The panel under a comparison of two deployed versions, older → newer. */
export function migrationPanel(processId: string, sourceVersion: number, targetVersion: number): HTMLElement {
  const base = `/api/workflows/${encodeURIComponent(processId)}/migrations`;
  const out = el('div', { id: 'migration-result', 'aria-live': 'polite' });
  const previewButton = el('button', { type: 'button', id: 'migration-preview' }, `查看按版本 ${sourceVersion} 运行的案件`);
  const panel = el('section', { class: 'migration', 'aria-labelledby': 'migration-title' },
    el('h3', { id: 'migration-title' }, `将运行中的案件迁移到版本 ${targetVersion}`),
    el('p', { class: 'muted' }, `迁移后，按版本 ${sourceVersion} 运行的案件改按版本 ${targetVersion} 继续办理：当前环节、待办任务（含办理人）和案件数据保持不变，期限定时器按新版本重新计算（从进入该环节时起算）。`),
    el('p', { class: 'actions' }, previewButton), out);

  const showPreview = (p: Preview) => {
    const byTarget = new Map(p.targetElements.map((t) => [t.elementId, t.name || t.elementId]));
    const selects = new Map<string, HTMLSelectElement>();
    const rows = p.elements.map((e) => {
      const s = el('select', { 'data-source': e.elementId, 'aria-label': `${e.name || e.elementId}的对应环节` },
        el('option', { value: '' }, '（未对应）'),
        p.targetElements.map((t) => el('option', { value: t.elementId }, byTarget.get(t.elementId)!)));
      s.value = p.mappings.find((m) => m.sourceElementId === e.elementId)?.targetElementId ?? '';
      selects.set(e.elementId, s);
      return el('tr', { 'data-element': e.elementId },
        el('td', {}, e.name || e.elementId), el('td', { class: 'num' }, String(e.instances)), el('td', {}, s),
        el('td', { class: e.problem ? 'error' : '' }, e.problem ? problemText(e.problem.code) : '可以迁移'));
    });
    const reason = el('textarea', { id: 'migration-reason', rows: 2, maxlength: 500 });
    const go = el('button', { type: 'button', class: 'primary', id: 'migration-start', disabled: p.migratable === 0 }, `迁移 ${p.migratable} 件案件`);
    const again = el('button', { type: 'button', id: 'migration-recheck' }, '按修改后的对应关系重新检查');
    const mappings = () => [...selects].filter(([, s]) => s.value).map(([source, s]) => ({ sourceElementId: source, targetElementId: s.value }));
    out.replaceChildren(...([
      el('p', { id: 'migration-summary' }, p.instances === 0 ? `没有按版本 ${sourceVersion} 运行的案件。`
        : `按版本 ${sourceVersion} 运行的案件共 ${p.instances} 件，可以迁移 ${p.migratable} 件${p.blocked ? `，不能迁移 ${p.blocked} 件（见下表原因；这些案件留在原版本）` : ''}。`),
      p.elements.length ? el('table', {},
        el('thead', {}, el('tr', {}, ['当前环节', '案件数', `版本 ${targetVersion} 中的对应环节`, '检查结果'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, rows)) : null,
      p.instances ? el('div', { class: 'field' }, el('label', { for: reason.id }, '迁移原因（必填，如依据的新规定）'), reason) : null,
      p.instances ? el('p', { class: 'actions' }, again, go) : null,
    ] as Array<HTMLElement | null>).filter((x): x is HTMLElement => x !== null));
    again.addEventListener('click', () => void preview(mappings()));
    go.addEventListener('click', async () => {
      if (reason.value.trim().length < 2) { reason.focus(); out.append(el('p', { class: 'error', role: 'alert' }, '请填写迁移原因。')); return; }
      if (!window.confirm(`确定将 ${p.migratable} 件案件从版本 ${sourceVersion} 迁移到版本 ${targetVersion} 吗？此操作将记入审计日志。`)) return;
      go.disabled = true;
      try {
        const run = await post<Run>(base, { sourceVersion, targetVersion, mappings: mappings(), reason: reason.value.trim(), confirm: true });
        await follow(run);
      } catch (e) {
        go.disabled = false;
        out.append(el('p', { class: 'error', role: 'alert' }, explain(e)));
      }
    });
  };

  const follow = async (first: Run) => {
    const progress = el('progress', { max: Math.max(first.total, 1), value: 0, id: 'migration-progress' });
    const text = el('p', { id: 'migration-status', role: 'status' });
    out.replaceChildren(progress, text);
    let run = first;
    for (;;) {
      progress.value = run.done;
      text.textContent = `已处理 ${run.done} / ${run.total} 件：迁移 ${run.migrated} 件，未能迁移 ${run.failed} 件。`
        + (run.migratedBeforeInterruption ? `（其中 ${run.migratedBeforeInterruption} 件在中断前已迁移）` : '');
      if (run.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 500));
      run = await get<Run>(`/api/instance-migrations/${run.id}`);
    }
    const before = run.migratedBeforeInterruption ? `其中 ${run.migratedBeforeInterruption} 件在中断前已迁移，` : '';
    text.textContent = run.state === 'done'
      ? `迁移完成：共 ${run.total} 件，已迁移 ${run.migrated} 件（${before}未能迁移 ${run.failed} 件）。`
      : `迁移中断：已迁移 ${run.migrated} 件；其余案件仍按原版本运行，可继续迁移。`;
    if (run.state === 'interrupted' || run.state === 'failed') out.append(resumeButton(run));
    if (run.failures.length) {
      out.append(el('table', { id: 'migration-failures' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, '案件'), el('th', { scope: 'col' }, '未能迁移的原因'))),
        el('tbody', {}, run.failures.map((f) => el('tr', {}, el('td', {}, f.caseNumber ?? '（不属于案件的流程）'), el('td', {}, problemText(f.code)))))));
    }
  };

  const preview = async (mappings?: Preview['mappings']) => {
    out.replaceChildren(el('p', { class: 'muted' }, '正在检查…'));
    try {
      showPreview(await post<Preview>(`${base}/preview`, { sourceVersion, targetVersion, ...(mappings ? { mappings } : {}) }));
    } catch (e) {
      out.replaceChildren(el('p', { class: 'error', role: 'alert' }, e instanceof ApiError && e.code === 'ENGINE_CANNOT_REPAIR' ? '当前流程引擎不支持在本系统中迁移案件。' : explain(e)));
    }
  };
  /** 继续迁移: moves the cases an interrupted run left on the older version, and follows it. */
  const resumeButton = (run: Run) => {
    const b = el('button', { type: 'button', class: 'primary', 'data-resume': run.id }, '继续迁移');
    b.addEventListener('click', async () => {
      if (!window.confirm(`确定继续这次迁移吗？已迁移的 ${run.migrated} 件不会重复迁移，其余仍按版本 ${run.sourceVersion} 运行的案件将迁移到版本 ${run.targetVersion}。`)) return;
      b.disabled = true;
      try {
        await follow(await post<Run>(`/api/instance-migrations/${run.id}/resume`, {}));
      } catch (e) {
        b.disabled = false;
        out.append(el('p', { class: 'error', role: 'alert' }, explain(e)));
      }
    });
    return b;
  };

  /** Runs between these two versions that a stop of the service interrupted (or that failed), with a way to go on. */
  const interrupted = el('div', { id: 'migration-interrupted' });
  const showInterrupted = async () => {
    try {
      const { items } = await get<{ items: Run[] }>(base);
      const stopped = items.filter((r) => (r.state === 'interrupted' || r.state === 'failed') && r.sourceVersion === sourceVersion && r.targetVersion === targetVersion);
      interrupted.replaceChildren(...stopped.map((r) => el('p', { class: 'warning', 'data-run': r.id },
        `${when(r.startedAt)} 发起的迁移${r.state === 'interrupted' ? '因系统停止而中断' : '未能完成'}`
        + `${r.interruptedAt ? `（${when(r.interruptedAt)}发现）` : ''}：中断前已迁移 ${r.migrated} 件，其余案件仍按版本 ${sourceVersion} 运行。`,
        resumeButton(r))));
    } catch {
      // Without the list the panel still previews and starts a run; the run's own page state says the rest.
      interrupted.replaceChildren();
    }
  };
  out.before(interrupted);
  void showInterrupted();
  previewButton.addEventListener('click', () => void preview());
  return panel;
}
