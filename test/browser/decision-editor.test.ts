/**
 * Legal staff edit a decision table in the graphical editor (dmn-js): open the discretion standard,
 * change a cell, save the draft, see the difference rule by rule, see a save refused in Chinese when
 * someone else saved meanwhile, open the latest draft, test it with inputs (outputs and matched rule)
 * and deploy it after confirming. Our parts of the page are checked for what a user should not read;
 * the table itself holds the table's own expressions (data legal staff edit), so it is left out.
 */
import type { Page } from 'playwright-core';
import { screenshot } from '../support/browser';
import { browserSession } from '../support/browser-session';
import { chromiumAvailable } from '../support/environment';
import { unreadableParts } from '../support/page-checks';

jest.setTimeout(120_000);

const DRG = 'penalty-discretion-drg';
const CELL = 'td[data-row-id="penalty-rule-1"][data-col-id="output-proposedFine"]';

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
