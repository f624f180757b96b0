/**
 * Simplified Chinese for the diagram editor: the modeler's palette and context pad and the Zeebe
 * properties panel ask a `translate` service for every label; this one answers from the table below
 * and keeps the English text where no translation is listed (technical terms stay recognisable).
 */
const ZH: Record<string, string> = {
  // palette and context pad
  'Activate hand tool': '移动画布', 'Activate lasso tool': '框选', 'Activate create/remove space tool': '插入/删除空间',
  'Activate global connect tool': '连线', 'Create start event': '开始事件', 'Create intermediate/boundary event': '中间/边界事件',
  'Create end event': '结束事件', 'Create gateway': '网关', 'Create task': '任务', 'Create data object reference': '数据对象',
  'Create data store reference': '数据存储', 'Create expanded sub-process': '子流程', 'Create pool/participant': '泳池/参与者',
  'Create group': '分组', 'Append end event': '追加结束事件', 'Append gateway': '追加网关', 'Append task': '追加任务',
  'Append intermediate/boundary event': '追加中间事件', 'Change element': '更改类型', 'Change type': '更改类型', Delete: '删除',
  'Connect to other element': '连接到其他元素', 'Connect using sequence/message flow or association': '连线', 'Add text annotation': '添加注释',
  // properties panel groups and fields
  General: '常规', Name: '名称', ID: '标识（ID）', Documentation: '说明', 'Element documentation': '元素说明',
  'Task definition': '任务定义（作业）', 'Job type': '作业类型', Retries: '重试次数', Headers: '任务头', Key: '键', Value: '值',
  'Input mapping': '输入映射', 'Output mapping': '输出映射', Inputs: '输入', Outputs: '输出', 'Local variable name': '局部变量名',
  'Variable assignment value': '变量赋值', 'Process variable name': '流程变量名', 'Result variable': '结果变量',
  Form: '表单', 'Form ID': '表单编号', Type: '类型', Assignment: '分配', Assignee: '办理人', 'Candidate groups': '候选组',
  'Candidate users': '候选用户', 'Due date': '到期时间', 'Follow up date': '跟进时间', 'Task schedule': '任务时限', Priority: '优先级',
  Condition: '条件', 'Condition expression': '条件表达式', 'Condition Expression': '条件表达式', Timer: '定时器', 'Timer definition': '定时器定义',
  Duration: '时长', Date: '日期', Cycle: '循环', Message: '消息', 'Global message reference': '消息引用', 'Subscription correlation key': '关联键',
  Error: '错误', 'Global error reference': '错误引用', Code: '代码', 'Called element': '被调用流程', 'Process ID': '流程标识',
  'Propagate all variables': '传递全部变量', 'Propagate all parent variables': '传入父流程全部变量', 'Propagate all child variables': '传回子流程全部变量',
  'Multi-instance': '多实例', 'Execution listeners': '执行监听器', 'Extension properties': '扩展属性', 'Version tag': '版本标签',
  Implementation: '实现方式', 'Job worker': '作业处理程序', 'Zeebe user task': 'Zeebe 用户任务', 'Camunda user task': 'Camunda 用户任务',
  'Time to live': '有效期', Executable: '可执行', 'FEEL expression': 'FEEL 表达式', Expression: '表达式', '<none>': '（无）', '<empty>': '（空）',
  'Create new ...': '新建…', Binding: '绑定', latest: '最新', deployment: '同一部署', 'Version tag binding': '按版本标签',
};

export function translate(template: string, replacements: Record<string, string> = {}): string {
  return (ZH[template] ?? template).replace(/{([^}]+)}/g, (_, key: string) => replacements[key] ?? `{${key}}`);
}

/** A bpmn-js module that replaces the default (English) translate service. */
export const ChineseTranslateModule = { translate: ['value', translate] };
