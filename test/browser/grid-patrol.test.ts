/**
 * A grid officer's patrol in the browser: 网格协管员 grid1 plans the month's patrols of their community,
 * opens the patrol of 郑州宏达 from 日常巡查, ticks the checklist with a problem found, orders it
 * corrected on the spot and submits; the patrol list shows it done with its 现场责令改正通知书, and the
 * grid dashboard counts the patrol done against the plan, its drill-down naming the employers still to
 * visit; the patrol list downloads as xlsx from its button. An enterprise coordinator sees only the
 * report form, and the window staff see the warning without a link to its task. Every page is saved and checked for what a user should not see.
 */
import ExcelJS from 'exceljs';
import { e2eSession, submitTask } from '../support/e2e-session';
import { chromiumAvailable } from '../support/environment';

jest.setTimeout(240_000);

(chromiumAvailable() ? describe : describe.skip)('a grid officer patrols on the page and the dashboard counts it', () => {
  const session = e2eSession('grid-patrol', { width: 1280, height: 1000 });

  beforeAll(() => session.start());
  afterAll(() => session.stop());
  afterEach(() => {
    expect(session.pageErrors).toEqual([]);
    session.checks.expectClean();
  });

  it('plans, patrols with an on-the-spot order, and sees the figures', async () => {
    const page = await session.loginPage('grid1');
    await page.getByRole('link', { name: '日常巡查', exact: true }).click();
    await page.locator('#plan-submit').waitFor();
    await session.checks.check(page, 'patrol-list-empty');
    await page.locator('#plan-submit').click();
    const row = page.locator('#patrol-table tr', { hasText: '郑州宏达建筑劳务有限公司' });
    await row.waitFor();
    await session.atRest();
    expect(await row.innerText()).toContain('待巡查');
    await session.checks.check(page, 'patrol-list-planned');
    // A photo of the patrol, uploaded from its row, shows as a thumbnail served by the photo route.
    await row.getByRole('button', { name: '照片' }).click();
    await page.locator('.patrol-photos [role="status"]', { hasText: '暂无照片' }).waitFor();
    await page.getByLabel('上传现场照片').setInputFiles({ name: '现场照片1.png', mimeType: 'image/png', buffer: Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64') });
    const thumb = page.locator('.patrol-photos img.patrol-photo');
    await thumb.waitFor();
    await page.waitForFunction(() => (document.querySelector('.patrol-photos img.patrol-photo') as HTMLImageElement | null)?.naturalWidth === 1);
    expect(await page.locator('.patrol-photos [role="status"]').innerText()).toBe('共1张照片。');
    await session.checks.check(page, 'patrol-photos');

    await row.getByRole('link', { name: '去巡查' }).click();
    await page.locator('#task-form .fjs-form').waitFor();
    await page.locator('#claim').click();
    await page.locator('#task-form input[type="radio"]:not([readonly])').first().waitFor();
    const radio = (group: string, option: string) => page.locator('#task-form .fjs-form-field-radio', { hasText: group }).getByLabel(option, { exact: true });
    await radio('劳动合同签订', '存在问题').check();
    await page.locator('#task-form').getByLabel('发现的问题').fill('3 名新入职工人未签订书面劳动合同');
    await page.locator('#task-form').getByLabel('现场照片编号或存放位置').fill('照片 1-3 号，存网格工作站');
    await radio('处理方式', '现场责令改正，到期复查').check();
    await page.locator('#task-form').getByLabel('责令改正事项').fill('一个月内与 3 名工人补签书面劳动合同');
    await session.checks.check(page, 'patrol-task-filled');
    await submitTask(session, page);

    await page.getByRole('link', { name: '日常巡查', exact: true }).click();
    const done = page.locator('#patrol-table tr', { hasText: '郑州宏达建筑劳务有限公司' });
    await done.waitFor();
    const text = await done.innerText();
    expect(text).toContain('已巡查');
    expect(text).toContain('现场责令改正');
    expect(text).toContain('协管员 马丽');
    expect(text).toMatch(/现改〔\d{4}〕\d+号/);
    expect(text).toContain('复查');
    await session.checks.check(page, 'patrol-list-done');
    // The list as xlsx, from the page's button: the same patrol, in Chinese.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#patrols-export').click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const cells: string[] = [];
    wb.worksheets[0].eachRow((r) => cells.push(...(r.values as unknown[]).map((v) => String(v ?? ''))));
    expect(cells).toEqual(expect.arrayContaining(['郑州宏达建筑劳务有限公司', '已巡查', '现场责令改正']));

    await page.getByRole('link', { name: '网格监管', exact: true }).click();
    await page.locator('#summary').waitFor();
    const summary = await page.locator('#summary').innerText();
    expect(summary).toMatch(/本月巡查\s*1 \/ [1-9]/);
    expect(await page.locator('#grid-table tr[data-grid="JF-01"]').innerText()).toMatch(/1 \/ [1-9]/);
    expect(await page.locator('#rates-chart rect[data-bar="supervised"]').count()).toBeGreaterThan(0);
    expect(await page.locator('#dashboard-export').getAttribute('href')).toMatch(/^\/api\/prevention\/dashboard\/export\.xlsx/);
    await session.checks.check(page, 'grid-dashboard');
    await page.locator('#summary button[data-figure="patrol-pending"]').click();
    await page.locator('#drill h2', { hasText: '本月待巡查的单位' }).waitFor();
    expect(await page.locator('#drill').innerText()).not.toContain('郑州宏达建筑劳务有限公司');
    await page.locator('#summary button[data-figure="all"]').click();
    await page.locator('#drill-table', { hasText: '郑州宏达建筑劳务有限公司' }).waitFor();
    await session.checks.check(page, 'grid-dashboard-drill');
  });

  it('an enterprise coordinator sees only the report form and reports', async () => {
    const page = await session.loginPage('coordinator1');
    await page.getByRole('link', { name: '预警报告', exact: true }).click();
    await page.locator('#report-summary').waitFor();
    expect(await page.locator('#warning-table').count()).toBe(0);
    await page.locator('#report-summary').fill('本月工资推迟发放，工人情绪不稳');
    await page.locator('#report-submit').click();
    await page.locator('#report-status', { hasText: '黄色预警' }).waitFor();
    await session.checks.check(page, 'warning-report');
    // Their employer's page asks only for what they may read: no section's request is refused.
    const refused: string[] = [];
    page.on('response', (r) => { if (r.url().includes('/api/') && r.status() >= 400) refused.push(`${r.status()} ${new URL(r.url()).pathname}`); });
    await page.getByRole('link', { name: '用人单位', exact: true }).click();
    await page.locator('#main a', { hasText: '郑州宏达建筑劳务有限公司' }).first().click();
    await page.getByRole('heading', { name: '档案信息' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(refused).toEqual([]);

    const officer = await session.loginPage('grid1');
    await session.atRest();
    await officer.getByRole('link', { name: '三色预警', exact: true }).click();
    const row = officer.locator('#warning-table tr', { hasText: '郑州宏达建筑劳务有限公司' });
    await row.waitFor();
    expect(await row.innerText()).toContain('前置预警');
    expect(await officer.locator('#warnings-export').getAttribute('href')).toBe('/api/prevention/warnings/export.xlsx?state=open');
    await session.checks.check(officer, 'warning-list');
    expect(await row.getByRole('link', { name: '去处置' }).count()).toBe(1);

    // The window staff read warnings office-wide but do not work on them: no link to a task page that would answer "not found".
    const desk = await session.loginPage('intake');
    await desk.getByRole('link', { name: '三色预警', exact: true }).click();
    const seen = desk.locator('#warning-table tr', { hasText: '郑州宏达建筑劳务有限公司' });
    await seen.waitFor();
    expect(await seen.getByRole('link', { name: '去处置' }).count()).toBe(0);
  });
});
