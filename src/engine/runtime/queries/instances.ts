/**
 * Instance reads of the embedded engine: one instance with its variables and history, instance search
 * (newest first, keyset paged), the counts per version, and the call trees below a case's instances.
 */
import type { ElementHistoryEntry, InstanceQuery, InstanceSummary, InstanceView, VersionInstanceCount } from '../../port-types';
import { iso, notFound, num, parseKey, str } from '../checks';
import type { EngineContext } from '../context';
import { select, serialTransaction } from '../tx';
import { IncidentRow, incidentView } from './incidents';

interface InstanceRow {
  id: number | string; definition_key: string; bpmn_process_id: string; version: number | string; business_key: string | null;
  parent_element_instance_id: number | string | null; root_id: number | string; state: InstanceView['state']; started_at: number | string; ended_at: number | string | null;
}

export async function getInstance(ctx: EngineContext, key: string): Promise<InstanceView> {
  const id = parseKey(key, 'PROCESS_INSTANCE_NOT_FOUND', 'process instance');
  return serialTransaction(ctx.ds, async (em) => {
    const [pi] = await select<InstanceRow>(em, 'SELECT * FROM engine_process_instances WHERE id = ?', [id]);
    if (!pi) throw notFound('PROCESS_INSTANCE_NOT_FOUND', `No process instance ${key}.`);
    const vars = await select<{ name: string; value: string }>(em, 'SELECT name, value FROM engine_variables WHERE scope_id = ? ORDER BY name', [id]);
    const eis = await select<{ id: number | string; element_id: string; kind: string; state: ElementHistoryEntry['state']; scope_id: number | string | null; started_at: number | string; ended_at: number | string | null }>(em,
      'SELECT id, element_id, kind, state, scope_id, started_at, ended_at FROM engine_element_instances WHERE process_instance_id = ? ORDER BY started_at, id', [id]);
    const incidents = (await select<IncidentRow>(em, 'SELECT * FROM engine_incidents WHERE process_instance_id = ? ORDER BY id', [id])).map(incidentView);
    const open = new Set(incidents.filter((i) => i.state === 'active').map((i) => i.elementInstanceKey));
    const called = await select<{ id: number | string }>(em,
      `SELECT p.id FROM engine_process_instances p JOIN engine_element_instances e ON e.id = p.parent_element_instance_id
       WHERE e.process_instance_id = ? ORDER BY p.id`, [id]);
    return {
      processInstanceKey: String(pi.id), bpmnProcessId: pi.bpmn_process_id, version: num(pi.version), definitionKey: pi.definition_key,
      businessKey: pi.business_key, parentElementInstanceKey: str(pi.parent_element_instance_id), state: pi.state,
      startedAt: iso(pi.started_at)!, endedAt: iso(pi.ended_at),
      variables: Object.fromEntries(vars.map((v) => [v.name, JSON.parse(v.value) as unknown])),
      elements: eis.map((e) => ({
        elementInstanceKey: String(e.id), elementId: e.element_id, kind: e.kind, state: e.state,
        scopeKey: e.scope_id === null || num(e.scope_id) === id ? null : String(e.scope_id),
        startedAt: iso(e.started_at)!, endedAt: iso(e.ended_at), incident: open.has(String(e.id)),
      })),
      incidents,
      calledInstanceKeys: called.map((c) => String(c.id)),
    };
  });
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** These process instances and every instance called below them, one indexed query per level of calls. */
export async function instanceTrees(ctx: EngineContext, roots: number[]): Promise<number[]> {
  const seen = new Set<number>();
  let level = [...new Set(roots)];
  while (level.length) {
    for (const id of level) seen.add(id);
    const called = await ctx.ds.query(
      `SELECT p.id FROM engine_process_instances p JOIN engine_element_instances e ON e.id = p.parent_element_instance_id
       WHERE e.process_instance_id IN (${marks(level.length)})`, level) as Array<{ id: number | string }>;
    level = [...new Set(called.map((c) => num(c.id)))].filter((id) => !seen.has(id));
  }
  return [...seen];
}

export async function searchInstances(ctx: EngineContext, q: InstanceQuery = {}): Promise<InstanceSummary[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.bpmnProcessId !== undefined) { where.push('p.bpmn_process_id = ?'); params.push(q.bpmnProcessId); }
  if (q.version !== undefined) { where.push('p.version = ?'); params.push(q.version); }
  if (q.businessKey !== undefined) { where.push('p.business_key = ?'); params.push(q.businessKey); }
  if (q.state !== undefined) { where.push('p.state = ?'); params.push(q.state); }
  if (q.rootProcessInstanceKeys !== undefined) {
    const roots = q.rootProcessInstanceKeys.filter((k) => /^\d{1,15}$/.test(k)).map(Number);
    // The instances table has no index on root_id: the trees are walked down through the call activities.
    const tree = roots.length ? await instanceTrees(ctx, roots) : [];
    if (!tree.length) return [];
    where.push(`p.id IN (${marks(tree.length)})`);
    params.push(...tree);
  }
  if (q.after !== undefined) { where.push('p.id < ?'); params.push(parseKey(q.after, 'PROCESS_INSTANCE_NOT_FOUND', 'process instance')); }
  const limit = Math.min(Math.max(1, Math.floor(q.limit ?? 50)), 500);
  const rows = (await ctx.ds.query(
    `SELECT p.*, e.process_instance_id AS parent_process_instance_id FROM engine_process_instances p
       LEFT JOIN engine_element_instances e ON e.id = p.parent_element_instance_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY p.id DESC LIMIT ${limit}`, params)) as Array<InstanceRow & { parent_process_instance_id: number | string | null }>;
  return rows.map((r) => ({
    processInstanceKey: String(r.id), bpmnProcessId: r.bpmn_process_id, version: num(r.version), definitionKey: r.definition_key, businessKey: r.business_key,
    parentProcessInstanceKey: str(r.parent_process_instance_id), rootProcessInstanceKey: String(r.root_id), state: r.state,
    startedAt: iso(r.started_at)!, endedAt: iso(r.ended_at),
  }));
}

export async function countInstancesByVersion(ctx: EngineContext, bpmnProcessId: string): Promise<VersionInstanceCount[]> {
  const rows = (await ctx.ds.query(
    `SELECT version, COUNT(*) AS total, SUM(CASE WHEN state = 'active' THEN 1 ELSE 0 END) AS active
       FROM engine_process_instances WHERE bpmn_process_id = ? GROUP BY version ORDER BY version DESC`, [bpmnProcessId])) as Array<{ version: number | string; total: number | string; active: number | string | null }>;
  return rows.map((c) => ({ version: num(c.version), active: num(c.active ?? 0), total: num(c.total) }));
}
