import crypto from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Case deadlines were named twice: a camelCase name the diagrams read (`deadlines.policeDecision`) and
 * the id of the legal rule it applies (`police.decision`). They are now named by the rule's id only,
 * and the process variable `deadlines` nests by its dots (`deadlines.police.decision.dueAt`).
 *
 * Renamed here, on both databases: `case_deadlines.rule` (and the name inside each stored explanation);
 * the `deadlines` variable of every running process instance, so its timers and expressions still find
 * their deadline (timers already scheduled keep their instants: they are not touched); and the stored
 * diagrams, forms and diagram drafts, so an instance running on an older version evaluates the same
 * paths and asks deadline.compute for names it knows. Service levels, escalations and mails name no
 * deadline by its old name (escalations key on the deadline's row, mails store their text), and the
 * legal rules' own ids do not change. The names are written out here, not imported: a migration states
 * what it did on the day it was written.
 */
const RENAMED: Record<string, string> = {
  acceptance: 'intake.acceptanceDecision',
  completion: 'intake.completion',
  investigation: 'investigation.limit',
  investigationExtended: 'investigation.extension',
  investigationExtension: 'investigation.extensionApproved',
  penaltyDecision: 'punishment.decision',
  closureTarget: 'closure.target',
  correction: 'correction.period',
  statementPeriod: 'punishment.hearingRequest',
  hearing: 'punishment.hearingNotice',
  finePayment: 'punishment.finePayment',
  enforcementEligible: 'enforcement.eligible',
  enforcementApplication: 'enforcement.application',
  referralApproval: 'police.headApproval',
  policeTransfer: 'police.transfer',
  policeDecision: 'police.decision',
  reconsiderationRequest: 'police.reconsiderationRequest',
  reconsiderationAnswer: 'police.reconsiderationAnswer',
  courtRuling: 'preservation.courtRuling',
  preservationSuit: 'preservation.suitWithin',
  blacklistDefence: 'blacklist.defence',
  blacklistDecision: 'blacklist.decision',
  blacklistDecisionExtended: 'blacklist.decisionExtension',
  blacklistExpiry: 'blacklist.listingTerm',
  blacklistRepairEligible: 'blacklist.repairMinListed',
  blacklistRepairDecision: 'blacklist.repairDecision',
};
const BACK: Record<string, string> = Object.fromEntries(Object.entries(RENAMED).map(([a, b]) => [b, a]));

const PAGE = 200;
type Row = Record<string, unknown>;
type Tree = Record<string, unknown>;

const isObject = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);
const isDeadline = (v: unknown): boolean => isObject(v) && 'dueAt' in v;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Diagram and form text: `deadlines.<name>` paths and deadline.compute's `rule` header. A path already
 * naming a target id (`deadlines.investigation.limit`, whose first part is an old name) is left alone,
 * so running it twice changes nothing.
 */
export function renameInText(text: string, map: Record<string, string>): string {
  const names = Object.keys(map).sort((a, b) => b.length - a.length).map(escape).join('|');
  const targets = new RegExp(`^deadlines\\.(${Object.values(map).map(escape).join('|')})(?![A-Za-z0-9_])`);
  return text
    .replace(new RegExp(`deadlines\\.(${names})(?![A-Za-z0-9_])`, 'g'), (m: string, n: string, at: number) =>
      (targets.exec(text.slice(at))?.[1].length ?? 0) > n.length ? m : `deadlines.${map[n]}`)
    .replace(/(<zeebe:header key="rule" value=")([^"]*)(")/g, (_m, a: string, list: string, z: string) =>
      a + list.split(',').map((r) => map[r.trim()] ?? r.trim()).join(',') + z);
}

function setPath(root: Tree, id: string, value: unknown): void {
  const parts = id.split('.');
  let node = root;
  for (const part of parts.slice(0, -1)) {
    if (!isObject(node[part]) || isDeadline(node[part])) node[part] = {};
    node = node[part] as Tree;
  }
  node[parts[parts.length - 1]] = value;
}

function leaves(tree: Tree, prefix = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(tree)) {
    const id = prefix ? `${prefix}.${k}` : k;
    if (isDeadline(v) || !isObject(v)) out.push([id, v]);
    else out.push(...leaves(v, id));
  }
  return out;
}

/** The `deadlines` variable with every deadline under its new id, nested by the dots (or back, flat). */
export function renameDeadlines(value: unknown, map: Record<string, string>): unknown {
  if (!isObject(value)) return value;
  const out: Tree = {};
  for (const [id, d] of leaves(value)) {
    const to = map[id];
    if (to === undefined) {
      setPath(out, id, d);
      continue;
    }
    const renamed = isObject(d) && typeof d.rule === 'string' && d.rule === id ? { ...d, rule: to } : d;
    // Going back the ids are flat again: an old name has no dots.
    if (to.includes('.')) setPath(out, to, renamed);
    else out[to] = renamed;
  }
  return out;
}

export class DeadlinesNamedByLegalRule1700000030100 implements MigrationInterface {
  name = 'DeadlinesNamedByLegalRule1700000030100';

  async up(qr: QueryRunner): Promise<void> {
    await this.rename(qr, RENAMED);
  }

  async down(qr: QueryRunner): Promise<void> {
    await this.rename(qr, BACK);
  }

  private async rename(qr: QueryRunner, map: Record<string, string>): Promise<void> {
    for (const [from, to] of Object.entries(map)) {
      await qr.query('UPDATE case_deadlines SET rule = ? WHERE rule = ?', [to, from]);
      // Explanations are JSON.stringify output: no spaces around the colon.
      const a = `"rule":"${from}"`;
      await qr.query('UPDATE case_deadlines SET explanation_json = REPLACE(explanation_json, ?, ?) WHERE rule = ? AND explanation_json LIKE ?', [a, `"rule":"${to}"`, to, `%${a}%`]);
    }
    await this.renameVariables(qr, map);
    await this.renameText(qr, 'engine_process_definitions', '`key`', 'xml', map);
    await this.renameText(qr, 'engine_forms', '`key`', 'schema_json', map);
    await this.renameText(qr, 'workflow_drafts', 'id', 'xml', map);
  }

  /** `deadlines` of running instances, in whatever scope it was set. */
  private async renameVariables(qr: QueryRunner, map: Record<string, string>): Promise<void> {
    let after: unknown = -1;
    for (;;) {
      const rows = (await qr.query(
        `SELECT v.scope_id, v.value FROM engine_variables v JOIN engine_process_instances p ON p.id = v.process_instance_id
          WHERE v.name = 'deadlines' AND p.state = 'active' AND v.scope_id > ? ORDER BY v.scope_id LIMIT ${PAGE}`, [after])) as Row[];
      for (const r of rows) {
        const before = String(r.value);
        const next = JSON.stringify(renameDeadlines(JSON.parse(before), map));
        if (next !== before) await qr.query("UPDATE engine_variables SET value = ? WHERE scope_id = ? AND name = 'deadlines'", [next, r.scope_id]);
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1].scope_id;
    }
  }

  /** A stored diagram or form: its text renamed and its checksum recomputed, so a redeploy of the same file is no new version. */
  private async renameText(qr: QueryRunner, table: string, key: string, column: string, map: Record<string, string>): Promise<void> {
    const keys = (await qr.query(`SELECT ${key} AS k FROM ${table} WHERE ${column} LIKE ? ORDER BY ${key}`, ['%deadlines%'])) as Row[];
    for (const { k } of keys) {
      const [row] = (await qr.query(`SELECT ${column} AS t FROM ${table} WHERE ${key} = ?`, [k])) as Row[];
      const before = String(row.t);
      const next = renameInText(before, map);
      if (next === before) continue;
      const checksum = crypto.createHash('sha256').update(next, 'utf8').digest('hex');
      await qr.query(`UPDATE ${table} SET ${column} = ?, checksum = ? WHERE ${key} = ?`, [next, checksum, k]);
    }
  }
}
