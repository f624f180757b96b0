/**
 * Chinese names of the values the API speaks in. Channels, kinds and claim categories mirror
 * src/cases/model.ts (importing it would ship zod to the browser); scripts/build-web.ts refuses to
 * build when they differ, so the intake form offers exactly what the server accepts.
 */
export const CHANNEL_LABELS: Record<string, string> = { window: '窗口', phone: '电话', online: '网上', grid: '网格员', media: '媒体' };
export const CHANNELS = Object.keys(CHANNEL_LABELS);
export const KIND_LABELS: Record<string, string> = { complaint: '投诉', report: '举报' };
export const CLAIM_CATEGORIES: Record<string, { label: string }> = {
  'wage-arrears': { label: '拖欠工资' },
  'wage-deduction': { label: '克扣工资' },
  'minimum-wage': { label: '低于最低工资标准' },
  'no-written-contract': { label: '未签订书面劳动合同' },
  'child-labour': { label: '使用童工' },
  'female-protection': { label: '女职工劳动保护' },
  'minor-protection': { label: '未成年工特殊保护' },
  'working-hours': { label: '违反工作时间和休息休假规定' },
  'social-insurance-registration': { label: '未办理社会保险登记' },
  'social-insurance-arrears': { label: '未足额缴纳社会保险费' },
  'social-insurance-fraud': { label: '骗取社会保险基金' },
  'dismissal-compensation': { label: '解除劳动合同经济补偿、赔偿' },
  'employment-relation': { label: '确认劳动关系' },
  'work-injury': { label: '工伤待遇' },
  'contract-dispute': { label: '劳动合同履行争议' },
  other: { label: '其他' },
};

export const ROLE_NAMES: Record<string, string> = { intake: '窗口受理', handler: '监察员', legal: '法制审核', supervisor: '大队长/科长', admin: '系统管理员', grid_officer: '网格协管员', enterprise_coordinator: '企业协管员' };

export const ROUTE_LABELS: Record<string, string> = {
  inspection: '劳动保障监察立案调查',
  'social-insurance-audit': '转社会保险稽查',
  arbitration: '引导申请劳动人事争议仲裁',
  'not-accepted': '不予受理',
  completion: '通知补正材料',
  merge: '并入在办案件',
};

/** workflows/README.md "Case status". */
export const STATUS_LABELS: Record<string, string> = {
  registered: '已登记，待受理',
  accepted: '已受理，转监察',
  'filing-review': '立案审查中',
  filed: '已立案，调查中',
  'awaiting-correction': '限期改正中',
  'penalty-proposed': '拟处罚',
  'awaiting-statement': '陈述申辩期',
  'hearing-scheduled': '已安排听证',
  'no-penalty': '不予处罚',
  'awaiting-payment': '待缴纳罚款',
  'payment-overdue': '逾期未缴纳罚款',
  'enforcement-applied': '已申请强制执行',
  'penalty-executed': '处罚已执行',
  'police-referral-review': '移送公安审查中',
  'awaiting-police-decision': '待公安机关决定',
  'referred-to-police': '已移送公安',
  'police-referral-declined': '不予移送公安',
  'police-refused': '公安机关不予立案',
  'arbitration-referral': '引导仲裁中',
  'referred-arbitration': '已移送仲裁',
  'asset-preservation': '财产保全申请中',
  'assets-preserved': '已财产保全',
  'asset-preservation-declined': '不申请财产保全',
  'asset-preservation-rejected': '财产保全被驳回',
  'asset-preservation-lapsed': '财产保全失效',
  closed: '已结案',
  archived: '已归档',
};

export const OUTCOME_LABELS: Record<string, string> = {
  'not-accepted': '不予受理', 'not-filed': '不予立案', merged: '已并案', 'materials-not-completed': '逾期未补正',
  'referred-social-insurance-audit': '已转社会保险稽查', 'referred-arbitration': '已引导仲裁', corrected: '已改正', penalty: '已处罚',
  'handling-decision': '已作出处理决定', withdrawn: '已撤销立案', transferred: '已移送', 'referred-to-police': '已移送公安', 'no-violation': '未发现违法行为',
};

export const DEADLINE_STATE_LABELS: Record<string, string> = { open: '进行中', met: '已完成', overdue: '已逾期', cancelled: '已取消' };

/** Results of a random inspection (src/credit/draws.ts DRAW_OUTCOME_LABELS). */
export const DRAW_OUTCOME_LABELS: Record<string, string> = {
  compliant: '未发现问题', corrected: '发现问题，已责令改正', 'case-opened': '发现违法行为，已立案查处', 'not-found': '经查无此单位或已停业',
};

export const MAIL_STATE_LABELS: Record<string, string> = {
  pending: '待发送', sending: '发送中', sent: '已发送', failed: '发送失败', unsent_no_credentials: '未发送（未配置邮件服务）',
};

export const SERVICE_METHODS: Record<string, string> = {
  direct: '直接送达', left_with_witness: '留置送达', electronic: '电子送达', post: '邮寄送达', public_notice: '公告送达',
};

export const PROCESS_LABELS: Record<string, string> = {
  'intake-and-routing': '投诉举报受理与诉前引导',
  'inspection-case': '劳动保障监察立案调查',
  punishment: '行政处罚',
  'arbitration-transfer': '引导/移送仲裁',
  'police-referral': '涉嫌犯罪移送公安',
  'asset-preservation': '财产保全',
  'arrears-blacklist': '拖欠农民工工资失信联合惩戒名单',
  'credit-grading': '年度守法诚信等级评价',
  'random-inspection': '双随机抽查结果公示',
};

/** A/B/C grades as 企业劳动保障守法诚信等级评价办法 names them (src/credit/grading.ts). */
export const GRADE_LABELS: Record<string, string> = { A: 'A级（守法诚信）', B: 'B级（基本守法诚信）', C: 'C级（不守法诚信）' };
/** How a grade was changed (credit_grade_changes.kind). */
export const GRADE_CHANGE_LABELS: Record<string, string> = { review: '法制审核调整', objection: '异议复核变更' };

export const ACTION_LABELS: Record<string, string> = {
  'case.register': '登记案件',
  'case.process-start': '启动受理流程',
  'case.link': '关联同一用人单位在办案件',
  'case.status': '案件状态变更',
  'case.close': '结案',
  'task.claim': '领取任务',
  'task.unclaim': '退回任务',
  'task.assign': '指派任务',
  'task.complete': '办理完成',
  'document.issue': '出具文书',
  'document.service': '记录送达',
  'incident.repair': '更正流程故障并重试',
  'incident.resolve': '重试故障步骤',
  'case.deadline': '计算期限',
  'case.assess': '初步审查受理条件',
  'document.draft-outside': '文书需线下制作（无模板）',
  'mail.skipped': '未发送邮件（无收件地址）',
  'mail.queue': '生成邮件',
  'mail.requeue': '重新发送邮件',
  'employer.create': '建立用人单位档案',
  'supervision.escalate': '督办预警',
  'case.supervise': '挂牌督办',
  'case.reveal-personal-data': '查看完整证件号码和电话',
  'message.publish': '登记外部答复',
  'case.deadline-recomputed': '节假日安排公布，重新计算暂定期限',
  'process.repair': '修复流程',
};

/** The office's outside contacts (GET/PUT /api/contacts/:role). */
export const CONTACT_ROLE_LABELS: Record<string, string> = {
  'police-liaison': '公安机关联络人',
  court: '人民法院',
  'arbitration-commission': '劳动人事争议仲裁委员会',
  'social-insurance-audit': '社会保险稽核部门',
  'supervisor-mailbox': '督办邮箱',
};

/** A day of the State Council's holiday schedule. */
export const CALENDAR_KIND_LABELS: Record<string, string> = { holiday: '放假', workday: '调休上班' };

export const CALENDAR_STATUS_LABELS: Record<string, string> = { published: '已公布', provisional: '暂定' };

export const CALENDAR_SOURCE_LABELS: Record<string, string> = { 'chinese-days': '系统内置', admin: '管理员录入' };

export const GRID_LEVEL_LABELS: Record<string, string> = { '1': '街道', '2': '社区' };

/** Outside answers (messages) by their names, as the case page's actions and timeline say them. */
export const MESSAGE_LABELS: Record<string, string> = {
  'materials-completed': '补正材料已提交',
  'correction-reported': '用人单位报告已改正',
  'employer-absconded': '用人单位逃匿',
  'hearing-requested': '当事人要求听证',
  'fine-paid': '罚款已缴纳',
  'enforcement-concluded': '强制执行结果',
  'police-decision': '公安机关立案决定',
  'police-reconsideration-answer': '公安机关复议决定',
  'court-ruling': '人民法院保全裁定',
  'suit-filed': '已起诉或申请仲裁',
};

/** The annual written review (书面审查): an employer's place in it, its result (src/credit/written-review.ts). */
export const WRITTEN_REVIEW_STATE_LABELS: Record<string, string> = {
  enrolled: '待发通知', notified: '待报送', reminded: '已催报，待补报', submitted: '已报送，审查中', verifying: '待实地核查', concluded: '已办结',
};
export const WRITTEN_REVIEW_RESULT_LABELS: Record<string, string> = { qualified: '合格', correction: '限期改正', case: '立案调查', 'not-submitted': '未报送' };
export const WRITTEN_REVIEW_SOURCE_LABELS: Record<string, string> = { window: '窗口录入', import: '电子表格导入' };
export const WORKING_HOURS_LABELS: Record<string, string> = { standard: '标准工时制', comprehensive: '综合计算工时制', flexible: '不定时工作制' };
export const SCALE_LABELS: Record<string, string> = { large: '大型', medium: '中型', small: '小型', micro: '微型' };

export const label = (map: Record<string, string>, v: string | null | undefined): string => (v ? map[v] ?? v : '—');

/** Parts of a diagram diff's property paths (src/editing/diff.ts), for the version comparison in the editor. */
export const DIFF_PART_LABELS: Record<string, string> = {
  'bpmn:TimerEventDefinition': '定时器', 'bpmn:MessageEventDefinition': '消息事件', 'bpmn:ErrorEventDefinition': '错误事件',
  'bpmn:SignalEventDefinition': '信号事件', 'bpmn:EscalationEventDefinition': '升级事件', 'bpmn:ConditionalEventDefinition': '条件事件',
  'bpmn:TerminateEventDefinition': '终止事件', 'bpmn:LinkEventDefinition': '链接事件', 'bpmn:CompensateEventDefinition': '补偿事件',
  timeDate: '到期时间', timeDuration: '持续时间', timeCycle: '循环周期',
  'zeebe:TaskDefinition': '作业定义', 'zeebe:TaskHeaders': '任务头', 'zeebe:IoMapping': '输入输出映射',
  'zeebe:AssignmentDefinition': '分配', 'zeebe:TaskSchedule': '任务期限', 'zeebe:CalledElement': '调用流程',
  'zeebe:Subscription': '消息订阅', 'zeebe:FormDefinition': '表单', 'zeebe:UserTask': '用户任务', 'zeebe:LoopCharacteristics': '多实例',
  'zeebe:Properties': '扩展属性', 'zeebe:ExecutionListeners': '执行监听器', 'zeebe:TaskListeners': '任务监听器', 'zeebe:CalledDecision': '调用决策',
  'zeebe:Script': '脚本', 'zeebe:VersionTag': '版本标签',
  type: '类型', retries: '重试次数', values: '项', key: '键', value: '值', inputParameters: '输入', outputParameters: '输出',
  source: '来源', target: '目标', assignee: '办理人', candidateGroups: '候选组', candidateUsers: '候选人', dueDate: '到期日', followUpDate: '跟进日',
  processId: '流程', propagateAllChildVariables: '传递全部子流程变量', propagateAllParentVariables: '传递全部父流程变量',
  correlationKey: '关联键', formId: '表单编号', formKey: '表单键', externalReference: '外部表单',
  name: '名称', documentation: '说明', text: '文字', conditionExpression: '条件', default: '默认流向', sourceRef: '起点', targetRef: '终点',
  messageRef: '消息', errorRef: '错误', signalRef: '信号', escalationRef: '升级', cancelActivity: '中断活动', attachedToRef: '附着于',
  loopCharacteristics: '多实例', inputCollection: '输入集合', inputElement: '输入元素', outputCollection: '输出集合', outputElement: '输出元素',
  completionCondition: '完成条件', isSequential: '顺序执行', eventDefinitions: '事件定义', errorCode: '错误码', escalationCode: '升级码',
  isExecutable: '可执行', versionTag: '版本标签', resultVariable: '结果变量', expression: '表达式', decisionId: '决策', priority: '优先级',
};

/**
 * A diff property path in Chinese: 'zeebe:TaskHeaders.values[0].value' → '任务头 第1项 值',
 * 'bpmn:TimerEventDefinition.timeDate' → '定时器 到期时间'. An unknown part is shown as it is.
 */
export function diffPropertyLabel(path: string): string {
  return path.split('.').map((part) => {
    const m = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return part;
    const index = [...m[2].matchAll(/\[(\d+)\]/g)].map((x) => `第${Number(x[1]) + 1}项`).join(' ');
    const name = DIFF_PART_LABELS[m[1]] ?? m[1];
    return m[1] === 'values' && index ? index : [name, index].filter(Boolean).join(' ');
  }).join(' ');
}

/** Hit policies of a decision table (DMN), as legal staff read them. */
export const HIT_POLICY_LABELS: Record<string, string> = {
  UNIQUE: '唯一命中', FIRST: '按顺序取第一条', PRIORITY: '按优先级', ANY: '任一（结果须相同）', COLLECT: '汇总全部', 'RULE ORDER': '按规则顺序列出', 'OUTPUT ORDER': '按输出优先级列出',
};
