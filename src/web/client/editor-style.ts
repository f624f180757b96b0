/**
 * Styles of the editing pages: the modeler's icon font, the properties panel's and form-js editor's own sheets, plus this
 * product's. They are bundled as text into the editor chunk and added once when an editor opens, so
 * the other pages load none of them.
 */
import bpmnFontCss from 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css' with { type: 'text' };
import propertiesPanelCss from '@bpmn-io/properties-panel/dist/assets/properties-panel.css' with { type: 'text' };
import formEditorCss from '@bpmn-io/form-js-editor/dist/assets/form-js-editor.css' with { type: 'text' };
import draggleCss from '@bpmn-io/form-js-editor/dist/assets/dragula.css' with { type: 'text' };

const EDITOR_CSS = `
.editor-layout { display: grid; grid-template-columns: minmax(0, 1fr) 340px; gap: 0; border: 1px solid var(--line); border-radius: 6px; background: #fff; height: 620px; overflow: hidden; }
.editor-canvas { position: relative; min-width: 0; height: 100%; }
.editor-layout.editor-full { position: fixed; inset: 0; z-index: 1000; height: 100vh; border-radius: 0; border: 0; }
.editor-layout.editor-full > button { position: absolute; top: 10px; right: 356px; z-index: 10; }
.editor-properties { border-left: 1px solid var(--line); overflow: auto; height: 100%; }
.editor-properties .bio-properties-panel { --font-family: inherit; }
.editor-toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-end; margin: 8px 0; }
.editor-toolbar .field { min-width: 220px; }
.editor-facts { display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 4px 0; color: var(--muted); }
.problems { list-style: none; padding: 0; margin: 0; display: flex; flex-direction: column; gap: 4px; }
.problems li { display: flex; gap: 8px; align-items: baseline; padding: 4px 8px; border-radius: 4px; }
.problems li.error { background: #fef3f2; }
.problems li.warning { background: #fffbea; }
.problems .rule { color: var(--muted); font-size: 13px; }
.problems .tag { flex: none; white-space: nowrap; }
.problems button { padding: 1px 8px; font-size: 13px; flex: none; }
.diff-groups { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 8px 16px; }
.diff-groups h3 { margin-top: 4px; }
.diff-groups ul { padding-left: 18px; margin: 0; }
.diff-changes { font-size: 13px; color: var(--muted); list-style: disc; }
.diff-canvases { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin-top: 12px; }
.diff-canvases figure { margin: 0; }
.diff-canvases .diagram-canvas { height: 300px; }
.swatch.added { border-color: #067647; background: #d1fadf; }
.swatch.removed { border-color: #d92d20; background: #fbd5d2; }
.swatch.changed { border-color: #dc6803; background: #fef0c7; }
.swatch.moved { border-color: #6941c6; background: #ebe9fe; }
.djs-element.diff-added .djs-visual > :nth-child(1) { stroke: #067647 !important; stroke-width: 3px !important; fill: #d1fadf !important; }
.djs-element.diff-removed .djs-visual > :nth-child(1) { stroke: #d92d20 !important; stroke-width: 3px !important; fill: #fbd5d2 !important; }
.djs-element.diff-changed .djs-visual > :nth-child(1) { stroke: #dc6803 !important; stroke-width: 3px !important; fill: #fef0c7 !important; }
.djs-element.diff-moved .djs-visual > :nth-child(1) { stroke: #6941c6 !important; stroke-dasharray: 4 3; }
.djs-element.lint-error .djs-visual > :nth-child(1) { stroke: #d92d20 !important; stroke-width: 4px !important; }
.djs-element.lint-warning .djs-visual > :nth-child(1) { stroke: #dc6803 !important; stroke-width: 3px !important; }
.form-editor-host { border: 1px solid var(--line); border-radius: 6px; background: #fff; height: 640px; }
.form-editor-host .fjs-editor-container { height: 100%; }
.template-layout { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.template-layout textarea { font-family: "Noto Sans Mono", "DejaVu Sans Mono", monospace; font-size: 13px; min-height: 560px; tab-size: 2; }
.template-preview { width: 100%; height: 600px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
@media (max-width: 1100px) { .editor-layout { grid-template-columns: 1fr; height: auto; } .editor-canvas { height: 520px; } .template-layout, .diff-canvases { grid-template-columns: 1fr; } }
`;

export function addEditorStyles(): void {
  if (document.getElementById('editor-styles')) return;
  const style = document.createElement('style');
  style.id = 'editor-styles';
  style.textContent = [bpmnFontCss, propertiesPanelCss, formEditorCss, draggleCss, EDITOR_CSS].join('\n');
  document.head.append(style);
}
