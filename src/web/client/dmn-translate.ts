/**
 * Simplified Chinese for the decision table editor: dmn-js asks a `translate` service for the texts of
 * its context menus, column editors and cell editors; this one answers from the table below and keeps
 * the English text where none is listed (rare technical terms stay recognisable).
 */
const ZH: Record<string, string> = {
  // rules and columns (context menu)
  'Add rule': '添加规则', 'Add rule above': '在上方添加规则', 'Add rule below': '在下方添加规则', 'Remove rule': '删除规则',
  'Copy rule': '复制规则', 'Cut rule': '剪切规则', 'Paste rule above': '粘贴到上方', 'Paste rule below': '粘贴到下方', 'Move rule': '移动规则',
  'Add input': '添加输入', 'Add output': '添加输出', 'Add input column left': '在左侧添加输入列', 'Add input column right': '在右侧添加输入列',
  'Add output column left': '在左侧添加输出列', 'Add output column right': '在右侧添加输出列', 'Remove input column': '删除输入列',
  'Remove output column': '删除输出列', 'Copy input column': '复制输入列', 'Copy output column': '复制输出列', 'Cut input column': '剪切输入列',
  'Cut output column': '剪切输出列', 'Paste input column left': '粘贴到左侧', 'Paste input column right': '粘贴到右侧',
  'Paste output column left': '粘贴到左侧', 'Paste output column right': '粘贴到右侧', 'Add cell description': '添加单元格说明',
  'Remove cell description': '删除单元格说明', Resize: '调整宽度',
  // table head and properties
  'Hit policy': '命中策略', 'Hit policy:': '命中策略：', 'Decision name': '决策名称', 'Decision name: ': '决策名称：', 'View DRD': '查看决策需求图',
  When: '条件', And: '且', Then: '结论', Input: '输入', Output: '输出', Annotation: '法律依据与说明', Annotations: '法律依据与说明',
  'Input label': '输入标签', 'Input label: ': '输入标签：', 'Input expression': '输入表达式', 'Input expression: ': '输入表达式：',
  'Output label': '输出标签', 'Output label: ': '输出标签：', 'Output name': '输出名称', 'Output name: ': '输出名称：',
  'Input type': '输入类型', 'Output type': '输出类型', 'Input values': '输入取值', 'Output values': '输出取值', Type: '类型',
  'Edit input': '编辑输入', 'Edit output': '编辑输出', Expression: '表达式', 'Enter expression': '输入表达式', 'Expression language': '表达式语言',
  'Change cell expression language': '更改单元格表达式语言', 'Editing not supported for set expression language': '此表达式语言不支持在此编辑',
  'Predefined values': '预设取值', 'Add predefined values': '添加预设取值', 'Clear predefined values': '清除预设取值', 'Add values': '添加取值',
  'No values': '无取值', Values: '取值', Value: '值', 'Custom values': '自定义取值',
  // cell editors
  Edit: '编辑', 'Edit string': '编辑文本', 'Edit number': '编辑数值', 'Edit boolean': '编辑是/否', 'Edit date': '编辑日期',
  'Edit date and time': '编辑日期时间', 'Edit time': '编辑时间', 'Edit duration': '编辑时长', 'String value': '文本值', 'Boolean value': '是/否值',
  'Date value': '日期值', 'Time value': '时间值', 'Date and time value': '日期时间值', 'Duration value': '时长值',
  'Strings must be in double quotes': '文本须用英文双引号括起', 'Match one': '等于其一', 'Match none': '不等于任何', Yes: '是', No: '否',
  'Test type': '比较方式', Comparison: '比较', Range: '范围', Equals: '等于', Less: '小于', 'Less or equals': '小于等于', Greater: '大于',
  'Greater or equals': '大于等于', 'Comparison operator': '比较运算符', 'Range start operator': '范围起点运算符', 'Range end operator': '范围终点运算符',
  'Range start value': '范围起点', 'Range end value': '范围终点', 'Start value': '起始值', 'End value': '结束值', Include: '包含', Exclude: '不含',
  'Set value': '设置值', Exactly: '恰好', Before: '早于', After: '晚于', Between: '介于', Date: '日期', Time: '时间', 'Date and time': '日期时间',
  'Set date': '设置日期', 'Set time': '设置时间', 'Set date and time': '设置日期时间', 'Set duration': '设置时长', 'Use today': '今天', 'Use now': '现在',
  'Start date': '开始日期', 'End date': '结束日期', 'Start time': '开始时间', 'End time': '结束时间', 'Start date and time': '开始日期时间',
  'End date and time': '结束日期时间', 'Edit start date': '编辑开始日期', 'Edit end date': '编辑结束日期', 'Edit start time': '编辑开始时间',
  'Edit end time': '编辑结束时间', 'Edit start date and time': '编辑开始日期时间', 'Edit end date and time': '编辑结束日期时间',
  // hit policies, as the table head shows them
  // 'Any' is both a hit policy and a column type: 任意 reads right as either.
  Unique: '唯一', First: '按顺序取第一条', Priority: '按优先级', Any: '任意', Collect: '收集', 'Rule order': '按规则顺序', 'Output order': '按输出顺序',
  'Collect (Sum)': '收集（求和）', 'Collect (Min)': '收集（最小值）', 'Collect (Max)': '收集（最大值）', 'Collect (Count)': '收集（计数）',
  // what each hit policy means (the tooltip of the table's hit policy)
  'No overlap is possible and all rules are disjoint. Only a single rule can be matched': '规则互不重叠，只能命中一条规则',
  'Rules may overlap. The first matching rule will be chosen': '规则可以重叠，取最先命中的一条',
  'Rules may overlap. The one with the highest priority will be chosen': '规则可以重叠，取优先级最高的一条',
  'Rules may overlap. Their output have to match': '规则可以重叠，命中规则的输出必须一致',
  'Collects the values of all matching rules': '收集所有命中规则的输出',
  'Collects the values of all matching rules and sums up to a single value': '收集所有命中规则的输出并求和',
  'Collects the values of all matching rules and uses the lowest value': '收集所有命中规则的输出并取最小值',
  'Collects the values of all matching rules and uses the highest value': '收集所有命中规则的输出并取最大值',
  'Collects the values of all matching rules and counts the number of them': '收集所有命中规则的输出并计数',
  'Collects the values of all matching rules in rule order': '按规则顺序收集所有命中规则的输出',
  'Collects the values of all matching rules in decreasing output priority order': '按输出优先级从高到低收集所有命中规则的输出',
  // column types (FEEL's data types), in the column heads and their type menu
  string: '文本', boolean: '是/否', number: '数值', date: '日期', time: '时间', dateTime: '日期时间', dayTimeDuration: '时长（日时）',
  yearMonthDuration: '时长（年月）',
  // examples in the cell editors
  '"value", "value", ...': '"取值", "取值", ...', '"value"': '"取值"', 'e.g. { sample }': '例如 { sample }', 'e.g. { example } ': '例如 { example } ',
  // the requirements view (DRD): palette, context pad, the diagram's name
  'Activate hand tool': '抓手工具（拖动画布）', 'Activate lasso tool': '套索工具（框选）', 'Create decision': '新建决策', 'Create input data': '新建输入数据',
  'Create knowledge source': '新建知识来源', 'Create knowledge model': '新建业务知识模型', 'Create decision service': '新建决策服务',
  'Append decision': '追加决策', 'Append knowledge source': '追加知识来源', 'Append business knowledge model': '追加业务知识模型',
  'Append input data': '追加输入数据', 'Add text annotation': '添加文字注释', 'Connect to other element': '连接到其他元素', 'Change type': '更改类型',
  Delete: '删除', 'Definition name': '决策图名称', 'Definition ID': '决策图标识',
  // literal expressions and boxed expressions (a decision without a table)
  'Variable name:': '变量名：', 'Variable type:': '变量类型：', 'Expression language:': '表达式语言：', 'Variable name': '变量名', name: '名称',
  'Variable type': '变量类型', 'Literal expression editor': '表达式编辑器', 'Literal expression': '表达式', 'Element name': '元素名称',
  'Edit formal parameters': '编辑参数', 'Add parameter': '添加参数', 'Remove parameter': '删除参数', 'Function kind: {kind}': '函数类型：{kind}',
  'Edit function kind': '编辑函数类型', Kind: '类型',
  'Expression language: {expressionLanguageLabel}': '表达式语言：{expressionLanguageLabel}',
};

export function translateDmn(template: string, replacements: Record<string, string> = {}): string {
  return (ZH[template] ?? template).replace(/{([^}]+)}/g, (_, key: string) => replacements[key] ?? `{${key}}`);
}

/** A dmn-js module that replaces the default (English) translate service. */
export const DmnChineseModule = { translate: ['value', translateDmn] };
