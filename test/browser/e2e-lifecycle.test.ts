/**
 * One wage-arrears case from the window to the penalty decision, in the browser only (the test clock
 * aside), each step by the role that takes it: the window registers and triages it; the head approves
 * the filing and assigns the inspectors; the inspector investigates and orders the employer to pay,
 * serves the order, and finds at re-inspection that nothing was paid; the amount meets the criminal
 * threshold, so the inspector writes the referral report, the head approves it and the inspector hands
 * the case to the police. The police stay silent past their 3 日: the follow-up task 催办公安机关
 * appears in the inspector's inbox and is done. Then the police refuse (entered on the case page as an
 * outside answer), the head decides against reconsideration, and the penalty path runs: proposal, the
 * prior notice served, the statement period passing, review, approval and the decision served. Every
 * service is recorded through its form. Every page is saved (test-output/screenshots/lifecycle-*) and
 * checked for ISO timestamps, UUIDs, raw values and English.
 */
import type { Page } from 'playwright-core';
import { screenshot } from '../support/browser';
import { chromiumAvailable } from '../support/environment';
import { chooseInForm, e2eSession, fillFormDate, openCase, openFormSelect, openTaskOfCase, pickerDate, submitTask } from '../support/e2e-session';

jest.setTimeout(420_000);

const EMPLOYER = '郑州宏达建筑劳务有限公司';

(chromiumAvailable() ? describe : describe.skip)('a wage-arrears case from intake to the penalty decision, through the UI only', () => {
  const session = e2eSession('lifecycle', { width: 1280, height: 1000 });
  const { loginPage, checks } = session;
  let step = 0;
  /** Screenshots are numbered in the order the case went, so the folder reads as the case's story. */
  const check = (page: Page, name: string) => checks.check(page, `lifecycle-${String(++step).padStart(2, '0')}-${name}`);
  let caseNumber = '';

  /** Logs `username` in and opens the case's task `taskName`, claimed, with the page's clock at the service's. */
  async function taskPage(username: string, taskName: string): Promise<Page> {
    const page = await loginPage(username);
    await session.syncClock(page);
    await openCase(page, caseNumber);
    await openTaskOfCase(session, page, caseNumber, taskName);
    return page;
  }

  /** Records a direct service through the service-record form of the task open on `page`. */
  async function recordService(page: Page, receiver: string, name: string): Promise<void> {
    const today = pickerDate(await session.syncClock(page));
    await chooseInForm(page, '送达方式', '直接送达');
    await fillFormDate(page, /^送达日期/, today);
    await page.getByLabel('受送达人（签收人）').fill(receiver);
    // Left empty, the address reaches the 送达回证 as an empty text and the service step fails (see the report).
    const address = page.getByLabel('送达地址');
    if (!(await address.inputValue())) await address.fill('郑州市二七区解放路 99 号');
    await check(page, name);
    await submitTask(session, page);
  }

  /** The steps build on each other: after one fails, the rest say so at once instead of waiting out their timeouts. */
  let failedStep = '';
  const it = (name: string, fn: () => Promise<void>) => global.it(name, async () => {
    if (failedStep) throw new Error(`not run: the step “${failedStep}” failed`);
    try {
      await fn();
    } catch (e) {
      failedStep = name;
      if (session.lastPage) await screenshot(session.lastPage, `lifecycle-failed-${step}`).catch(() => undefined);
      throw e;
    }
  });

  /**
   * Reads the deadline `rule` off the case page open on `page` (as a user reads 期限) and moves the
   * service's clock an hour past it.
   */
  async function passDeadline(page: Page, rule: string): Promise<void> {
    const row = page.locator(`#deadlines tr[data-rule="${rule}"]`);
    await row.waitFor();
    const m = /(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2})/.exec(await row.locator('td').nth(1).innerText());
    if (!m) throw new Error(`no date in the deadline ${rule}: ${await row.innerText()}`);
    const due = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:59+08:00`);
    const ahead = Math.ceil((due - (await session.now(page)).getTime()) / 1000) + 3600;
    await session.advanceClock(page, `PT${ahead}S`);
  }

  beforeAll(() => session.start());
  afterAll(() => session.stop());
  afterEach(() => {
    expect(session.pageErrors).toEqual([]);
    checks.expectClean();
  });

  it('the window registers the complaint and triages it to an investigation', async () => {
    const page = await loginPage('intake');
    await session.syncClock(page);
    await page.getByRole('link', { name: '受理登记', exact: true }).click();
    await page.locator('#intake-form').waitFor();
    await page.locator('[data-path="complainants.0.name"]').fill('张伟');
    await page.locator('[data-path="complainants.0.phone"]').fill('13700002222');
    await page.getByLabel('查找已建档的用人单位').fill('宏达');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: new RegExp(EMPLOYER) }).click();
    await page.locator('#employer-chosen-card').waitFor();
    await page.locator('[data-path="workers.0.name"]').fill('张伟');
    await page.locator('[data-path="workers.0.amountOwed"]').fill('9000');
    await page.locator('[data-path="workers.0.monthsOwed"]').fill('3');
    await page.locator('[data-path="claims.0.category"]').selectOption('wage-arrears');
    await page.locator('[data-path="claims.0.amount"]').fill('9000');
    await page.locator('[data-path="claims.0.description"]').fill('拖欠2026年8月至10月工资');
    await page.getByLabel('案情概要').fill('在工地做钢筋工，8月至10月工资9000元至今未发，多次讨要无果。');
    await check(page, 'intake-form');
    await page.locator('#intake-submit').click();
    await page.locator('#intake-result').waitFor();
    caseNumber = (await page.locator('#case-number').innerText()).trim();
    expect(await page.locator('#route').innerText()).toBe('劳动保障监察立案调查');
    await check(page, 'intake-result');
    await page.locator('#open-case').click();
    await page.locator('#case-title').waitFor();

    await openTaskOfCase(session, page, caseNumber, '诉前引导分流');
    expect(await page.getByLabel('劳动保障监察立案调查').isChecked()).toBe(true);
    await page.getByLabel('分流意见').fill('属于劳动保障监察事项，转立案调查。');
    await check(page, 'triage');
    await submitTask(session, page);
  });

  it('the head approves the filing and assigns two inspectors from the case\'s grid', async () => {
    let page = await taskPage('supervisor', '立案审批');
    // The handler's opinion is the triage's, shown read-only where the form has it so.
    const opinion = page.getByLabel(/^承办人意见/).first();
    if ((await opinion.count()) && (await opinion.isEditable()) && !(await opinion.inputValue())) await opinion.fill('用人单位涉嫌违反《劳动保障监察条例》第二十六条，建议立案。');
    await page.getByLabel('批准立案').check();
    await page.getByLabel('审批意见').fill('同意立案。');
    await check(page, 'filing-approval');
    await submitTask(session, page);

    page = await taskPage('supervisor', '指派监察员及回避审查');
    await chooseInForm(page, '主办监察员', '李强');
    // The second inspector: another handler of the grid where there is one.
    const choices = await openFormSelect(page, '协办监察员');
    const others = choices.filter({ hasNotText: '李强' });
    await ((await others.count()) ? others : choices).first().click();
    await page.getByLabel('无应当回避的情形，当事人未申请回避').check();
    await check(page, 'assign-inspectors');
    await submitTask(session, page);
  });

  it('the inspector investigates, orders the employer to pay and serves the order', async () => {
    let page = await taskPage('handler1', '调查取证');
    await page.getByLabel('调查认定的事实').fill('经查，该单位拖欠张伟2026年8月至10月工资共9000元属实。');
    await page.getByLabel(/^证据/).fill('询问笔录、工资表、考勤记录');
    await page.getByLabel('克扣、无故拖欠工资').check();
    await page.getByLabel('涉及劳动者人数').fill('1');
    await page.getByLabel('拖欠金额合计（元）').fill('9000');
    await page.getByLabel('拖欠月数').fill('3');
    await page.getByLabel('责令限期改正（限期改正指令书）').check();
    await page.getByLabel('改正期限（日）').fill('7');
    await page.getByLabel(/^改正要求/).fill('于期限内支付张伟工资9000元。');
    await check(page, 'investigation');
    await submitTask(session, page);

    page = await taskPage('handler1', '送达限期改正指令书');
    await recordService(page, '王宏达（法定代表人）', 'serve-order');
    await page.locator('#after-submit-case').click();
    await page.locator('#case-title').waitFor();
    await page.locator('#case-status', { hasText: '限期改正' }).waitFor();
    expect(await page.locator('#deadlines').innerText()).toContain('改正');
    await check(page, 'case-awaiting-correction');
  });

  it('nothing is paid by the deadline: re-inspection, then the referral to the police', async () => {
    let page = await loginPage('handler1');
    await openCase(page, caseNumber);
    await passDeadline(page, 'correction.period');
    page = await taskPage('handler1', '复查');
    await fillFormDate(page, '复查日期', pickerDate(await session.syncClock(page)));
    await page.getByLabel('拒不改正或逾期未改正').check();
    await page.getByLabel('复查情况').fill('改正期限届满，用人单位仍未支付张伟工资。');
    await check(page, 're-inspection');
    await submitTask(session, page);

    page = await taskPage('handler1', '撰写涉嫌犯罪案件调查报告');
    await page.getByLabel('组长').fill('李强');
    await page.getByLabel(/^组员/).fill('赵磊');
    await page.getByLabel('有能力支付而不支付').check();
    const workers = page.getByLabel('涉及劳动者人数');
    if (!(await workers.inputValue())) await workers.fill('1');
    const amount = page.getByLabel('拖欠金额（元）');
    if (!(await amount.inputValue())) await amount.fill('9000');
    await page.getByLabel(/^已送达限期改正指令书/).check();
    await page.getByLabel(/^调查报告/).fill('用人单位有能力支付而拒不支付张伟三个月工资9000元，经责令限期支付逾期仍不支付，涉嫌拒不支付劳动报酬罪。');
    await check(page, 'referral-report');
    await submitTask(session, page);

    page = await taskPage('supervisor', '负责人审批移送');
    await page.getByLabel('批准移送公安机关').check();
    await page.getByLabel('审批意见').fill('同意移送。');
    await check(page, 'referral-approval');
    await submitTask(session, page);

    page = await taskPage('handler1', '移送公安机关并取得回执');
    const now = await session.syncClock(page);
    await page.getByLabel('接收的公安机关').fill('郑州市公安局二七分局');
    await fillFormDate(page, '移送时间（日期）', pickerDate(now));
    const hour = new Date(now.getTime() + 8 * 3600_000).getUTCHours();
    await fillFormDate(page, '移送时间（时间）', `${String(Math.max(0, hour - 1)).padStart(2, '0')}:00`);
    await page.getByLabel('签收人').fill('刘警官');
    await page.getByLabel('回执编号').fill('二七公（经）受字〔2026〕118号');
    await page.getByLabel('涉嫌犯罪案件移送书').check();
    await page.getByLabel('涉嫌犯罪案件调查报告').check();
    await check(page, 'police-transfer');
    await submitTask(session, page);
    await page.locator('#after-submit-case').click();
    await page.locator('#case-title').waitFor();
    await page.locator('#case-status', { hasText: '公安' }).waitFor();
    await check(page, 'case-awaiting-police');
  });

  it('the police stay silent past their 3 日: 催办公安机关 appears in the inspector\'s inbox', async () => {
    let page = await loginPage('handler1');
    await openCase(page, caseNumber);
    await passDeadline(page, 'police.decision');
    page = await loginPage('handler1');
    await check(page, 'handler-home-after-silence');
    await page.getByRole('link', { name: '我的待办', exact: true }).click();
    await page.getByLabel('范围').selectOption({ label: '我所在组的任务' });
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    const row = page.locator('#tasks tbody tr', { hasText: caseNumber }).filter({ hasText: '催办公安机关' });
    await row.waitFor();
    await check(page, 'inbox-follow-up');
    await row.getByRole('button', { name: '领取' }).click();
    await page.locator('#inbox-status', { hasText: '已领取' }).waitFor();
    await session.syncClock(page);
    await row.getByRole('link', { name: '办理' }).click();
    await page.locator('#task-form .fjs-form').waitFor();
    await chooseInForm(page, '催办方式', '电话催办');
    await fillFormDate(page, '催办日期', pickerDate(await session.now(page)));
    await page.getByLabel('公安机关联系人').fill('刘警官');
    await page.getByLabel('催办情况').fill('电话催办，对方称正在审查，近日作出决定。');
    await check(page, 'follow-up');
    await submitTask(session, page);

    await page.locator('#after-submit-case').click();
    await page.locator('#case-title').waitFor();
    expect(await page.locator('#case-header').innerText()).toContain('挂牌督办');
    await check(page, 'case-police-silent');
  });

  it('the police refuse: the answer is entered on the case page, and the head decides against reconsideration', async () => {
    let page = await loginPage('handler1');
    await session.syncClock(page);
    await openCase(page, caseNumber);
    const answers = page.locator('#answers');
    await answers.waitFor();
    await answers.locator('button[data-answer="police-decision"]').click();
    const form = answers.locator('form[data-message="police-decision"]');
    await form.locator('[data-answer-field="policeDecision"]').selectOption({ label: '不予立案' });
    await form.locator('[data-answer-field="policeDecisionNumber"]').fill('二七公（经）不立字〔2026〕21号');
    await form.locator('[data-answer-field="policeDecisionReason"]').fill('认为尚不构成犯罪。');
    await check(page, 'police-answer-form');
    await form.getByRole('button', { name: '提交' }).click();
    await form.getByText('已登记，案件将按答复继续办理。').waitFor();
    await session.atRest();
    await page.locator('#timeline', { hasText: '公安机关' }).waitFor();
    await check(page, 'case-police-refused');

    page = await taskPage('supervisor', '决定是否提请复议');
    await page.getByLabel('不提请复议').check();
    await page.getByLabel('理由').fill('公安机关不予立案理由成立，转行政处罚。');
    await check(page, 'reconsideration');
    await submitTask(session, page);
  });

  it('the penalty path: proposal, prior notice served, statement period, review, approval and the decision served', async () => {
    let page = await taskPage('handler1', '拟定行政处罚意见');
    await page.getByLabel('单位', { exact: true }).check();
    await page.getByLabel('违法事实').fill('拖欠张伟工资9000元，经责令限期支付逾期仍不支付。');
    await page.getByLabel('处罚理由').fill('逾期不支付劳动报酬，情节一般。');
    await page.getByLabel(/^处罚依据/).fill('《劳动保障监察条例》第二十六条');
    await page.getByLabel('罚款', { exact: true }).check();
    await page.getByLabel('拟罚款金额（元）').fill('10000');
    await check(page, 'penalty-proposal');
    await submitTask(session, page);

    page = await taskPage('handler1', '送达事先告知书');
    await recordService(page, '王宏达（法定代表人）', 'serve-prior-notice');

    await page.locator('#after-submit-case').click();
    await page.locator('#case-title').waitFor();
    await passDeadline(page, 'punishment.hearingRequest');
    page = await taskPage('handler1', '复核陈述申辩');
    await page.getByLabel(/^复核意见/).fill('当事人在期限内未提出陈述、申辩，维持拟处罚意见。');
    await page.getByLabel('维持拟处罚意见').check();
    await check(page, 'statement-review');
    await submitTask(session, page);

    page = await taskPage('supervisor', '处罚决定审批');
    await page.getByLabel('批准作出处罚决定').check();
    const fine = page.getByLabel('决定罚款金额（元）');
    if (!(await fine.inputValue())) await fine.fill('10000');
    await page.getByLabel('审批意见').fill('同意。');
    await check(page, 'penalty-approval');
    await submitTask(session, page);

    page = await taskPage('handler1', '送达处罚决定书');
    await recordService(page, '王宏达（法定代表人）', 'serve-decision');
    await page.locator('#after-submit-case').click();
    await page.locator('#case-title').waitFor();
    await page.locator('#case-status', { hasText: /缴纳|执行/ }).waitFor();
    const documents = await page.locator('#documents').innerText();
    for (const title of ['限期改正指令书', '涉嫌犯罪案件移送书', '行政处罚事先告知书', '行政处罚决定书']) expect(documents).toContain(title);
    expect(await page.locator('#timeline').innerText()).toContain('行政处罚决定书');
    await check(page, 'case-decision-served');
  });
});
