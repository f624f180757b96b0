/**
 * The counts the gauges of GET /metrics read when scraped: one COUNT query each, on indexed columns
 * (engine_incidents(state, …), engine_timers(due_at), mail_outbox(state, …)). They read the embedded
 * engine's tables directly so that a scrape is one cheap query, not a page of rows through the engine
 * port; when the port grows counts of its own, these move behind it.
 */
import type { DataSource } from 'typeorm';
import { MAIL_STATES, type MailState } from '../mail';

type CountRow = { n: number | string };

export async function openIncidentCount(ds: DataSource): Promise<number> {
  const rows = (await ds.query("SELECT COUNT(*) AS n FROM engine_incidents WHERE state = 'active'")) as CountRow[];
  return Number(rows[0]?.n ?? 0);
}

/** Timers whose time has come and that the poller has not fired yet. */
export async function dueTimerCount(ds: DataSource, now: number): Promise<number> {
  const rows = (await ds.query('SELECT COUNT(*) AS n FROM engine_timers WHERE due_at <= ?', [now])) as CountRow[];
  return Number(rows[0]?.n ?? 0);
}

/** Mail not sent yet, by state (every state but `sent`, zero when none). */
export async function outboxDepth(ds: DataSource): Promise<Map<MailState, number>> {
  const rows = (await ds.query("SELECT state, COUNT(*) AS n FROM mail_outbox WHERE state <> 'sent' GROUP BY state")) as (CountRow & { state: string })[];
  const out = new Map<MailState, number>(MAIL_STATES.filter((s) => s !== 'sent').map((s) => [s, 0]));
  for (const r of rows) if (out.has(r.state as MailState)) out.set(r.state as MailState, Number(r.n));
  return out;
}
