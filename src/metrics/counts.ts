/**
 * The counts the gauges of GET /metrics read when scraped that are the service's own: the outbox's
 * depth, one COUNT query on mail_outbox(state, …). The engine's counts (open incidents, due timers)
 * come through the port (WorkflowEngine.counts).
 */
import type { DataSource } from 'typeorm';
import { MAIL_STATES, type MailState } from '../mail';

type CountRow = { n: number | string };

/** Mail not sent yet, by state (every state but `sent`, zero when none). */
export async function outboxDepth(ds: DataSource): Promise<Map<MailState, number>> {
  const rows = (await ds.query("SELECT state, COUNT(*) AS n FROM mail_outbox WHERE state <> 'sent' GROUP BY state")) as (CountRow & { state: string })[];
  const out = new Map<MailState, number>(MAIL_STATES.filter((s) => s !== 'sent').map((s) => [s, 0]));
  for (const r of rows) if (out.has(r.state as MailState)) out.set(r.state as MailState, Number(r.n));
  return out;
}
