/**
 * Styles of the decision table editor: dmn-js's own sheets and icon font plus this product's, bundled as
 * text into the editor's chunk and added once when the editor opens, so other pages load none of them.
 */
import sharedCss from 'dmn-js/dist/assets/dmn-js-shared.css' with { type: 'text' };
import tableCss from 'dmn-js/dist/assets/dmn-js-decision-table.css' with { type: 'text' };
import tableControlsCss from 'dmn-js/dist/assets/dmn-js-decision-table-controls.css' with { type: 'text' };
import drdCss from 'dmn-js/dist/assets/dmn-js-drd.css' with { type: 'text' };
import fontCss from 'dmn-js/dist/assets/dmn-font/css/dmn-embedded.css' with { type: 'text' };

const DMN_CSS = `
.dmn-host { border: 1px solid var(--line); border-radius: 6px; background: #fff; min-height: 320px; max-height: 640px; overflow: auto; }
.dmn-host .tjs-container { font-family: inherit; }
/* The requirements view needs room of its own (it took the table's height), and shows the diagram's name, not its id. */
.dmn-host .dmn-drd-container { height: 480px; }
.dmn-host .dmn-definitions .dmn-definitions-id { display: none; }
.dmn-diff-list { padding-left: 18px; }
.dmn-diff-list li { margin: 4px 0; padding: 2px 6px; border-radius: 4px; }
.dmn-diff-list li.diff-added { background: #d1fadf; }
.dmn-diff-list li.diff-removed { background: #fbd5d2; }
.dmn-diff-list li.diff-changed { background: #fef0c7; }
.dmn-output dt { font-weight: 600; }
.dmn-output dd { margin: 0 12px 0 0; }
`;

export function addDmnStyles(): void {
  if (document.getElementById('dmn-styles')) return;
  const style = document.createElement('style');
  style.id = 'dmn-styles';
  style.textContent = [sharedCss, tableCss, tableControlsCss, drdCss, fontCss, DMN_CSS].join('\n');
  document.head.append(style);
}
