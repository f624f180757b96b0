/**
 * The form-js editor in Simplified Chinese. Unlike bpmn-js it has no translate service: its palette,
 * properties panel and canvas hints are English text, so they are replaced in the rendered editor as
 * it draws them. Text nodes are changed in place, because the editor (preact) keeps them and writes
 * into them again on its next render; a word not in the table stays as it is.
 */
const ZH: Record<string, string> = {
  Components: '组件', 'Search components': '搜索组件', Input: '输入', Selection: '选择', Presentation: '展示', Containers: '容器', Action: '操作',
  'Text field': '文本框', 'Text area': '多行文本', Number: '数字', 'Date time': '日期时间', Expression: '表达式', 'File picker': '文件选择',
  Checkbox: '复选框', 'Checkbox group': '复选组', 'Radio group': '单选组', Select: '下拉选择', 'Tag list': '标签列表',
  'Text view': '文本', 'Image view': '图片', Table: '表格', 'HTML view': 'HTML 内容', 'Document preview': '文档预览', Spacer: '空白', Separator: '分隔线',
  Group: '分组', 'Dynamic list': '动态列表', iFrame: '内嵌网页', Button: '按钮',
  Form: '表单', General: '常规', ID: '标识（ID）', 'Version tag': '版本标签', Key: '键', Label: '标签', 'Field label': '字段标签',
  'Field description': '字段说明', Description: '说明', 'Default value': '默认值', Validation: '校验', Required: '必填', Condition: '条件',
  'Hide if': '隐藏条件', Appearance: '外观', Layout: '布局', Columns: '列宽', Auto: '自动', 'Custom properties': '自定义属性', Serialization: '序列化',
  'Options source': '选项来源', 'Static options': '固定选项', 'Dynamic options': '动态选项', 'Input values key': '选项变量名', 'Options expression': '选项表达式',
  Value: '值', Constraints: '约束', Minimum: '最小值', Maximum: '最大值', 'Minimum length': '最小长度', 'Maximum length': '最大长度',
  'Validation pattern': '校验格式', 'Custom regular expression': '自定义正则表达式', 'Custom error message': '自定义错误提示', 'Read only': '只读',
  Disabled: '禁用', Text: '文字', Subtype: '子类型', Date: '日期', Time: '时间', 'Date label': '日期标签', 'Time label': '时间标签',
  'Time format': '时间格式', 'Time interval': '时间间隔', 'Disallow past dates': '不允许过去的日期', 'Decimal digits': '小数位数', Increment: '步长',
  Prefix: '前缀', Suffix: '后缀', 'Output as string': '输出为文本', Searchable: '可搜索', 'Show outline': '显示边框', Path: '路径', Content: '内容',
  Height: '高度', 'Alternative text': '替代文字', 'Image source': '图片来源', 'Data source': '数据来源', 'Compute on': '计算时机', 'Value changes': '值变化时',
  'Form submission': '提交时', Type: '类型', Submit: '提交', Reset: '重置', 'Header items': '表头', Pagination: '分页', 'Number of rows per page': '每页行数',
  'Allow add/delete items': '允许增删项', 'Default number of items': '默认项数', 'Disable collapse': '不折叠', 'Number of non-collapsing items': '不折叠的项数',
  'Upload multiple files': '允许多个文件', 'Supported file formats': '支持的文件格式', Checked: '已勾选', 'Not checked': '未勾选', Email: '电子邮箱', Phone: '电话',
  Custom: '自定义', 'Text view is templated': '文本含模板变量', 'Delete': '删除', 'Remove': '移除', 'Create': '新建', 'Add': '添加',
  'Drag and drop components here to start designing.': '把左侧组件拖到这里开始设计表单。',
  'Use the library to add components.': '从左侧组件库添加组件。', 'Build your form': '设计表单',
  'No components found.': '没有找到组件。', 'Learn more': '了解更多', 'Learn how to': '了解如何',
};

const UPPER = new Map(Object.entries(ZH).map(([en, zh]) => [en.toUpperCase(), zh]));

function localize(root: HTMLElement): void {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
    const t = n.data.trim();
    if (!t) continue;
    // The preview's empty select shows form-js's own placeholder.
    const zh = t === 'Select' && n.parentElement?.closest('.fjs-select-display') ? '请选择' : ZH[t] ?? UPPER.get(t);
    if (zh) n.data = n.data.replace(t, zh);
  }
  for (const el of root.querySelectorAll<HTMLInputElement>('[placeholder]')) {
    const zh = ZH[el.placeholder];
    if (zh) el.placeholder = zh;
    else if (/^[dmy]{1,4}([./-][dmy]{1,4}){2}$/i.test(el.placeholder)) el.placeholder = '年/月/日';
    else if (el.placeholder === 'Select') el.placeholder = '请选择';
  }
}

/** Keeps the form editor under `host` in Chinese as it renders; returns a stop function. */
export function keepFormEditorChinese(host: HTMLElement): () => void {
  localize(host);
  let pending = false;
  const observer = new MutationObserver(() => {
    // One pass per frame: the editor re-renders many nodes at once while dragging.
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; localize(host); });
  });
  observer.observe(host, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['placeholder'] });
  return () => observer.disconnect();
}
