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
  // properties panel: more groups, entries and hints of the Zeebe (Camunda 8) panel
  'Task listeners': '任务监听器', Create: '新建', 'Delete item': '删除此项', 'Toggle list item': '展开/收起此项',
  'Toggle section': '展开/收起', 'Section contains an error': '此部分有错误', 'Section contains edits': '此部分已修改',
  'Create new list item': '新增一项', 'Open documentation': '打开说明', 'Open pop-up editor': '在弹出窗口中编辑', 'Opened in editor': '已在编辑器中打开',
  'FEEL expression is mandatory': '必须是 FEEL 表达式', 'Unparsable FEEL expression.': '无法解析的 FEEL 表达式。', 'JSON contains errors': 'JSON 有错误',
  'Select an element to edit its properties.': '选中一个元素以编辑其属性。',
  'Multiple elements are selected. Select a single element to edit its properties.': '选中了多个元素，请只选一个元素来编辑属性。',
  'ID must be a valid QName.': '标识必须是有效的 QName。', 'ID must be unique.': '标识不能重复。', 'ID must not be empty.': '标识不能为空。',
  'ID must not contain prefix.': '标识不能带前缀。', 'ID must not contain spaces.': '标识不能含空格。',
  'Process name': '流程名称', 'Process documentation': '流程说明', 'Participant Name': '参与者名称', Version: '版本',
  'Assignment type': '分配方式', 'User assignment': '用户分配', 'Listener type': '监听器类型', 'Listener ID': '监听器标识',
  'Event type': '事件类型', 'Form reference': '表单引用', 'Form key': '表单键', 'Custom form key': '自定义表单键',
  'External form reference': '外部表单引用', 'Camunda Form': 'Camunda 表单', 'Camunda Form (linked)': 'Camunda 表单（关联）',
  'Camunda Form (embedded)': 'Camunda 表单（内嵌）', 'Custom form': '自定义表单', 'Deployment binding': '同一部署绑定', 'Latest binding': '最新版本绑定',
  'Input collection': '输入集合', 'Input element': '输入元素', 'Output collection': '输出集合', 'Output element': '输出元素',
  'Completion condition': '完成条件', 'Loop cardinality': '循环次数', Collection: '集合', Loop: '循环',
  'Parallel multi-instance': '并行多实例', 'Sequential multi-instance': '顺序多实例', 'Called decision': '调用决策', 'Decision ID': '决策标识',
  Script: '脚本', 'Inline script': '内联脚本', 'Code variable': '错误码变量', 'Message variable': '消息变量', Signal: '信号', Escalation: '升级',
  'Global signal reference': '信号引用', 'Global escalation reference': '升级引用', Errors: '错误', Compensation: '补偿',
  'Wait for completion': '等待完成', 'Activity reference': '活动引用', Properties: '属性', 'Tenant ID': '租户标识', Source: '来源', Target: '目标',
  'Variable name': '变量名', 'Variable events': '变量事件', 'Variable names': '变量名', Format: '格式', Label: '标签', Off: '关', On: '开',
  'Input propagation': '输入传递', 'Output propagation': '输出传递', 'Process variables': '流程变量', 'Time to live ': '有效期',
  'Active elements': '激活的元素', 'Active elements collection': '激活元素集合', 'Cancel remaining instances': '取消其余实例', Completion: '完成',
  'Configure the message that the task waits for. ': '配置任务等待的消息。', 'Configure the message that this event waits for. ': '配置此事件等待的消息。',
  'Configure the message that will start this process instance. ': '配置启动流程实例的消息。',
  'Configure the message that will trigger this boundary event. ': '配置触发此边界事件的消息。',
  'Add input mappings to control what is passed to the activity as local variables. ': '用输入映射控制传给此活动的局部变量。',
  'Add output mappings to control which variables are merged back into the process scope. ': '用输出映射控制合并回流程的变量。',
  'Define who the task is assigned to. One or all of the following attributes can be specified simultaneously. ': '指定任务分配给谁，以下各项可同时填写。',
  'Specify more than one group as a comma separated list.': '多个组用逗号分隔。', 'Specify more than one user as a comma separated list.': '多个用户用逗号分隔。',
  'Define a boolean condition expression that defines when this flow is taken. ': '用布尔条件表达式定义何时走这条流向。',
  'Execute this task for each element of a given collection. ': '对集合中的每个元素执行此任务。',
  'Specify which job workers handle the task work to execute a service (e.g. ': '指定由哪种作业处理程序执行服务（例如 ',
  'Start typing "${}" to create an expression.': '输入 "${}" 开始编写表达式。', 'Learn more.': '了解更多。', 'Learn how to define conditions.': '了解如何定义条件。',
  'How to configure a timer': '如何配置定时器', 'Timer documentation': '定时器说明', 'Documentation: Timer events': '说明：定时器事件',
  'A time duration defined as ISO 8601 durations format.': '以 ISO 8601 时长格式表示的时长。',
  'A specific point in time defined as ISO 8601 combined date and time representation.': '以 ISO 8601 日期时间格式表示的时间点。',
  'A cycle defined as ISO 8601 repeating intervals format, or a cron expression.': '以 ISO 8601 重复间隔格式或 cron 表达式表示的循环。',
  'A cycle defined as ISO 8601 repeating intervals format.': '以 ISO 8601 重复间隔格式表示的循环。',
  'Link a form created with the Camunda Forms editor. To associate a custom form, application, or URL to the user task, specify an external reference. ':
    '关联用 Camunda 表单编辑器制作的表单；要关联其他表单、应用或网址，请填写外部引用。',
  'Implement a user task managed by Camunda. To add a custom implementation, use a job worker. ': '由 Camunda 管理的用户任务；要自行实现，请使用作业处理程序。',
  'Specifies the priority of a user task. Must be an integer between 0 and 100. If no value is provided, the default value is 50. ': '用户任务的优先级，取 0 到 100 的整数，不填为 50。',
  'The number of times the engine tries executing this activity if a worker signals a failure. The default is three.': '作业处理程序报告失败时引擎重试的次数，默认 3 次。',
  'If turned on, all variables from the child process instance will be propagated to the parent process instance.': '开启后，子流程实例的全部变量传回父流程实例。',
  'If turned on, all variables from the parent process instance will be propagated to the child process instance.': '开启后，父流程实例的全部变量传入子流程实例。',
  'Otherwise, only variables defined via output mappings will be propagated.': '否则只传递输出映射中定义的变量。',
  'Otherwise, only variables defined via input mappings will be propagated.': '否则只传递输入映射中定义的变量。',
  'Uses the most recent deployed resource.': '使用最新部署的资源。', 'Uses the resource found in the same deployment.': '使用同一部署中的资源。',
  'Uses the most recent deployed resource with the given version tag.': '使用带此版本标签的最新部署资源。',
  'Version tag by which the linked form will be referenced.': '引用关联表单所用的版本标签。', 'Version tag by which the called process will be referenced.': '引用被调用流程所用的版本标签。',
  'Version tag by which this process can be referenced.': '引用此流程所用的版本标签。', 'Version tag by which the called decision will be referenced.': '引用被调用决策所用的版本标签。',
  'Identifier computed from the process context that is used to correlate an incoming message (e.g. ': '由流程上下文计算的标识，用于关联收到的消息（例如 ',
  'Define the ID of the process to call (e.g. ': '被调用流程的标识（例如 ', 'Define an error code (e.g. ': '错误码（例如 ',
  'Define an input collection expression that defines the collection to iterate over (e.g. ': '要遍历的输入集合表达式（例如 ',
  'To collect the output define the output collection and the output element expressions. ': '要收集输出，请定义输出集合和输出元素表达式。',
  '<custom type>': '（自定义类型）', 'Custom type': '自定义类型', start: '开始', end: '结束', create: '创建', assignment: '分配', update: '更新',
  complete: '完成', timeout: '超时', take: '流经',
  // palette, context pad and menus
  'Append compensation activity': '追加补偿活动', 'Append conditional intermediate catch event': '追加条件中间事件',
  'Append message intermediate catch event': '追加消息中间事件', 'Append receive task': '追加接收任务', 'Append signal intermediate catch event': '追加信号中间事件',
  'Append timer intermediate catch event': '追加定时中间事件', 'Add lane above': '在上方添加泳道', 'Add lane below': '在下方添加泳道',
  'Align elements': '对齐', 'Distribute elements horizontally': '水平等距分布', 'Distribute elements vertically': '垂直等距分布',
  'Divide into two lanes': '分为两条泳道', 'Divide into three lanes': '分为三条泳道', 'Connect using association': '用关联连线',
  'Connect using data input association': '用数据输入关联连线', 'Toggle non-interrupting': '切换非中断', 'Open {element}': '打开 {element}',
  'Participant multiplicity': '参与者多实例',
};

/** Event and element kinds, as the replace menu and the properties panel's header name them. */
const EVENT_PREFIX: Record<string, string> = {
  message: '消息', timer: '定时', error: '错误', signal: '信号', escalation: '升级', conditional: '条件', compensation: '补偿', compensate: '补偿',
  link: '链接', terminate: '终止', cancel: '取消', 'parallel multiple': '并行多重', multiple: '多重', none: '',
};
const ELEMENT_KIND: Record<string, string> = {
  'start event': '开始事件', 'end event': '结束事件', 'boundary event': '边界事件', 'intermediate catch event': '中间捕获事件',
  'intermediate throw event': '中间抛出事件', task: '任务', 'user task': '用户任务', 'service task': '服务任务', 'send task': '发送任务',
  'receive task': '接收任务', 'script task': '脚本任务', 'business rule task': '业务规则任务', 'manual task': '手工任务', 'call activity': '调用活动',
  'sub process': '子流程', 'sub-process': '子流程', 'expanded sub process': '子流程（展开）', 'collapsed sub process': '子流程（折叠）',
  'event sub process': '事件子流程', 'event sub-process': '事件子流程', 'ad-hoc sub-process': '自由子流程', 'expanded ad hoc sub process': '自由子流程（展开）',
  'collapsed ad hoc sub process': '自由子流程（折叠）', transaction: '事务', process: '流程', collaboration: '协作',
  'exclusive gateway': '排他网关', 'parallel gateway': '并行网关', 'inclusive gateway': '包容网关', 'event-based gateway': '事件网关',
  'event based gateway': '事件网关', 'complex gateway': '复杂网关', 'event based instantiating gateway': '事件网关（启动实例）',
  'parallel event based instantiating gateway': '并行事件网关（启动实例）', 'sequence flow': '顺序流', 'conditional flow': '条件流', 'default flow': '默认流',
  'message flow': '消息流', association: '关联', 'data object reference': '数据对象', 'data store reference': '数据存储', 'data input': '数据输入',
  'data output': '数据输出', 'text annotation': '文本注释', group: '分组', participant: '参与者', lane: '泳道',
  'empty pool/participant': '空泳池', 'expanded pool/participant': '展开的泳池',
};
const QUALIFIER: Record<string, string> = { 'non-interrupting': '非中断', 'non interrupting': '非中断', collapsed: '折叠', expanded: '展开' };

/** 'Timer Boundary Event (Non Interrupting)', 'Message start event' → 定时边界事件（非中断）, 消息开始事件; undefined when not a kind. */
export function elementKindLabel(text: string): string | undefined {
  const m = /^(.*?)\s*(?:\((.+)\))?$/.exec(text.trim().toLowerCase());
  if (!m) return undefined;
  const [, body, qualifier] = m;
  const q = qualifier ? QUALIFIER[qualifier] : '';
  if (q === undefined) return undefined;
  const suffix = q ? `（${q}）` : '';
  if (ELEMENT_KIND[body]) return ELEMENT_KIND[body] + suffix;
  for (const [prefix, zh] of Object.entries(EVENT_PREFIX)) {
    if (body.startsWith(prefix + ' ') && ELEMENT_KIND[body.slice(prefix.length + 1)]) return zh + ELEMENT_KIND[body.slice(prefix.length + 1)] + suffix;
  }
  return undefined;
}

export function translate(template: string, replacements: Record<string, string> = {}): string {
  return (ZH[template] ?? elementKindLabel(template) ?? template).replace(/{([^}]+)}/g, (_, key: string) => replacements[key] ?? `{${key}}`);
}

/** A bpmn-js module that replaces the default (English) translate service. */
export const ChineseTranslateModule = { translate: ['value', translate] };
