/**
 * The legal source of each rule is kept as the rule's DMN 1.3 annotation entry (what the engine reports
 * for a matched rule and the diff compares), while dmn-js shows and edits a rule's `description` in its
 * annotation column. These two functions carry the text across: into the column after opening a table,
 * and back into the annotation entry just before the table is written out.
 */
export interface ModelRule { description?: string; annotationEntry?: Array<{ text?: string }> }
interface ModelElement { decisionLogic?: { $type?: string; rule?: ModelRule[] } }
type Create = (type: string, attrs: Record<string, unknown>) => { text?: string };

const rulesOf = (drgElements: ModelElement[] | undefined) => (drgElements ?? []).flatMap((d) => (d.decisionLogic?.$type === 'dmn:DecisionTable' ? d.decisionLogic.rule ?? [] : []));

/** Shows each rule's annotation entry in the editor's annotation column. */
export function showAnnotations(drgElements: ModelElement[] | undefined): void {
  for (const rule of rulesOf(drgElements)) {
    const text = (rule.annotationEntry ?? []).map((a) => a.text ?? '').filter(Boolean).join(' ');
    if (text && !rule.description) rule.description = text;
  }
}

/**
 * Writes the annotation column back into the rules' annotation entries and takes the column's copy out,
 * so the saved table holds the source once; returns what puts the copy back for further editing.
 */
export function storeAnnotations(drgElements: ModelElement[] | undefined, create: Create): () => void {
  const moved: Array<[ModelRule, string]> = [];
  for (const rule of rulesOf(drgElements)) {
    if (rule.description === undefined) continue;
    const text = rule.description;
    if (rule.annotationEntry?.length) {
      rule.annotationEntry[0].text = text;
      rule.annotationEntry.splice(1);
    } else if (text) rule.annotationEntry = [create('dmn:RuleAnnotation', { text })];
    moved.push([rule, text]);
    delete rule.description;
  }
  return () => { for (const [rule, text] of moved) rule.description = text; };
}
