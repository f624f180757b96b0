/** The editing pages' addresses and menu entries, for legal staff and admin. */
import { isEditor } from '../editing';
import type { PageContext } from '../router';
import type { Me } from '../session';
import { showFormList, showTemplateList, showWorkflowList } from './editing-lists';
import { showDecisionTable, showDecisionTableList } from './decision-tables';
import { showFormEditor } from './form-editor';
import { showTemplateEditor } from './template-editor';
import { showWorkflowEditor } from './workflow-editor';

type Page = (ctx: PageContext) => Promise<void> | void;

/** Others reach these addresses only by typing them; the API refuses them (403) all the same. */
export const EDITING_ROUTES: [RegExp, Page, string[]][] = [
  [/^\/workflows$/, showWorkflowList, []],
  [/^\/workflows\/([A-Za-z_][\w.-]{0,63})$/, showWorkflowEditor, ['processId']],
  [/^\/forms$/, showFormList, []],
  [/^\/forms\/([\w.-]{1,120})$/, showFormEditor, ['formId']],
  [/^\/templates$/, showTemplateList, []],
  [/^\/templates\/([a-z][a-z0-9-]{1,63})$/, showTemplateEditor, ['typeId']],
  [/^\/decision-tables$/, showDecisionTableList, []],
  [/^\/decision-tables\/([A-Za-z_][\w.-]{0,63})$/, showDecisionTable, ['drgId']],
];

export function editingMenu(me: Me): [string, string][] {
  return isEditor(me) ? [['/workflows', '流程图'], ['/decision-tables', '决策表'], ['/forms', '表单'], ['/templates', '文书模板']] : [];
}
