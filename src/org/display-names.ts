/**
 * People as users see them: a username (what the engine stores as a task's assignee) becomes the
 * user's display name, so pages name 李强, not handler1. Only the office's own users are named; an
 * unknown username is left out and the page shows its own placeholder.
 */
import type { EntityManager } from 'typeorm';

export async function displayNames(em: EntityManager, officeId: string, usernames: (string | null | undefined)[]): Promise<Record<string, string>> {
  const wanted = [...new Set(usernames.filter((u): u is string => typeof u === 'string' && u !== ''))];
  if (!wanted.length) return {};
  const rows: { username: string; display_name: string }[] = await em.query(
    `SELECT username, display_name FROM users WHERE office_id = ? AND username IN (${wanted.map(() => '?').join(', ')})`, [officeId, ...wanted]);
  return Object.fromEntries(rows.map((r) => [String(r.username), String(r.display_name)]));
}
