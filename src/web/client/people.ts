/**
 * People by display name: the API speaks in usernames (who saved a draft, who holds a task); pages
 * name people. Names are asked once per page for all the usernames it shows.
 */
import { get, query } from './api';

export type Names = (username: string | null | undefined) => string;

/** A function naming each of `usernames` (others: 其他用户; none: —). */
export async function peopleNames(usernames: (string | null | undefined)[]): Promise<Names> {
  const wanted = [...new Set(usernames.filter((u): u is string => !!u))];
  const names = new Map<string, string>();
  for (let i = 0; i < wanted.length; i += 100) {
    const r = await get<{ items: { username: string; displayName: string }[] }>('/api/people' + query({ usernames: wanted.slice(i, i + 100).join(',') }))
      .catch(() => ({ items: [] as { username: string; displayName: string }[] }));
    for (const p of r.items) names.set(p.username, p.displayName);
  }
  return (u) => (u ? names.get(u) ?? '其他用户' : '—');
}
