/**
 * 信号广播 in the browser: the intake diagram gets a signal boundary event on its triage step
 * (节假日安排变更, not interrupting); a case waits at triage; the supervisor opens 信号广播 from the
 * menu, picks the signal, sees which step catches it and that one case of his office waits, confirms,
 * and reads the result. Every page in Chinese.
 */
import fs from 'node:fs';
import path from 'node:path';
import { browserSession } from '../support/browser-session';
import { chromiumAvailable } from '../support/environment';
import { checkPage } from '../support/page-checks';
import { complaintBody } from '../support/lifecycle';

jest.setTimeout(180_000);

const SIGNAL = '节假日安排变更';
const XML = fs.readFileSync(path.join(__dirname, '../../workflows/intake-and-routing.bpmn'), 'utf8')
  .replace('</bpmn:process>', `
    <bpmn:boundaryEvent id="Boundary_HolidaySchedule" name="节假日安排变更" cancelActivity="false" attachedToRef="Task_Triage">
      <bpmn:outgoing>Flow_HolidaySchedule</bpmn:outgoing>
      <bpmn:signalEventDefinition id="SignalDef_HolidaySchedule" signalRef="Signal_HolidaySchedule" />
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="End_HolidayScheduleNoted" name="已知悉新安排"><bpmn:incoming>Flow_HolidaySchedule</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_HolidaySchedule" sourceRef="Boundary_HolidaySchedule" targetRef="End_HolidayScheduleNoted" />
  </bpmn:process>
  <bpmn:signal id="Signal_HolidaySchedule" name="${SIGNAL}" />`);

(chromiumAvailable() ? describe : describe.skip)('broadcasting a signal in the browser', () => {
  const session = browserSession('signals', { width: 1280, height: 900 });

  beforeAll(async () => {
    await session.start();
    const legal = await session.apiAs('legal');
    const deployed = await legal.post(`${session.service.url}/api/workflows`, { data: { resources: [{ name: 'intake-and-routing.bpmn', content: XML }] } });
    expect(deployed.status()).toBe(201);
    const intake = await session.apiAs('intake');
    const employers = await intake.get(`${session.service.url}/api/employers?q=${encodeURIComponent('宏达')}`);
    const employerId = ((await employers.json()) as { items: Array<{ id: string }> }).items[0].id;
    const res = await intake.post(`${session.service.url}/api/complaints`, { data: complaintBody({ employer: { employerId } }) });
    expect(res.status()).toBe(201);
    // The case reaches triage, where the signal's boundary event waits.
    const supervisor = await session.apiAs('supervisor');
    for (let i = 0; ; i++) {
      const w = await supervisor.get(`${session.service.url}/api/signals/waiting?name=${encodeURIComponent(SIGNAL)}`);
      if (((await w.json()) as { cases: number }).cases === 1) break;
      if (i > 200) throw new Error('the case never reached triage');
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(() => session.stop());
  afterEach(() => {
    expect(session.pageErrors).toEqual([]);
  });

  it('the supervisor picks the signal, sees the waiting case, confirms and reads the result', async () => {
    const page = await session.loginPage('supervisor');
    await page.locator('nav a', { hasText: '信号广播' }).click();
    await page.getByRole('heading', { name: '信号广播' }).waitFor();
    await page.getByLabel('信号').selectOption(SIGNAL);
    await page.locator('#signal-catches').getByText('投诉举报受理与诉前引导 · 节假日安排变更（附在“诉前引导分流”上，收到即转入该处）').waitFor();
    await page.getByLabel('广播原因').fill('国务院办公厅发布2027年部分节假日安排');
    await page.getByRole('button', { name: '添加变量' }).click();
    await page.getByLabel('变量名').fill('scheduleYear');
    await page.getByLabel('变量类型').selectOption('number');
    await page.locator('.var-row input.var-value').fill('二〇二七');
    await page.getByRole('button', { name: '查看等待数量' }).click();
    await page.getByText('请填写数字').waitFor();
    await page.locator('.var-row input.var-value').fill('2027');
    await page.getByRole('button', { name: '查看等待数量' }).click();
    await page.locator('#signal-waiting').getByText(`本大队（郑州市二七区劳动保障监察大队）目前有 1 个在办案件在等待信号“${SIGNAL}”。确定广播吗？`).waitFor();
    await checkPage(page, 'signals-confirm', { allow: ['scheduleYear'] });
    await page.getByRole('button', { name: '确认广播' }).click();
    await page.getByText('广播完成：触发 1 个、启动 0 个。').waitFor();
    await checkPage(page, 'signals-done', { allow: ['scheduleYear'] });
    await page.screenshot({ path: '/tmp/notes/C-signals.png', fullPage: true });
    // The boundary event does not interrupt: the case still waits at triage and would catch the signal again.
    const again = await (await session.apiAs('supervisor')).get(`${session.service.url}/api/signals/waiting?name=${encodeURIComponent(SIGNAL)}`);
    expect(await again.json()).toEqual({ cases: 1, otherProcesses: 0, starts: 0 });
  });

  it('is in the menu of supervisors and the administrator only', async () => {
    const handler = await session.loginPage('handler1');
    expect(await handler.locator('nav a', { hasText: '信号广播' }).count()).toBe(0);
    const admin = await session.loginPage('admin');
    await admin.locator('nav a', { hasText: '信号广播' }).click();
    await admin.getByLabel('广播到').waitFor();
    await checkPage(admin, 'signals-admin');
  });
});
