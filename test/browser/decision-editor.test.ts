/**
 * Legal staff edit a decision table in the graphical editor (dmn-js): open the discretion standard,
 * change a cell, save the draft, see the difference rule by rule, see a save refused in Chinese when
 * someone else saved meanwhile, open the latest draft, test it with inputs (outputs and matched rule)
 * and deploy it after confirming. Our parts of the page are checked for what a user should not read;
 * the table itself holds the table's own expressions (data legal staff edit), so it is left out.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { screenshot } from '../support/browser';
import { browserSession } from '../support/browser-session';
import { chromiumAvailable } from '../support/environment';
import { unreadableParts } from '../support/page-checks';

jest.setTimeout(120_000);

const DRG = 'penalty-discretion-drg';
const CELL = 'td[data-row-id="penalty-rule-1"][data-col-id="output-proposedFine"]';
/** Screenshots of dmn-js's menus, kept beside the notes of the change that translated them. */
const NOTES_DIR = process.env.DMN_SCREENSHOT_DIR ?? path.join(__dirname, '../../test-output/screenshots');

/** Screenshot, then the text of the page outside the dmn-js table (menu, toolbar, messages, diff, test panel). */
async function checkOurParts(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  const text = await page.evaluate(() => {
    const parts = [document.querySelector('header, #nav')?.textContent ?? ''];
    for (const s of Array.from(document.querySelectorAll('main section'))) {
      if (s.querySelector('.dmn-host')) { parts.push(s.querySelector('h2')?.textContent ?? '', s.querySelector('.hint')?.textContent ?? ''); continue; }
      parts.push((s as HTMLElement).innerText);
      for (const sel of Array.from(s.querySelectorAll('select'))) parts.push(...Array.from(sel.options).map((o) => o.text));
    }
    return parts.join('\n');
  });
  expect(unreadableParts(text)).toEqual([]);
}

/** Where dmn-js shows its own words: menus, popups, column heads, hit policy, the requirements view's palette and pad. */
const DMN_CHROME = [
  '.context-menu', '.dms-select-options', '.hit-policy', '.input-variable', '.output-variable', '.clause', '.decision-table-name',
  '.view-drd', '.djs-palette', '.djs-context-pad', '.dmn-definitions', '.drd-container .djs-popup', '.powered-by',
].join(', ');
/** The table's input expressions and output names: data legal staff write, shown in the column editors. */
const TABLE_NAMES = ['violationKind', 'workerCount', 'amountOwed', 'isRepeat', 'level', 'fineMin', 'fineMax', 'proposedFine'];
/** Words dmn-js may show as they are: the expression language's name and the standard's. */
const DMN_ALLOWED = new Set(['FEEL', 'DMN']);

/**
 * The English a user sees in dmn-js's own parts of the editor: the text of the visible menus, popups
 * and heads, their tooltips (title), placeholders and labels, and the options of their selects. The
 * table's cells and the names legal staff typed (labels, expressions) are data and are not looked at.
 */
async function englishInDmn(page: Page, data: string[] = []): Promise<string[]> {
  const texts = await page.evaluate((selector) => {
    const out: string[] = [];
    const visible = (e: Element) => (e as HTMLElement).offsetParent !== null || getComputedStyle(e).position === 'fixed' || e instanceof SVGElement;
    for (const root of Array.from(document.querySelectorAll(`#dmn-editor :is(${selector})`)).filter(visible)) {
      out.push((root as HTMLElement).innerText ?? root.textContent ?? '');
      for (const e of [root, ...Array.from(root.querySelectorAll('*'))]) {
        if (!visible(e)) continue;
        for (const a of ['title', 'placeholder', 'aria-label']) if (e.getAttribute(a)) out.push(e.getAttribute(a)!);
        if (e instanceof HTMLSelectElement) out.push(...Array.from(e.options).map((o) => o.text));
        // What a text box shows (the chosen column type was one: `string`).
        if (e instanceof HTMLInputElement && e.type !== 'hidden') out.push(e.value);
      }
    }
    return out;
  }, DMN_CHROME);
  const words = new Set<string>();
  for (const t of texts) {
    let rest = t;
    for (const d of data) rest = rest.split(d).join(' ');
    for (const w of rest.match(/[A-Za-z][A-Za-z-]+/g) ?? []) if (!DMN_ALLOWED.has(w)) words.add(w);
  }
  return [...words];
}

/** Screenshot for the notes and the test output, then the English dmn-js shows. */
async function lookAt(page: Page, name: string, data: string[] = []): Promise<string[]> {
  await screenshot(page, `decision-editor-${name}`);
  fs.mkdirSync(NOTES_DIR, { recursive: true });
  await page.screenshot({ path: path.join(NOTES_DIR, `F-${name}.png`), fullPage: true });
  const english = await englishInDmn(page, data);
  return english.map((w) => `${name}: ${w}`);
}

/** Replaces the text of a cell by typing into it, as a user does. */
async function typeInto(page: Page, selector: string, text: string): Promise<void> {
  const cell = page.locator(`${selector} [contenteditable]`).first();
  await cell.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text);
  await page.locator('#dmn-title').click();
}

(chromiumAvailable() ? describe : describe.skip)('legal staff edit a decision table in the graphical editor', () => {
  const session = browserSession('decision-editor', { width: 1440, height: 900 });
  beforeAll(() => session.start());
  afterAll(() => session.stop());
  afterEach(() => expect(session.pageErrors).toEqual([]));

  it('handlers are refused the editor', async () => {
    const page = await session.loginPage('handler1');
    await page.goto(`${session.service.url}/decision-tables/${DRG}/editor`);
    await page.getByText('您的角色无权进行此操作').waitFor();
    expect(await page.locator('#dmn-editor').count()).toBe(0);
  });

  it('shows dmn-js\'s menus, column types, hit policies and requirements view in Chinese', async () => {
    const page = await session.loginPage('legal');
    await page.goto(`${session.service.url}/decision-tables/${DRG}/editor`);
    await page.locator(`#dmn-editor ${CELL}`).waitFor({ timeout: 90_000 });
    const english: string[] = [];
    english.push(...await lookAt(page, 'dmn-table'));
    // The hit policy: its tooltip (title) and its list of choices.
    await page.locator('#dmn-editor .hit-policy .dms-input-select').click();
    await page.locator('#dmn-editor .dms-select-options').waitFor({ timeout: 10_000 });
    english.push(...await lookAt(page, 'dmn-hit-policy'));
    await page.keyboard.press('Escape');
    await page.locator('#dmn-title').click();
    // An input column and an output column: the editor each opens on a double click, with its type menu.
    for (const [name, selector] of [['input', 'th.input-cell'], ['output', 'th.output-cell']] as const) {
      await page.locator(`#dmn-editor ${selector}`).first().dblclick();
      await page.locator('#dmn-editor .context-menu').first().waitFor({ timeout: 10_000 });
      english.push(...await lookAt(page, `dmn-${name}-column`, TABLE_NAMES));
      // Its type menu: the column types by their Chinese names.
      await page.locator('#dmn-editor .context-menu .dms-input-select').last().click();
      await page.locator('#dmn-editor .dms-select-options').waitFor({ timeout: 10_000 });
      english.push(...await lookAt(page, `dmn-${name}-type`, TABLE_NAMES));
      await page.keyboard.press('Escape');
      await page.locator('#dmn-title').click();
    }
    // The context menu of a rule's cell.
    await page.locator(`#dmn-editor ${CELL}`).click({ button: 'right' });
    await page.locator('#dmn-editor .context-menu').first().waitFor({ timeout: 10_000 });
    english.push(...await lookAt(page, 'dmn-cell-menu'));
    await page.keyboard.press('Escape');
    await page.locator('#dmn-title').click();
    // The requirements view (DRD): its palette, and a decision's context pad.
    await page.locator('#dmn-editor .view-drd-button').click();
    await page.locator('#dmn-editor .djs-palette').waitFor({ timeout: 10_000 });
    english.push(...await lookAt(page, 'dmn-drd'));
    await page.locator('#dmn-editor .djs-element.djs-shape').first().click({ force: true });
    await page.locator('#dmn-editor .djs-context-pad').waitFor({ timeout: 10_000 });
    english.push(...await lookAt(page, 'dmn-drd-context-pad'));
    expect(english).toEqual([]);
  }, 300_000);

  it('changes a cell, saves, compares, is told of a conflict, tests the draft and deploys it', async () => {
    const page = await session.loginPage('legal');
    await page.getByRole('link', { name: '决策表', exact: true }).click();
    await page.locator(`#decision-table-list tr[data-drg="${DRG}"] a`).click();
    await page.locator('#dt-open-editor').click();
    await page.locator(`#dmn-editor ${CELL}`).waitFor();
    await page.getByRole('heading', { name: '编辑决策表：行政处罚裁量基准' }).waitFor();
    expect(await page.locator('#dmn-opened').innerText()).toContain('已部署第 1 版');
    // dmn-js's own texts come through our translate module.
    expect(await page.locator('#dmn-editor').innerText()).toContain('法律依据与说明');
    // The legal sources (the rules' annotation entries) show in the annotation column.
    expect(await page.locator('#dmn-editor td.annotation[data-row-id="penalty-rule-1"]').innerText()).toContain('《禁止使用童工规定》第六条');
    await checkOurParts(page, 'decision-editor-opened');

    await typeInto(page, CELL, '6000 * workerCount');
    await page.getByText('有未保存的修改').waitFor();
    await page.locator('#dmn-save').click();
    await page.locator('#dmn-message', { hasText: '已保存为草稿第 1 版，可以部署' }).waitFor();

    await page.locator('#dmn-compare').click();
    const changed = page.locator('#dmn-diff li.diff-changed');
    await changed.waitFor();
    expect(await page.locator('#dmn-diff li').count()).toBe(1);
    expect(await changed.innerText()).toContain('修改第 1 条规则');
    expect(await changed.innerText()).toContain('“使用童工”');
    expect(await changed.innerText()).toContain('6000 × 受侵害劳动者人数');
    await checkOurParts(page, 'decision-editor-diff');

    // Someone else saves a draft meanwhile: the next save from this page is refused and said so.
    const admin = await session.apiAs('admin');
    const mine = await (await admin.get(`${session.service.url}/api/decision-tables/${DRG}/draft`)).json() as { xml: string };
    // The draft holds each legal source once, as the rule's annotation entry.
    expect(mine.xml).toContain('《禁止使用童工规定》第六条');
    expect(mine.xml).not.toMatch(/<rule [^>]*>\s*<description>/);
    const theirs = await admin.put(`${session.service.url}/api/decision-tables/${DRG}/draft`, { data: { xml: mine.xml, basedOnVersion: 1, expectedVersion: 1 } });
    expect(theirs.status()).toBe(201);
    await typeInto(page, CELL, '7000 * workerCount');
    await page.locator('#dmn-save').click();
    await page.locator('#dmn-message.error', { hasText: '其他人已保存了更新的草稿' }).waitFor();
    await checkOurParts(page, 'decision-editor-conflict');

    // Open the latest draft (dropping the unsaved edit) and test it.
    await page.selectOption('select[id^="open"]', 'draft:2');
    page.once('dialog', (d) => void d.accept());
    await page.locator('#dmn-open').click();
    await page.locator('#dmn-opened', { hasText: '草稿第 2 版' }).waitFor();
    await page.getByLabel('违法行为种类').selectOption({ label: '使用童工' });
    await page.getByLabel('受侵害劳动者人数').fill('2');
    await page.getByLabel('涉及金额（元）').fill('30000');
    await page.getByLabel('再次违法').selectOption({ label: '否' });
    await page.locator('#dmn-test-run').click();
    const result = page.locator('#dmn-test-result');
    await result.getByText('命中第 1 条规则').waitFor();
    expect(await result.innerText()).toContain('建议罚款（元）：');
    expect(await result.innerText()).toContain('12,000');
    expect(await result.innerText()).toContain('严重');
    expect(await result.innerText()).toContain('《禁止使用童工规定》第六条');
    await checkOurParts(page, 'decision-editor-test');

    let asked = '';
    page.once('dialog', (d) => { asked = d.message(); void d.accept(); });
    await page.locator('#dmn-deploy').click();
    await page.locator('#dmn-message', { hasText: '已部署为第 2 版' }).waitFor();
    expect(asked).toContain('草稿第 2 版');
    expect(await page.locator('#dmn-latest').innerText()).toContain('已部署第 2 版');
    await checkOurParts(page, 'decision-editor-deployed');

    // A cell that is no expression: the draft is saved with its problems listed, and deployment refused.
    await typeInto(page, CELL, '6000 * * workerCount');
    await page.locator('#dmn-save').click();
    await page.locator('#dmn-message.error', { hasText: '部署前须修正下列问题' }).waitFor();
    expect(await page.locator('#dmn-problems li.error').count()).toBeGreaterThan(0);
    expect(await page.getByLabel('受侵害劳动者人数').inputValue()).toBe('2');
    page.once('dialog', (d) => void d.accept());
    await page.locator('#dmn-deploy').click();
    await page.locator('#dmn-message.error', { hasText: '部署被拒绝' }).waitFor();
    expect(await page.locator('#dmn-problems li.error').count()).toBeGreaterThan(0);
    await checkOurParts(page, 'decision-editor-refused');

    // What was deployed is what runs: the deployed version proposes the new fine.
    const evaluated = await admin.post(`${session.service.url}/api/decision-tables/${DRG}/evaluation`, { data: { variables: { violationKind: 'child-labour', workerCount: 2, amountOwed: 0, isRepeat: false } } });
    expect(((await evaluated.json()) as { output: { proposedFine: number } }).output.proposedFine).toBe(12_000);
  });
});
