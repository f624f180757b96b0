/**
 * Searching employer files by a part of their name or address. `LIKE '%…%'` cannot use an index, and
 * Chinese names have no spaces to split words at (MariaDB's FULLTEXT has no n-gram parser, unlike
 * MySQL's), so every three consecutive characters of a file's name and of its address (the last two
 * with an end mark) are kept as a gram in employer_search_grams, written with the file (recordFields)
 * and read by the list:
 *   1. each gram of the search text is counted, up to a cap (an index range read); a two-character
 *      search reads the grams that begin with it (an index range too);
 *   2. the files holding all of the rarer grams are the candidates (at most the cap), found by one
 *      grouped range read of the gram index, not by joining row by row;
 *   3. the list reads only the candidates, still checking `LIKE` on name and address, so a gram match
 *      that is not a substring match never shows.
 * When even the rarest gram is held by more files than the cap, matches are dense and the list's scan
 * in name order meets a page of them quickly: the caller falls back to it. Files written by code that
 * does not maintain grams (search_indexed = 0) are always candidates, so they are never missed.
 */
import type { EntityManager } from 'typeorm';

/** Past this many files per gram, a scan in name order is cheaper than the candidates. */
export const CANDIDATE_CAP = 10_000;
/** The first, cheap count of each gram stops here: a gram under it is rare enough to start from. */
const FIRST_COUNT_CAP = 1000;
/** Grams of a long search text counted at most: the rarest of these is selective enough. */
const MAX_GRAMS_COUNTED = 8;

/** The text grams are made of: NFKC (full-width letters and digits as ASCII), lower case, no spaces. */
export function normaliseSearchText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/**
 * Marks the end of a text, so a two-character search finds the last two characters too. Above the
 * space: MariaDB's PAD SPACE collations compare '物流' as '物流 ', which would sort a mark below the
 * space under the pair itself and out of the pair's range.
 */
const END = '\u007f';
/** Above every character: the upper bound of the grams that begin with a given pair. */
const TOP = '\u{10FFFF}';

function triples(chars: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 2 < chars.length; i++) out.push(chars[i] + chars[i + 1] + chars[i + 2]);
  return out;
}

/** The distinct grams a file is indexed by: each three consecutive characters (code points) of each text, ended by the end mark. */
export function gramsOf(...texts: (string | null | undefined)[]): string[] {
  const out = new Set<string>();
  for (const t of texts) if (t) for (const g of triples([...normaliseSearchText(t), END])) out.add(g);
  return [...out];
}

/** How a search text is looked up: its grams (three characters or more), a pair as a gram prefix, or not at all. */
export type SearchKey = { kind: 'grams'; grams: string[] } | { kind: 'prefix'; prefix: string } | { kind: 'none' };

export function searchKeyOf(q: string): SearchKey {
  const chars = [...normaliseSearchText(q)];
  if (chars.length >= 3) return { kind: 'grams', grams: [...new Set(triples(chars))] };
  if (chars.length === 2) return { kind: 'prefix', prefix: chars.join('') };
  return { kind: 'none' };
}

type Row = Record<string, unknown>;

/** Rewrites the grams of one file from its current name and address, in the caller's transaction. */
export async function indexEmployerText(em: EntityManager, employerId: string, name: string, address: string | null): Promise<void> {
  await em.query('DELETE FROM employer_search_grams WHERE employer_id = ?', [employerId]);
  await insertGrams(em, [{ id: employerId, grams: gramsOf(name, address) }]);
  await em.query('UPDATE employers SET search_indexed = 1 WHERE id = ?', [employerId]);
}

/** Indexes files that have no grams yet (written by bulk inserts), a batch at a time; answers how many. */
export async function indexPendingEmployers(em: EntityManager, batch = 2000): Promise<number> {
  let total = 0;
  for (;;) {
    const rows: Row[] = await em.query(`SELECT id, name, address FROM employers WHERE search_indexed = 0 LIMIT ${batch}`);
    if (!rows.length) return total;
    const ids = rows.map((r) => String(r.id));
    await em.query(`DELETE FROM employer_search_grams WHERE employer_id IN (${ids.map(() => '?').join(', ')})`, ids);
    await insertGrams(em, rows.map((r) => ({ id: String(r.id), grams: gramsOf(String(r.name), r.address === null ? null : String(r.address)) })));
    await em.query(`UPDATE employers SET search_indexed = 1 WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
    total += rows.length;
  }
}

async function insertGrams(em: EntityManager, files: { id: string; grams: string[] }[]): Promise<void> {
  const pairs = files.flatMap((f) => f.grams.map((g) => [f.id, g]));
  // Statements under SQLite's bound-variable limit and MariaDB's packet size.
  for (let i = 0; i < pairs.length; i += 5000) {
    const part = pairs.slice(i, i + 5000);
    await em.query(`INSERT INTO employer_search_grams (employer_id, gram) VALUES ${part.map(() => '(?, ?)').join(', ')}`, part.flat());
  }
}

/**
 * The files that may match `q` (a superset; the caller checks LIKE), or 'scan' when the text is too
 * short for a gram or every gram is too common for candidates to pay.
 */
export async function searchCandidates(em: EntityManager, officeId: string, q: string): Promise<string[] | 'scan'> {
  const key = searchKeyOf(q);
  if (key.kind === 'none') return 'scan';
  const pending = ((await em.query(`SELECT id FROM employers WHERE office_id = ? AND search_indexed = 0 LIMIT ${CANDIDATE_CAP + 1}`, [officeId])) as Row[]).map((r) => String(r.id));
  if (pending.length > CANDIDATE_CAP) return 'scan';
  const capped = async (where: string, params: unknown[], cap = CANDIDATE_CAP) =>
    Number(((await em.query(`SELECT COUNT(*) AS n FROM (SELECT employer_id FROM employer_search_grams WHERE ${where} LIMIT ${cap + 1}) t`, params)) as Row[])[0].n);
  let rows: Row[];
  if (key.kind === 'prefix') {
    const range = [key.prefix, key.prefix + TOP];
    if ((await capped('gram >= ? AND gram < ?', range)) > CANDIDATE_CAP) return 'scan';
    rows = await em.query('SELECT DISTINCT employer_id FROM employer_search_grams WHERE gram >= ? AND gram < ?', range);
  } else {
    // Spread over the text, so a long search still counts grams from each part of it.
    const step = Math.max(1, key.grams.length / MAX_GRAMS_COUNTED);
    const counted = [...new Set(Array.from({ length: Math.min(key.grams.length, MAX_GRAMS_COUNTED) }, (_, i) => key.grams[Math.floor(i * step)]))];
    // Counted cheaply first (a short range each); only when no gram is that rare are they counted to the cap.
    let counts: { gram: string; n: number }[] = [];
    for (const gram of counted) {
      const n = await capped('gram = ?', [gram], FIRST_COUNT_CAP);
      if (n === 0) return pending;
      counts.push({ gram, n });
    }
    if (counts.every((c) => c.n > FIRST_COUNT_CAP)) {
      counts = [];
      for (const gram of counted) counts.push({ gram, n: await capped('gram = ?', [gram]) });
    }
    counts.sort((a, b) => a.n - b.n);
    if (counts[0].n > CANDIDATE_CAP) return 'scan';
    // The rarest gram, and the next ones counted exactly while reading them stays cheap: their intersection.
    const exactCap = counts[0].n > FIRST_COUNT_CAP ? CANDIDATE_CAP : FIRST_COUNT_CAP;
    const used = [counts[0]];
    let read = counts[0].n;
    for (const c of counts.slice(1)) {
      if (c.n > exactCap || read + c.n > 3 * CANDIDATE_CAP) break;
      used.push(c);
      read += c.n;
    }
    rows = await em.query(
      `SELECT employer_id FROM employer_search_grams WHERE gram IN (${used.map(() => '?').join(', ')}) GROUP BY employer_id HAVING COUNT(*) = ${used.length}`,
      used.map((c) => c.gram));
  }
  return [...new Set([...rows.map((r) => String(r.employer_id)), ...pending])];
}
