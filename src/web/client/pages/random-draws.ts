/**
 * 双随机、一公开: the inspection items list, the registers (employers, inspectors), recusals, the
 * office's draws and a new draw; one draw with its seed and hashes, a check that recomputes it, the
 * drawn employers with their inspectors, cases and results, and publishing the results.
 */
import { api, explain, get, post } from '../api';
import { el, fmtDate, fmtDateTime } from '../dom';
import { DRAW_OUTCOME_LABELS } from '../labels';
import { currentRender, type PageContext } from '../router';

interface Item { id: string; name: string; basis: string; active: boolean }
interface Registers { employers: number; inspectors: { id: string; name: string; grids: string[] }[] }
interface Recusal { id: string; userName: string; employerName: string; reason: string; recordedBy: string; createdAt: number }
interface DrawSummary { id: string; title: string; drawnAt: number; drawnBy: string; drawnCount: number; employerCount: number; published: boolean }
interface DrawResult {
  id: string; position: number; employerId: string; employerName: string; creditCode: string | null; gridName: string | null;
  inspectors: { id: string; name: string }[]; caseId: string | null; caseNumber: string | null; outcome: string | null; outcomeLabel: string | null; note: string | null; endedOn: string | null;
}
interface Draw {
  id: string; title: string; seed: string; drawnAt: number; drawnBy: string; items: { id: string; name: string }[]; proportionPercent: number; perEmployer: number;
  excludeGridInspector: boolean; weights: Record<string, number>; employerCount: number; inspectorCount: number; drawnCount: number; inputsSha256: string; resultSha256: string;
  resultsRecorded: number; publicationDue: string | null; publicationOverdue: boolean; publication: { documentId: string; number: string; publishedAt: number } | null; results: DrawResult[];
}

const decides = (roles: string[]) => roles.some((r) => r === 'legal' || r === 'supervisor');
const keepsItems = (roles: string[]) => roles.some((r) => r === 'legal' || r === 'admin');

function failed(main: HTMLElement, title: string, e: unknown): void {
  main.replaceChildren(el('h1', {}, title), el('p', { class: 'error', role: 'alert' }, explain(e)));
}

function itemsSection(items: Item[], mayEdit: boolean, reload: () => void): HTMLElement {
  const status = el('p', { role: 'status' });
  const name = el('input', { type: 'text', maxlength: 200, 'aria-label': '抽查事项名称' }) as HTMLInputElement;
  const basis = el('input', { type: 'text', maxlength: 2000, 'aria-label': '抽查依据' }) as HTMLInputElement;
  const add = el('button', { type: 'button', id: 'add-item' }, '添加事项') as HTMLButtonElement;
  add.addEventListener('click', async () => {
    if (!name.value.trim() || !basis.value.trim()) { status.textContent = '请填写事项名称和抽查依据。'; return; }
    add.disabled = true;
    try { await post('/api/inspection-items', { name: name.value, basis: basis.value }); reload(); } catch (e) { status.textContent = explain(e); add.disabled = false; }
  });
  return el('section', { class: 'card' }, el('h2', {}, '抽查事项清单'),
    items.length
      ? el('table', { class: 'table', id: 'inspection-items' },
        el('thead', {}, el('tr', {}, ['事项', '抽查依据', '状态', ''].map((h) => el('th', {}, h)))),
        el('tbody', {}, items.map((i) => {
          const toggle = el('button', { type: 'button' }, i.active ? '停用' : '启用') as HTMLButtonElement;
          toggle.addEventListener('click', async () => {
            toggle.disabled = true;
            try { await api('PATCH', `/api/inspection-items/${i.id}`, { active: !i.active }); reload(); } catch (e) { status.textContent = explain(e); toggle.disabled = false; }
          });
          return el('tr', {}, el('td', {}, i.name), el('td', {}, i.basis), el('td', {}, i.active ? '在用' : '已停用'), el('td', {}, mayEdit ? toggle : ''));
        })))
      : el('p', { class: 'muted' }, '尚未列入抽查事项。'),
    ...(mayEdit ? [el('div', { class: 'row' }, el('label', {}, '事项 ', name), el('label', {}, '依据 ', basis), add)] : []),
    status);
}

function registersSection(reg: Registers, recusals: Recusal[], me: PageContext['me'], reload: () => void): HTMLElement {
  const status = el('p', { role: 'status' });
  const mayForOthers = me.roles.some((r) => ['legal', 'supervisor', 'admin'].includes(r));
  const who = el('select', { 'aria-label': '回避的监察员' }, reg.inspectors.filter((i) => mayForOthers || i.id === me.userId).map((i) => el('option', { value: i.id }, i.name))) as HTMLSelectElement;
  const code = el('input', { type: 'text', maxlength: 32, 'aria-label': '用人单位统一社会信用代码' }) as HTMLInputElement;
  const reason = el('input', { type: 'text', maxlength: 2000, 'aria-label': '回避事由' }) as HTMLInputElement;
  const save = el('button', { type: 'button', id: 'add-recusal' }, '登记回避') as HTMLButtonElement;
  save.addEventListener('click', async () => {
    if (!who.value || !code.value.trim() || !reason.value.trim()) { status.textContent = '请选择监察员并填写统一社会信用代码和回避事由。'; return; }
    save.disabled = true;
    try {
      const found = await get<{ items: { id: string }[] }>(`/api/employers?creditCode=${encodeURIComponent(code.value.trim())}`);
      if (!found.items[0]) { status.textContent = '未找到该统一社会信用代码的用人单位。'; save.disabled = false; return; }
      await post('/api/inspector-recusals', { userId: who.value, employerId: found.items[0].id, reason: reason.value });
      reload();
    } catch (e) { status.textContent = explain(e); save.disabled = false; }
  });
  return el('section', { class: 'card' }, el('h2', {}, '名录库与回避'),
    el('p', {}, `用人单位名录库：${reg.employers}户；执法检查人员名录库：${reg.inspectors.length}名监察员。`),
    el('table', { class: 'table', id: 'inspector-register' },
      el('thead', {}, el('tr', {}, ['监察员', '所属网格'].map((h) => el('th', {}, h)))),
      el('tbody', {}, reg.inspectors.map((i) => el('tr', {}, el('td', {}, i.name), el('td', {}, i.grids.join('、') || '—'))))),
    el('h3', {}, '回避记录'),
    recusals.length
      ? el('table', { class: 'table', id: 'recusals' },
        el('thead', {}, el('tr', {}, ['监察员', '用人单位', '事由', '登记日期'].map((h) => el('th', {}, h)))),
        el('tbody', {}, recusals.map((r) => el('tr', {}, el('td', {}, r.userName), el('td', {}, r.employerName), el('td', {}, r.reason), el('td', {}, fmtDate(r.createdAt))))))
      : el('p', { class: 'muted' }, '没有回避记录。'),
    ...(me.roles.includes('handler') || mayForOthers ? [el('div', { class: 'row' }, el('label', {}, '监察员 ', who), el('label', {}, '统一社会信用代码 ', code), el('label', {}, '事由 ', reason), save)] : []),
    status);
}

function drawForm(items: Item[], navigate: (p: string) => void): HTMLElement {
  const status = el('p', { role: 'status' });
  const title = el('input', { type: 'text', maxlength: 200, id: 'draw-title', 'aria-label': '抽查名称' }) as HTMLInputElement;
  const percent = el('input', { type: 'number', min: '0.1', max: '100', step: '0.1', id: 'draw-percent', 'aria-label': '抽取比例（%）', placeholder: '按本机关设置' }) as HTMLInputElement;
  const checks = items.filter((i) => i.active).map((i) => ({ i, box: el('input', { type: 'checkbox', value: i.id, 'aria-label': i.name }) as HTMLInputElement }));
  const go = el('button', { type: 'button', id: 'make-draw' }, '随机抽取') as HTMLButtonElement;
  go.addEventListener('click', async () => {
    const itemIds = checks.filter((c) => c.box.checked).map((c) => c.i.id);
    if (!title.value.trim() || !itemIds.length) { status.textContent = '请填写抽查名称并至少选择一项抽查事项。'; return; }
    go.disabled = true;
    status.textContent = '正在抽取…';
    try {
      const d = await post<{ id: string }>('/api/random-draws', { title: title.value, itemIds, ...(percent.value ? { proportionPercent: Number(percent.value) } : {}) });
      navigate(`/random-draws/${d.id}`);
    } catch (e) { status.textContent = explain(e); go.disabled = false; }
  });
  return el('section', { class: 'card' }, el('h2', {}, '新的抽取'),
    el('p', { class: 'muted' }, '按守法诚信等级加权随机抽取用人单位，并为每户随机选派监察员（排除回避人员和本网格人员）。抽取的随机种子、名录库快照和结果一经保存不可更改，任何人可复核。'),
    el('label', {}, '抽查名称 ', title), el('label', {}, '抽取比例（%） ', percent),
    el('fieldset', {}, el('legend', {}, '抽查事项'), ...checks.map((c) => el('label', {}, c.box, ` ${c.i.name}`))),
    go, status);
}

export async function showRandomDraws({ main, me, navigate }: PageContext): Promise<void> {
  const render = currentRender();
  const title = '双随机抽查';
  main.replaceChildren(el('h1', {}, title), el('p', { class: 'muted' }, '正在加载…'));
  let items: Item[]; let reg: Registers; let recusals: Recusal[]; let draws: DrawSummary[];
  try {
    [items, reg, recusals, draws] = await Promise.all([
      get<{ items: Item[] }>('/api/inspection-items').then((r) => r.items), get<Registers>('/api/random-draws/registers'),
      get<{ items: Recusal[] }>('/api/inspector-recusals').then((r) => r.items), get<{ items: DrawSummary[] }>('/api/random-draws').then((r) => r.items),
    ]);
  } catch (e) {
    if (render === currentRender()) failed(main, title, e);
    return;
  }
  if (render !== currentRender()) return;
  const reload = () => navigate('/random-draws');
  main.replaceChildren(
    el('h1', {}, title),
    el('p', { class: 'muted' }, '“双随机、一公开”：随机抽取检查对象、随机选派执法检查人员，抽查情况及查处结果及时向社会公开。'),
    el('section', { class: 'card' }, el('h2', {}, '历次抽取'),
      draws.length
        ? el('table', { class: 'table', id: 'draws' },
          el('thead', {}, el('tr', {}, ['抽查名称', '抽取时间', '抽中户数', '名录库户数', '结果公示', ''].map((h) => el('th', {}, h)))),
          el('tbody', {}, draws.map((d) => el('tr', {}, el('td', {}, d.title), el('td', {}, fmtDateTime(d.drawnAt)), el('td', {}, String(d.drawnCount)),
            el('td', {}, String(d.employerCount)), el('td', {}, d.published ? '已公示' : '未公示'), el('td', {}, el('a', { href: `/random-draws/${d.id}` }, '查看'))))))
        : el('p', { class: 'muted' }, '尚未抽取。')),
    ...(decides(me.roles) ? [drawForm(items, navigate)] : []),
    itemsSection(items, keepsItems(me.roles), reload),
    registersSection(reg, recusals, me, reload),
  );
}

function resultCell(d: Draw, r: DrawResult, me: PageContext['me'], reload: () => void): HTMLElement {
  const mine = decides(me.roles) || r.inspectors.some((i) => i.id === me.userId);
  if (d.publication || !mine) return el('span', {}, r.outcomeLabel ?? '未录入');
  const status = el('span', { role: 'status' });
  const outcome = el('select', { 'aria-label': `${r.employerName}的抽查结果` }, Object.entries(DRAW_OUTCOME_LABELS).map(([v, t]) => el('option', { value: v, ...(v === r.outcome ? { selected: 'selected' } : {}) }, t))) as HTMLSelectElement;
  const ended = el('input', { type: 'date', value: r.endedOn ?? '', 'aria-label': `${r.employerName}的检查结束日期` }) as HTMLInputElement;
  const note = el('input', { type: 'text', maxlength: 2000, value: r.note ?? '', 'aria-label': `${r.employerName}的说明` }) as HTMLInputElement;
  const save = el('button', { type: 'button' }, r.outcome ? '更正' : '录入') as HTMLButtonElement;
  save.addEventListener('click', async () => {
    if (!ended.value) { status.textContent = '请填写检查结束日期。'; return; }
    save.disabled = true;
    try { await post(`/api/random-draws/${d.id}/results/${r.id}`, { outcome: outcome.value, endedOn: ended.value, ...(note.value.trim() ? { note: note.value } : {}) }); reload(); }
    catch (e) { status.textContent = explain(e); save.disabled = false; }
  });
  return el('div', { class: 'row-actions' }, outcome, ended, note, save, status);
}

export async function showRandomDraw({ main, me, params, navigate }: PageContext): Promise<void> {
  const render = currentRender();
  main.replaceChildren(el('h1', {}, '双随机抽查'), el('p', { class: 'muted' }, '正在加载…'));
  let d: Draw;
  try {
    d = await get<Draw>(`/api/random-draws/${params.id}`);
  } catch (e) {
    if (render === currentRender()) failed(main, '双随机抽查', e);
    return;
  }
  if (render !== currentRender()) return;
  const reload = () => navigate(`/random-draws/${d.id}`);
  const check = el('p', { role: 'status', id: 'reproduce-result' });
  const reproduce = el('button', { type: 'button', id: 'reproduce' }, '复核抽取结果') as HTMLButtonElement;
  reproduce.addEventListener('click', async () => {
    reproduce.disabled = true;
    try {
      const r = await get<{ reproduced: boolean; inputsIntact: boolean; resultMatches: boolean }>(`/api/random-draws/${d.id}/reproduce`);
      check.textContent = r.reproduced ? '复核一致：以保存的随机种子和名录库快照重新计算，得到相同的抽取结果。'
        : `复核不一致：${r.inputsIntact ? '' : '名录库快照与摘要不符；'}${r.resultMatches ? '' : '重新计算的结果与保存的结果不同。'}`;
    } catch (e) { check.textContent = explain(e); }
    reproduce.disabled = false;
  });
  const pubStatus = el('p', { role: 'status' });
  const publish = el('button', { type: 'button', id: 'publish-draw' }, '公示抽查结果') as HTMLButtonElement;
  publish.addEventListener('click', async () => {
    publish.disabled = true;
    try { await post(`/api/random-draws/${d.id}/publish`, {}); reload(); } catch (e) { pubStatus.textContent = explain(e); publish.disabled = false; }
  });
  const weights = `A级${d.weights.A}、B级${d.weights.B}、C级${d.weights.C}、未评级${d.weights['-']}`;
  main.replaceChildren(
    el('h1', {}, d.title),
    el('section', { class: 'card' }, el('h2', {}, '抽取记录'),
      el('dl', {},
        el('dt', {}, '抽取时间'), el('dd', {}, fmtDateTime(d.drawnAt)),
        el('dt', {}, '抽查事项'), el('dd', {}, d.items.map((i) => i.name).join('；')),
        el('dt', {}, '抽取比例'), el('dd', {}, `${d.proportionPercent}%（名录库${d.employerCount}户，抽中${d.drawnCount}户）`),
        el('dt', {}, '加权'), el('dd', {}, weights),
        el('dt', {}, '选派人员'), el('dd', {}, `每户${d.perEmployer}名，从${d.inspectorCount}名监察员中随机选派；排除回避人员${d.excludeGridInspector ? '和本网格人员' : ''}`),
        el('dt', {}, '随机种子'), el('dd', { class: 'mono' }, d.seed),
        el('dt', {}, '名录库快照摘要'), el('dd', { class: 'mono' }, d.inputsSha256),
        el('dt', {}, '抽取结果摘要'), el('dd', { class: 'mono' }, d.resultSha256)),
      reproduce, check,
      el('p', {}, el('a', { href: `/api/random-draws/${d.id}/evidence`, target: '_blank' }, '下载抽取依据（随机种子、名录库快照、结果）'))),
    el('section', { class: 'card' }, el('h2', {}, '抽中的用人单位'),
      el('table', { class: 'table', id: 'draw-results' },
        el('thead', {}, el('tr', {}, ['序号', '用人单位', '所属网格', '检查人员', '案件', '抽查结果', '检查结束日期'].map((h) => el('th', {}, h)))),
        el('tbody', {}, d.results.map((r) => el('tr', {},
          el('td', {}, String(r.position)), el('td', {}, el('a', { href: `/employers/${r.employerId}` }, r.employerName)), el('td', {}, r.gridName ?? '—'),
          el('td', {}, r.inspectors.map((i) => i.name).join('、')), el('td', {}, r.caseId ? el('a', { href: `/cases/${r.caseId}` }, r.caseNumber ?? '查看') : '—'),
          el('td', {}, resultCell(d, r, me, reload)), el('td', {}, r.endedOn ? fmtDate(r.endedOn) : '—')))))),
    el('section', { class: 'card' }, el('h2', {}, '结果公示'),
      el('p', {}, `已录入结果${d.resultsRecorded}户，共${d.drawnCount}户。`),
      el('p', d.publicationOverdue ? { class: 'error', role: 'alert' } : {}, d.publicationDue
        ? `应于${fmtDate(d.publicationDue)}前公示（检查结束后的公示期限）${d.publicationOverdue ? '，已逾期未公示。' : '。'}` : '全部检查结束后计算公示期限。'),
      d.publication
        ? el('p', {}, '已公示：', el('a', { href: `/api/documents/${d.publication.documentId}/pdf`, target: '_blank' }, `抽查结果公示（${d.publication.number}）`), `　${fmtDate(d.publication.publishedAt)}`)
        : decides(me.roles) ? publish : el('p', { class: 'muted' }, '尚未公示。'),
      pubStatus,
      el('p', {}, el('a', { href: `/api/random-draws/${d.id}/export.xlsx` }, '导出抽查结果（电子表格）'))),
  );
}
