/**
 * The admin console in the browser, through the UI only (the test clock aside): late in December the
 * admin registers a complaint whose acceptance deadline reaches into January and is 暂定; creates a
 * handler with a grid (a weak password is refused beside its field first), a community under a street,
 * and enters next year's holiday schedule from the State Council's notice (bad rows refused beside
 * their fields, in Chinese); the case's deadline is then final and its timeline says it was recomputed.
 * Only the test clock is moved through the API. Every page is saved as a screenshot
 * (test-output/screenshots/admin-*) and checked for ISO timestamps, UUIDs, raw values and English.
 */
import type { Page } from 'playwright-core';
import { chinaDate, yearOf } from '../../src/deadlines/china-time';
import { chromiumAvailable } from '../support/environment';
import { e2eSession } from '../support/e2e-session';

jest.setTimeout(240_000);

const EMPLOYER = '郑州美佳餐饮管理有限公司';
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|\b\d{4}-\d{2}-\d{2}\b/;
/** The admin console shows usernames and grid codes as data: the demo's, and the ones this test makes. */
const USERNAMES = [/^(intake|handler\d|legal|supervisor|admin|zhoumin|coordinator\d|grid\d)$/];
const GRID_CODES = [/^[A-Z]{2}(-\d{2})?$/];

(chromiumAvailable() ? describe : describe.skip)('the admin console, in the browser', () => {
  const session = e2eSession('admin', { width: 1280, height: 900 });
  const { loginPage, checks } = session;
  const check = (page: Page, name: string, allow: (string | RegExp)[] = []) => checks.check(page, `admin-${name}`, { allow });
  let year = 0;
  let caseUrl = '';
  let testNow = 0;

  beforeAll(async () => {
    await session.start();
    // The test clock moves to 29 December (a Tuesday), so that a deadline of 5 working days reaches
    // into next year, whose schedule is not published yet.
    const page = await loginPage('intake');
    const now = (await session.now(page)).getTime();
    year = yearOf(chinaDate(now)) + 1;
    const ahead = Math.ceil((Date.parse(`${year - 1}-12-29T10:00:00+08:00`) - now) / 1000);
    testNow = ahead > 0 ? (await session.advanceClock(page, `PT${ahead}S`)).getTime() : now;
    await page.context().close();
  });
  afterAll(() => session.stop());
  afterEach(() => {
    expect(session.pageErrors).toEqual([]);
    checks.expectClean();
  });

  it('the window registers a complaint whose acceptance deadline is 暂定', async () => {
    const page = await loginPage('intake');
    await check(page, 'intake-home');
    // The intake form's receipt time defaults to the browser's now and may not be later than it: the
    // browser is set to the service's test clock.
    await page.clock.setFixedTime(new Date(testNow));
    await page.getByRole('link', { name: '受理登记', exact: true }).click();
    await page.locator('#intake-form').waitFor();
    await page.locator('[data-path="complainants.0.name"]').fill('李娜');
    await page.locator('[data-path="complainants.0.phone"]').fill('13800000000');
    await page.getByLabel('查找已建档的用人单位').fill('美佳');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: new RegExp(EMPLOYER) }).click();
    await page.locator('#employer-chosen-card').waitFor();
    await check(page, 'intake-form');
    await page.locator('[data-path="workers.0.name"]').fill('李娜');
    await page.locator('[data-path="workers.0.amountOwed"]').fill('5200');
    await page.locator('[data-path="workers.0.monthsOwed"]').fill('1');
    await page.locator('[data-path="claims.0.category"]').selectOption('wage-arrears');
    await page.locator('[data-path="claims.0.amount"]').fill('5200');
    await page.locator('[data-path="claims.0.description"]').fill('拖欠2026年11月工资');
    await page.getByLabel('案情概要').fill('在餐厅做帮厨，11月工资至今未发。');
    await page.locator('#intake-submit').click();
    await page.locator('#intake-result').waitFor();
    await check(page, 'intake-result');
    await page.locator('#open-case').click();
    await page.locator('#case-title').waitFor();
    caseUrl = new URL(page.url()).pathname;
    const row = page.locator('tr[data-rule="intake.acceptanceDecision"]');
    await session.atRest();
    await page.reload();
    await page.locator('#case-title').waitFor();
    await row.locator('.badge.provisional').waitFor();
    expect(await row.innerText()).toContain(`${year}/01/05`);
    // Its explanation (计算依据) names days in Chinese, not in ISO form.
    const explained = await page.locator('#deadlines').textContent() ?? '';
    expect(explained).toContain(`${year}年1月5日`);
    expect(explained).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    await check(page, 'case-provisional');
  });

  it('creates a user with a grid, and a community under a street', async () => {
    const page = await loginPage('admin');
    await check(page, 'home');
    await page.getByRole('link', { name: '系统管理', exact: true }).click();
    await page.locator('#users').waitFor();
    expect(await page.locator('#users').innerText()).toContain('监察员');
    await check(page, 'users', USERNAMES);

    const form = page.locator('#user-create');
    await form.getByLabel('用户名').fill('zhoumin');
    await form.getByLabel('姓名').fill('周敏');
    await form.getByLabel('初始密码').fill('short');
    await form.getByLabel('监察员').check();
    await form.getByLabel('解放路街道', { exact: true }).check();
    await form.getByRole('button', { name: '创建用户' }).click();
    await form.locator('#new-password-err', { hasText: '至少 12 个字符' }).waitFor();
    await check(page, 'user-weak-password', USERNAMES);

    await form.getByLabel('初始密码').fill('Jiefang-Road-2027');
    await form.getByRole('button', { name: '创建用户' }).click();
    await page.locator('tr[data-user="zhoumin"]').waitFor();
    const row = await page.locator('tr[data-user="zhoumin"]').innerText();
    expect(row).toContain('周敏');
    expect(row).toContain('监察员');
    expect(row).toContain('解放路街道');
    expect(await page.locator('#users-status').innerText()).toContain('已创建用户 周敏');

    await page.locator('tr[data-user="zhoumin"]').getByRole('button').click();
    await page.locator('#user-edit').waitFor();
    await check(page, 'user-edit', USERNAMES);

    await page.locator('.admin-nav').getByRole('link', { name: '网格' }).click();
    await page.locator('#grids').waitFor();
    const grid = page.locator('#grid-create');
    await grid.getByLabel('名称').fill('航海路社区');
    await grid.getByLabel('代码').fill('handler');
    await grid.getByLabel('所属街道').selectOption({ label: '解放路街道' });
    await grid.getByRole('button', { name: '创建网格' }).click();
    await grid.locator('#grid-code[aria-invalid="true"]').waitFor();
    expect(await grid.locator('#grid-code-err').innerText()).toContain('不能与角色名称相同');
    await check(page, 'grid-code-refused', [...GRID_CODES, 'handler', 'admin']); // the roles named as codes it may not take
    await grid.getByLabel('代码').fill('JF-09');
    await grid.getByRole('button', { name: '创建网格' }).click();
    await page.locator('tr[data-grid="JF-09"]').waitFor();
    expect(await page.locator('tr[data-grid="JF-09"]').innerText()).toContain('航海路社区');
    expect(await page.locator('#grids-status').innerText()).toContain('已创建社区：航海路社区');
    await check(page, 'grids', GRID_CODES);

    for (const [name, id] of [['外部单位联系方式', '[data-contact="court"]'], ['服务时限', '#levels']] as const) {
      await page.locator('.admin-nav').getByRole('link', { name }).click();
      await page.locator(id).waitFor();
      await check(page, name === '服务时限' ? 'levels' : 'contacts');
    }
    // The office's own closure target is not presented as a statutory period.
    expect(await page.locator('tr[data-level="closure-target"] .applies-to').innerText()).toBe('本单位目标期限');
    expect(await page.locator('tr[data-level="statutory-investigation"] .applies-to').innerText()).toBe('法定期限');
  });

  it(`enters next year's holiday schedule, and the case's 暂定 deadline becomes final`, async () => {
    const page = await loginPage('admin');
    await page.getByRole('link', { name: '系统管理', exact: true }).click();
    await page.locator('.admin-nav').getByRole('link', { name: '节假日安排' }).click();
    await page.locator('#calendar-years').waitFor();
    const pending = page.locator(`#calendar-years tr[data-year="${year}"]`);
    expect(await pending.innerText()).toContain('暂定');
    await check(page, 'calendar-years');

    await pending.getByRole('link', { name: '录入安排' }).click();
    await page.locator('#calendar-form').waitFor();
    await check(page, 'calendar-form');
    const form = page.locator('#calendar-form');
    await form.getByLabel('通知名称及文号').fill(`国务院办公厅关于${year}年部分节假日安排的通知（国办发明电〔${year - 1}〕7号）`);
    await form.getByLabel('发布日期').fill(`${year - 1}-11-12`);
    // A run of days, then single rows: one outside the year and one weekday 调休 are refused.
    await form.locator('#cal-range-from').fill(`${year}-01-01`);
    await form.locator('#cal-range-to').fill(`${year}-01-03`);
    await form.locator('#cal-range-name').fill('元旦');
    await form.locator('#cal-range-add').click();
    expect(await form.locator('#calendar-entries tbody tr').count()).toBe(3);
    const rows = form.locator('#calendar-entries tbody tr');
    await form.locator('#cal-add-row').click();
    await rows.nth(3).locator('[data-part="date"]').fill(`${year - 1}-12-31`);
    await rows.nth(3).locator('[data-part="name"]').fill('元旦');
    await form.locator('#cal-add-row').click();
    await rows.nth(4).locator('[data-part="date"]').fill(`${year}-02-15`);
    await rows.nth(4).locator('[data-part="kind"]').selectOption({ label: '调休上班' });
    await rows.nth(4).locator('[data-part="name"]').fill('春节');
    await form.getByRole('button', { name: '保存安排' }).click();
    await rows.nth(3).locator('.field-error', { hasText: `${year - 1}年12月31日 不在 ${year} 年内` }).waitFor();
    await rows.nth(4).locator('.field-error', { hasText: '调休上班日应为周六或周日' }).waitFor();
    expect(await form.innerText()).not.toMatch(ISO);
    await check(page, 'calendar-errors');

    await rows.nth(3).getByRole('button', { name: '删除' }).click();
    await rows.nth(3).locator('[data-part="date"]').fill(`${year}-02-20`);
    await form.locator('#cal-add-row').click();
    await rows.nth(4).locator('[data-part="date"]').fill(`${year}-02-06`);
    await rows.nth(4).locator('[data-part="name"]').fill('春节');
    await form.getByRole('button', { name: '保存安排' }).click();
    await page.locator('#calendar-done.message').waitFor();
    expect(await page.locator('#calendar-done').innerText()).toMatch(/1个案件的\d+项暂定期限已按新安排重新计算/);
    expect(await page.locator('#calendar-status').innerText()).toBe('已公布');
    expect(await page.locator('#calendar-days').innerText()).toContain(`${year}年1月1日`);
    await check(page, 'calendar-year');

    // The admin finds the case through 案件查询, as anyone would.
    await page.getByRole('link', { name: '案件查询', exact: true }).click();
    await page.locator(`#cases-list a[href="${caseUrl}"]`).click();
    await page.locator('#case-title').waitFor();
    const row = page.locator('tr[data-rule="intake.acceptanceDecision"]');
    await row.waitFor();
    expect(await row.locator('.badge.provisional').count()).toBe(0);
    // 元旦 1–3 January is off now: the fifth working day is the 6th.
    expect(await row.innerText()).toContain(`${year}/01/06`);
    expect(await page.locator('.timeline').innerText()).toContain('节假日安排公布，重新计算暂定期限');
    await check(page, 'case-final');
  });
});
