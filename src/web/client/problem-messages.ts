/**
 * The diagram checks' messages in Chinese. The server reports them as its checkers write them (the
 * engine's subset check and bpmnlint's Camunda 8.8 rules, both in English); legal staff read them
 * here. A message no pattern knows is said in general words by its rule, with the original kept as
 * the element's tooltip for whoever reports it.
 */
import { translate } from './bpmn-translate';
import { DIFF_PART_LABELS } from './labels';

/** <bpmn:ServiceTask> → 服务任务, <zeebe:TaskDefinition> → 作业定义, <type> → 类型. */
function nameOf(raw: string): string {
  const n = raw.replace(/^<|>$/g, '');
  if (DIFF_PART_LABELS[n]) return DIFF_PART_LABELS[n];
  const local = n.replace(/^\w+:/, '');
  if (DIFF_PART_LABELS[local]) return DIFF_PART_LABELS[local];
  const spaced = local.replace(/(\B[A-Z])/g, ' $1');
  const t = translate(spaced);
  return t !== spaced ? t : local;
}

/** "<a> or <b>", "<a>, <b> or <c>" → a或b. */
function namesOf(list: string): string {
  return [...list.matchAll(/<([^>]+)>/g)].map((m) => nameOf(m[1])).join('或');
}

/** Why the embedded engine refuses an element (src/engine/model/compile.ts), in words. */
const SUBSET_REASONS: [RegExp, string][] = [
  [/^needs a zeebe:taskDefinition with a job type$/, '缺少作业类型（任务定义）'],
  [/^needs a zeebe:calledElement with a processId$/, '缺少被调用流程的标识'],
  [/^needs a message, timer or error definition$/, '需要消息、定时器或错误定义'],
  [/^a message event needs a message with a name$/, '消息事件需要一个有名称的消息'],
  [/^an error end event needs an error with an error code$/, '错误结束事件需要带错误码的错误'],
  [/^a boundary event must be attached to an activity$/, '边界事件必须附着在活动上'],
  [/^a cycle timer boundary event must be non-interrupting$/, '循环定时边界事件必须是非中断的'],
  [/^error boundary events are always interrupting$/, '错误边界事件总是中断的'],
  [/^multi-instance activities are not supported$/, '本系统引擎不支持多实例活动'],
  [/^execution listeners are not supported$/, '本系统引擎不支持执行监听器'],
  [/^task listeners are not supported$/, '本系统引擎不支持任务监听器'],
  [/^event sub-processes are not supported/, '本系统引擎不支持事件子流程，请用边界事件'],
  [/^ad-hoc sub-processes are not supported$/, '本系统引擎不支持自由子流程'],
  [/^compensation activities are not supported$/, '本系统引擎不支持补偿活动'],
  [/^instantiating event-based gateways are not supported$/, '本系统引擎不支持启动实例的事件网关'],
  [/^events with more than one event definition are not supported$/, '本系统引擎不支持带多个事件定义的事件'],
  [/^embedded user task forms are not supported/, '不支持内嵌表单，请部署表单并按表单编号关联'],
  [/^forms are linked by zeebe:formDefinition formId/, '表单须按表单编号（formId）关联'],
  [/ is not in the embedded engine$/, '本系统引擎不支持此类元素'],
];

const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^(\w+) '(.+?)': (.+?)\.?$/, (m) => {
    const reason = SUBSET_REASONS.find(([re]) => re.test(m[3]));
    const kind = translate(m[1].replace(/(\B[A-Z])/g, ' $1'));
    // The element is named beside the message in the list.
    return reason ? `${/[\u4e00-\u9fff]/.test(kind) ? kind : '此元素'}${reason[1]}。` : '使用了本系统引擎不支持的写法。';
  }],
  [/^Element of type <(.+?)> must have property <(.+?)> if it has property <(.+?)>$/, (m) => `${nameOf(m[1])}设置了“${nameOf(m[3])}”时，必须同时设置“${nameOf(m[2])}”。`],
  [/^Element of type <(.+?)> must have property (.+)$/, (m) => `${nameOf(m[1])}缺少“${namesOf(m[2])}”。`],
  [/^Element of type <(.+?)> must have one extension element of type (.+)$/, (m) => `${nameOf(m[1])}必须有且只有一个“${namesOf(m[2])}”设置。`],
  [/^Element of type <(.+?)> without property <(.+?)> only allowed by Camunda (\S+) or newer$/, (m) => `${nameOf(m[1])}不设置“${nameOf(m[2])}”需要 Camunda ${m[3]} 或更高版本。`],
  [/^Element of type <(.+?)> only allowed by Camunda (\S+)/, (m) => `${nameOf(m[1])}需要 Camunda ${m[2]} 或更高版本。`],
  [/^Element of type <(.+?)> not allowed/, (m) => `此处不允许使用${nameOf(m[1])}。`],
  [/^Extension element of type <(.+?)> only allowed by Camunda (\S+)/, (m) => `“${nameOf(m[1])}”设置需要 Camunda ${m[2]} 或更高版本。`],
  [/^Extension element of type <(.+?)> not allowed$/, (m) => `不允许使用“${nameOf(m[1])}”设置。`],
  [/^Property <(.+?)> must have value of <(.+?)>$/, (m) => `“${nameOf(m[1])}”的值必须是 ${m[2]}。`],
  [/^Property <(.+?)> must have expression value$/, (m) => `“${nameOf(m[1])}”必须是表达式（以 = 开头）。`],
  [/^Property <(.+?)> is not a valid FEEL expression$/, (m) => `“${nameOf(m[1])}”不是有效的 FEEL 表达式。`],
  [/^Property <(.+?)> only allowed by Camunda (\S+)/, (m) => `“${nameOf(m[1])}”需要 Camunda ${m[2]} 或更高版本。`],
  [/^Properties of type <(.+?)> have property <(.+?)> with duplicate value of <(.+?)>$/, (m) => `“${nameOf(m[1])}”中“${nameOf(m[2])}”的值 ${m[3]} 重复。`],
  [/^Properties of type <(.+?)> have properties with duplicate values/, (m) => `“${nameOf(m[1])}”中有重复的值。`],
  [/^Element is missing label\/name$/, () => '元素缺少名称。'],
  [/^Loop detected: (.+)$/, (m) => `流程中有无出口的循环：${m[1].replace(/ -> /g, ' → ')}。`],
  [/^FEEL function <(.+?)> requires Camunda (\S+)$/, (m) => `FEEL 函数 ${m[1]} 需要 Camunda ${m[2]} 或更高版本。`],
  // The engine's own checks (src/engine/model/compile.ts).
  [/^The diagram is empty\.?$/, () => '流程图是空的。'],
  [/^The diagram is not readable BPMN XML/, () => '流程图不是可读的 BPMN XML。'],
  [/^No process in the diagram is marked executable\.$/, () => '流程图中没有标记为可执行的流程。'],
  [/^The diagram contains no process\.$/, () => '流程图中没有流程。'],
  [/^The process has no start event\.$/, () => '流程没有开始事件。'],
  [/^Sequence flow '(.+?)' needs both a source and a target\.$/, (m) => `顺序流“${m[1]}”缺少起点或终点。`],
  [/^Sequence flow '(.+?)' crosses the boundary of a sub-process\.$/, (m) => `顺序流“${m[1]}”跨越了子流程的边界。`],
  [/^Sequence flow '(.+?)' has a condition but does not leave an exclusive gateway/, (m) => `顺序流“${m[1]}”有条件，但不是从排他网关引出（仅支持排他网关的条件流向）。`],
  [/^The condition of sequence flow '(.+?)' must be a FEEL expression starting with '='\.$/, (m) => `顺序流“${m[1]}”的条件必须是以 = 开头的 FEEL 表达式。`],
  [/^Sequence flow '(.+?)' leaves exclusive gateway '(.+?)' without a condition and is not its default flow\.$/, (m) => `顺序流“${m[1]}”从排他网关“${m[2]}”引出，既没有条件，也不是默认流向。`],
  [/^The default flow of exclusive gateway '(.+?)' does not leave it\.$/, (m) => `排他网关“${m[1]}”的默认流向不是从它引出的。`],
  [/^Event-based gateway '(.+?)' needs at least two outgoing flows\.$/, (m) => `事件网关“${m[1]}”至少需要两条引出的流向。`],
  [/^Event-based gateway '(.+?)' may only lead to/, (m) => `事件网关“${m[1]}”只能连到消息或定时中间捕获事件。`],
  [/^Boundary event '(.+?)' cannot have incoming sequence flows\.$/, (m) => `边界事件“${m[1]}”不能有引入的流向。`],
  [/^Boundary event '(.+?)' is attached to '(.+?)', which is not/, (m) => `边界事件“${m[1]}”附着的“${m[2]}”不是本流程中的活动。`],
  [/^An (input|output) mapping of '(.+?)' has no target variable\.$/, (m) => `“${m[2]}”的${m[1] === 'input' ? '输入' : '输出'}映射缺少目标变量。`],
  [/^(.+) of '(.+?)' is not valid FEEL \(.+\): (.*)$/, (m) => `“${m[2]}”的表达式不是有效的 FEEL：${m[3]}`],
  [/^The lint rule failed/, () => '检查规则本身运行出错，此项未能检查。'],
];

/** The message in Chinese; null when no pattern knows it. */
export function chineseProblemMessage(message: string): string | null {
  if (/[\u4e00-\u9fff]/.test(message)) return message;
  for (const [re, to] of PATTERNS) {
    const m = re.exec(message);
    if (m) return to(m);
  }
  return null;
}

/** What to say when no pattern knows the message: the kind of check that failed. */
export function genericProblemMessage(rule: string): string {
  if (rule === 'feel') return '表达式不是有效的 FEEL。';
  if (rule === 'subset') return '使用了本系统引擎不支持的写法。';
  if (rule.startsWith('lint/')) return '不符合 Camunda 8.8 的部署规则。';
  return '不符合要求。';
}
