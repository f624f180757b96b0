/**
 * Choices a form cannot list itself because they depend on the case: a select or radio field with
 * `valuesKey` names one of these, the task answer fills it in (GET /api/tasks/:id) and a completion
 * must pick one of them (src/forms/submission.ts). `inspectorChoices`: the handlers who see the case
 * (its grid's, a street's included) — so 指派监察员 cannot name someone who would then not see the case.
 */
import type { EntityManager } from 'typeorm';
import { allowed, CaseRef } from '../auth/policy';
import { loadPrincipal } from '../auth/principal';

export interface Choice { value: string; label: string }

type Provider = (em: EntityManager, c: CaseRef | null) => Promise<Choice[]>;

const PROVIDERS: Record<string, Provider> = {
  async inspectorChoices(em, c) {
    if (!c) return [];
    const users = (await em.query(
      `SELECT u.id, u.username, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id
        WHERE u.office_id = ? AND u.active = 1 AND r.role = 'handler' ORDER BY u.username`, [c.officeId])) as { id: string; username: string; display_name: string }[];
    const out: Choice[] = [];
    for (const u of users) {
      const p = await loadPrincipal(em, String(u.id));
      if (p && allowed(p, 'case.read', c)) out.push({ value: String(u.username), label: String(u.display_name) });
    }
    // People by name; the account only tells apart two handlers of the same name.
    const named = new Map<string, number>();
    for (const o of out) named.set(o.label, (named.get(o.label) ?? 0) + 1);
    return out.map((o) => (named.get(o.label)! > 1 ? { ...o, label: `${o.label}（${o.value}）` } : o));
  },
};

interface Component { key?: string; valuesKey?: string; components?: Component[] }

/** The value keys a form's fields take their choices from, among those provided here. */
export function dynamicKeysOf(schema: { components?: unknown } | null | undefined): string[] {
  const keys = new Set<string>();
  const walk = (cs: Component[] | undefined) => {
    for (const c of cs ?? []) {
      if (c.valuesKey && PROVIDERS[c.valuesKey]) keys.add(c.valuesKey);
      walk(c.components);
    }
  };
  walk(schema?.components as Component[] | undefined);
  return [...keys];
}

/** The choices of every provided value key of the form, for the task's case. */
export async function dynamicChoices(em: EntityManager, schema: { components?: unknown } | null | undefined, c: CaseRef | null): Promise<Record<string, Choice[]>> {
  const out: Record<string, Choice[]> = {};
  for (const key of dynamicKeysOf(schema)) out[key] = await PROVIDERS[key](em, c);
  return out;
}
