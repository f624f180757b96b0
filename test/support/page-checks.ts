/**
 * What every page of the end-to-end browser tests must not show a user: an ISO timestamp, a UUID,
 * a raw enum value (status, route, outcome, message name… as the API speaks them) or an English
 * word. `checkPage` saves the page as a screenshot (named by test and step) and then reads the
 * whole visible text of the page, the top bar and menu included, and the option texts of its
 * selects, so that an English placeholder or a raw value in a list is caught too.
 */
import type { Page } from 'playwright-core';
import * as labels from '../../src/web/client/labels';
import { screenshot } from './browser';

const ISO_TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** Abbreviations an office uses as they are (a PDF file, the HTML copy of a document). */
const ACCEPTED_ABBREVIATIONS = new Set(['PDF', 'HTML']);

/** Every value the label tables translate: none of them may reach a page untranslated. */
const RAW_VALUES: string[] = (() => {
  const out = new Set<string>();
  for (const table of Object.values(labels)) {
    if (!table || typeof table !== 'object' || Array.isArray(table)) continue;
    for (const key of Object.keys(table)) if (/^[a-z][a-z0-9_.-]{2,}$/i.test(key)) out.add(key);
  }
  return [...out];
})();

export interface PageCheckOptions {
  /** Words that are data on this page, not labels (a username typed by the admin, an e-mail address). */
  allow?: (string | RegExp)[];
}

/** The text a user sees: the body's rendered text and the options of every visible select. */
async function visibleText(page: Page): Promise<string> {
  const body = await page.locator('body').innerText();
  const options = await page.evaluate(() => Array.from(document.querySelectorAll('select'))
    .filter((s) => s.offsetParent !== null)
    .flatMap((s) => Array.from(s.options).map((o) => o.text))
    .join('\n'));
  return `${body}\n${options}`;
}

/** Latin-letter tokens of the text, less e-mail addresses, addresses of web pages and codes that begin with digits. */
function latinTokens(text: string, allow: (string | RegExp)[]): string[] {
  const found: string[] = [];
  for (const token of text.match(/[A-Za-z0-9@._:/-]*[A-Za-z]{2,}[A-Za-z0-9@._:/-]*/g) ?? []) {
    if (token.includes('@') || /^https?:/.test(token) || /^\d/.test(token)) continue;
    const word = token.replace(/^[._:/-]+|[._:/-]+$/g, '');
    if (ACCEPTED_ABBREVIATIONS.has(word)) continue;
    if (allow.some((a) => (typeof a === 'string' ? a === word : a.test(word)))) continue;
    found.push(word);
  }
  return found;
}

/** The reasons `text` is not fit for a user, empty when it is. */
export function unreadableParts(text: string, options: PageCheckOptions = {}): string[] {
  const problems: string[] = [];
  const iso = ISO_TIMESTAMP.exec(text);
  if (iso) problems.push(`ISO timestamp “${text.slice(Math.max(0, iso.index - 10), iso.index + 25)}”`);
  const uuid = UUID.exec(text);
  if (uuid) problems.push(`UUID ${uuid[0]}`);
  const tokens = latinTokens(text, options.allow ?? []);
  const raw = tokens.filter((t) => RAW_VALUES.includes(t));
  if (raw.length) problems.push(`raw values ${[...new Set(raw)].join(', ')}`);
  const english = tokens.filter((t) => !RAW_VALUES.includes(t));
  if (english.length) problems.push(`English words ${[...new Set(english)].join(', ')}`);
  return problems;
}

/**
 * Saves the page as `test-output/screenshots/<name>.png` and fails the test, naming the page, when
 * it shows an ISO timestamp, a UUID, a raw value or an English word.
 */
export async function checkPage(page: Page, name: string, options: PageCheckOptions = {}): Promise<void> {
  await screenshot(page, name);
  const problems = unreadableParts(await visibleText(page), options);
  if (problems.length) throw new Error(`page ${name} (${new URL(page.url()).pathname}) shows ${problems.join('; ')}`);
}

/**
 * The same check over a whole test: each page is saved and checked as it is visited, and what is
 * wrong is collected so that one unreadable page does not hide the steps after it; `expectClean`
 * (in afterEach) then fails the test with every page named.
 */
export class PageChecker {
  private readonly problems: string[] = [];
  readonly visited: string[] = [];

  async check(page: Page, name: string, options: PageCheckOptions = {}): Promise<void> {
    await screenshot(page, name);
    this.visited.push(name);
    const found = unreadableParts(await visibleText(page), options);
    if (found.length) this.problems.push(`${name} (${new URL(page.url()).pathname}): ${found.join('; ')}`);
  }

  /** Fails with every unreadable page seen since the last call, and starts over. */
  expectClean(): void {
    const found = this.problems.splice(0);
    if (found.length) throw new Error(`pages showing what a user should not see:\n${found.join('\n')}`);
  }
}
