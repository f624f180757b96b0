/**
 * Legal staff change a procedure in the browser: open the police-referral diagram in the editor,
 * clear a service task's job type in the properties panel and see the task flagged (listed and marked
 * on the canvas), see the deployment refused, save a draft, fix the task and rename it, compare the
 * draft with the deployed version, and deploy. A case started afterwards runs on the new version while
 * the one started before stays on its own; the editor lists both versions' instances.
 */
import type { APIRequestContext, Page } from 'playwright-core';
import { screenshot } from '../support/browser';
import { browserSession } from '../support/browser-session';
import { chromiumAvailable } from '../support/environment';

jest.setTimeout(180_000);

const PROCESS = 'police-referral';
const TASK = 'Task_SetReferralReport';

(chromiumAvailable() ? describe : describe.skip)('legal staff edit and deploy a diagram, in the browser', () => {
  const session = browserSession('editor', { width: 1440, height: 900 });
  const { loginPage, apiAs } = session;




  /** A bare instance of the process, started by hand (a case's number is the service's to set, not a request's). */
  async function startInstance(api: APIRequestContext, businessKey: string): Promise<{ processInstanceKey: string; version: number }> {
    const res = await api.post(`${session.service.url}/api/process-instances`, { data: { bpmnProcessId: PROCESS, businessKey } });
    expect(res.status()).toBe(201);
    return (await res.json()) as { processInstanceKey: string; version: number };
  }

  async function instanceVersion(api: APIRequestContext, key: string): Promise<number> {
    const res = await api.get(`${session.service.url}/api/process-instances/${key}`);
    expect(res.status()).toBe(200);
    return ((await res.json()) as { version: number }).version;
  }

  /** The properties panel's group for `title`, opened when it is closed. */
  async function openGroup(page: Page, title: string): Promise<void> {
    const header = page.locator('.bio-properties-panel-group-header', { hasText: title }).first();
    await header.waitFor();
    if (!(await header.getAttribute('class'))?.includes('open')) await header.click();
  }

  beforeAll(async () => {
    await session.start();
  });
  afterAll(() => session.stop());
  afterEach(() => {
    expect(session.pageErrors).toEqual([]);
  });

  it('handlers see no editing menu and are refused the editor', async () => {
    const page = await loginPage('handler1');
    expect(await page.locator('#nav a[href="/workflows"]').count()).toBe(0);
    await page.goto(`${session.service.url}/workflows/${PROCESS}`);
    await page.getByText('您的角色无权进行此操作').waitFor();
    // The list, typed into the address, may be read but offers no editor that would refuse them.
    await page.goto(`${session.service.url}/workflows`);
    await page.locator(`#workflow-list tr[data-process="${PROCESS}"]`).waitFor();
    expect(await page.locator('#workflow-list a', { hasText: '编辑' }).count()).toBe(0);
  });

  it('a legal staff member breaks a task, sees it flagged, fixes it, deploys, and running cases keep their version', async () => {
    const supervisor = await apiAs('supervisor');
    const old = await startInstance(supervisor, 'EDIT-OLD-1');
    expect(old.version).toBe(1);

    const page = await loginPage('legal');
    await page.getByRole('link', { name: '流程图', exact: true }).click();
    await page.locator(`#workflow-list tr[data-process="${PROCESS}"] a`).click();
    await page.locator('#modeler-canvas .djs-container').waitFor();
    await page.locator('#check-summary.ok').waitFor();
    expect(await page.locator('#problems li.error').count()).toBe(0);
    await screenshot(page, 'editor-opened');

    // Clear the job type of the first service task in the properties panel.
    await page.locator(`#modeler-canvas [data-element-id="${TASK}"]`).first().click();
    await openGroup(page, '任务定义（作业）');
    const jobType = page.locator('#bio-properties-panel-taskDefinitionType');
    expect(await jobType.inputValue()).toBe('case.set-status');
    await jobType.fill('');
    const flagged = page.locator(`#problems li.error[data-element-id="${TASK}"]`);
    await flagged.first().waitFor();
    expect(await page.locator('#check-summary').innerText()).toContain('不能部署');
    await page.locator(`#modeler-canvas .djs-element.lint-error[data-element-id="${TASK}"]`).waitFor();
    await screenshot(page, 'editor-error-flagged');

    // Deploying is refused with the same problem; the draft may be saved with it.
    await page.locator('#deploy').click();
    await page.locator('#editor-message.error').waitFor();
    expect(await page.locator('#editor-message').innerText()).toContain('部署被拒绝');
    await page.locator('#save-draft').click();
    await page.getByText('已保存为草稿 1').waitFor();

    // The "定位" button selects the element, so the fix starts from the problem list.
    await flagged.first().getByRole('button', { name: `在图中定位 ${TASK}` }).click();
    await openGroup(page, '任务定义（作业）');
    await page.locator('#bio-properties-panel-taskDefinitionType').fill('case.set-status');
    await openGroup(page, '常规');
    await page.locator('#bio-properties-panel-name').fill('移送审查（已修订）');
    await page.locator('#check-summary.ok').waitFor();
    expect(await page.locator('#problems li.error').count()).toBe(0);
    await page.locator('#save-draft').click();
    await page.getByText('已保存为草稿 2').waitFor();

    // Compare the deployed version with the draft: the renamed task is listed and marked.
    await page.locator('[data-compare="from"]').selectOption('1');
    await page.locator('[data-compare="to"]').selectOption('draft');
    await page.locator('#compare').click();
    await page.locator('#diff-summary').waitFor();
    const changed = page.locator(`[data-diff="changed"] li[data-element-id="${TASK}"]`);
    await changed.waitFor();
    expect(await changed.innerText()).toContain('移送审查 → 移送审查（已修订）');
    await page.locator(`#diff-to .djs-element.diff-changed[data-element-id="${TASK}"]`).waitFor();
    await page.locator('#compare-title').scrollIntoViewIfNeeded();
    await screenshot(page, 'editor-compare');

    await page.locator('#deploy').click();
    await page.getByText('已部署为版本 2').waitFor();

    const fresh = await startInstance(supervisor, 'EDIT-NEW-1');
    expect(fresh.version).toBe(2);
    expect(await instanceVersion(supervisor, fresh.processInstanceKey)).toBe(2);
    expect(await instanceVersion(supervisor, old.processInstanceKey)).toBe(1);

    // The editor shows the instances of each version.
    await page.reload();
    await page.locator('#instances-by-version').waitFor();
    expect(await page.locator('#instances-by-version tr[data-version="2"] td').nth(3).innerText()).toBe('1');
    expect(await page.locator('#instances-by-version tr[data-version="1"] td').nth(3).innerText()).toBe('1');
    expect(await page.locator(`#recent-instances tr[data-instance="${old.processInstanceKey}"]`).innerText()).toContain('版本 1');
    expect(await page.locator(`#recent-instances tr[data-instance="${fresh.processInstanceKey}"]`).innerText()).toContain('版本 2');
    await page.locator('#instances-title').scrollIntoViewIfNeeded();
    await screenshot(page, 'editor-instances');
  });

  it('a form whose id would change is refused with the reason; a form edit saves as a new version', async () => {
    const page = await loginPage('legal');
    await page.getByRole('link', { name: '表单', exact: true }).click();
    await page.locator('#form-list tr[data-form="archive"] a').click();
    await page.locator('#form-editor .fjs-editor-container').waitFor();
    expect(await page.locator('#form-version').innerText()).toContain('1');

    // The form editor speaks Chinese too: its palette and panel.
    await page.locator('#form-editor', { hasText: '文本框' }).waitFor();
    expect(await page.locator('#form-editor .fjs-palette-container, #form-editor .fjs-palette').first().innerText()).not.toMatch(/Text field|Components|Search components/);
    await openGroup(page, '常规');
    const id = page.locator('#properties-panel-id, #bio-properties-panel-id').first();
    await id.fill('archive-renamed');
    await page.locator('#save-form').click();
    await page.locator('#form-message.error').waitFor();
    expect(await page.locator('#form-message').innerText()).toContain('表单编号不能从“archive”改为“archive-renamed”');
    await screenshot(page, 'form-editor-refused');

    await id.fill('archive');
    await page.locator('#save-form').click();
    await page.locator('#form-message.ok').waitFor();
    expect(await page.locator('#form-message').innerText()).toMatch(/已保存为版本 2|内容未变/);
  });

  it('a template that cannot render is refused with the reason; a good one previews and saves as a new version', async () => {
    const page = await loginPage('legal');
    await page.getByRole('link', { name: '文书模板', exact: true }).click();
    // Who saved each version is named: the installed templates by 系统, not by an account name.
    expect(await page.locator('#template-list tr[data-template="case-approval"] .saved-by').innerText()).toMatch(/^系统 /);
    await page.locator('#template-list tr[data-template="case-approval"] a').click();
    await page.getByText('预览已更新').waitFor();
    const source = page.getByRole('textbox', { name: '模板内容（Handlebars）' });
    const original = await source.inputValue();

    await source.fill(original + '\n{{#if summary}}未闭合');
    await page.locator('#preview-status.error').waitFor();
    expect(await page.locator('#preview-status').innerText()).toContain('无法预览');
    await page.locator('#save-template').click();
    await page.locator('#template-message.error').waitFor();
    expect(await page.locator('#template-message').innerText()).toContain('保存被拒绝');
    await screenshot(page, 'template-editor-refused');

    await source.fill(original.replace('劳动保障监察立案审批表', '劳动保障监察立案审批表（修订）'));
    await page.getByText('预览已更新').waitFor();
    expect(await page.frameLocator('#template-preview').locator('body').innerText()).toContain('立案审批表（修订）');
    await page.locator('#save-template').click();
    await page.getByText('已保存为版本 2').waitFor();
    expect(await page.locator('#template-version').innerText()).toContain('当前版本：2');
    await screenshot(page, 'template-editor-saved');
    await page.getByRole('link', { name: '文书模板', exact: true }).click();
    expect(await page.locator('#template-list tr[data-template="case-approval"] .saved-by').innerText()).toMatch(/^法制 陈静 /);
  });
});
