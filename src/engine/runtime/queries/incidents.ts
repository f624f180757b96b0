/**
 * Incident reads of the embedded engine, and the counts a metrics scrape reads (one COUNT on an
 * indexed column each: engine_incidents(state, …), engine_timers(due_at)).
 */
import type { EngineCounts, IncidentQuery, IncidentView } from '../../port-types';
import { iso, parseKey, str } from '../checks';
import type { EngineContext } from '../context';

export interface IncidentRow {
  id: number | string; root_id: number | string; process_instance_id: number | string; element_instance_id: number | string; element_id: string;
  bpmn_process_id: string; job_id: number | string | null; error_type: string; error_message: string | null; phase: string; state: IncidentView['state'];
  created_at: number | string; resolved_at: number | string | null;
}

export function incidentView(r: IncidentRow): IncidentView {
  return {
    key: String(r.id), processInstanceKey: String(r.process_instance_id), elementInstanceKey: String(r.element_instance_id), elementId: r.element_id,
    bpmnProcessId: r.bpmn_process_id, jobKey: str(r.job_id), errorType: r.error_type, errorMessage: r.error_message ?? '', state: r.state,
    createdAt: iso(r.created_at)!, resolvedAt: iso(r.resolved_at),
  };
}

export async function listIncidents(ctx: EngineContext, opts: IncidentQuery = {}): Promise<IncidentView[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  where.push('state = ?');
  params.push(opts.state ?? 'active');
  if (opts.processInstanceKey) { where.push('process_instance_id = ?'); params.push(parseKey(opts.processInstanceKey, 'PROCESS_INSTANCE_NOT_FOUND', 'process instance')); }
  const limit = Math.min(Math.max(1, opts.limit ?? 200), 1000);
  const rows = await ctx.ds.query(`SELECT * FROM engine_incidents WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${limit}`, params) as IncidentRow[];
  return rows.map(incidentView);
}

type CountRow = { n: number | string };

export async function engineCounts(ctx: EngineContext, now: number): Promise<EngineCounts> {
  const [incidents] = (await ctx.ds.query("SELECT COUNT(*) AS n FROM engine_incidents WHERE state = 'active'")) as CountRow[];
  const [timers] = (await ctx.ds.query('SELECT COUNT(*) AS n FROM engine_timers WHERE due_at <= ?', [now])) as CountRow[];
  return { openIncidents: Number(incidents?.n ?? 0), dueTimers: Number(timers?.n ?? 0) };
}
