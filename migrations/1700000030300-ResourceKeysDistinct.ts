import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { isMysql } from '../src/db/portable';

/**
 * Every deployed resource's key names one resource: DeleteResource (and EvaluateDecision by key) take
 * a key alone, as Zeebe's do, so a form, a decision requirements graph or a decision must not share its
 * key with a process version. Each kind takes its keys from a range of its own (the same figures as
 * src/engine/deploy/resource-keys.ts, written out here because a migration must not change when that
 * file does): processes below 2^40, forms from 2^40 (new databases since 1700000028200 already), decision
 * requirements graphs from 2^41, decisions from 3·2^40.
 *
 * Rows keyed before this (a database created before 1700000028200 has forms with low keys, and every
 * graph and decision had one) get the next keys of their kind's range, in key order; a decision follows
 * its graph's new key. What stored the old keys is the clients that deployed them (the deployment answer
 * names each resource's key): `engine_resource_key_aliases` keeps old key → new key, so such a key still
 * resolves where it names nothing else now (a key a process version also has names the process version).
 * Tables of the engine store no form or decision keys (user tasks name their form by id, business rule
 * tasks their decision by id), so nothing else changes.
 *
 * Also: decision requirements graphs and their decisions can be deleted (`deleted_at`, as processes and
 * forms since 1700000028200).
 */
const RANGE = 1_099_511_627_776; // 2^40
const BASES = [
  { table: 'engine_forms', kind: 'form', base: RANGE },
  { table: 'engine_decision_requirements', kind: 'decision_requirements', base: 2 * RANGE },
  { table: 'engine_decisions', kind: 'decision', base: 3 * RANGE },
] as const;

export class ResourceKeysDistinct1700000030300 implements MigrationInterface {
  name = 'ResourceKeysDistinct1700000030300';

  async up(qr: QueryRunner): Promise<void> {
    const mysql = isMysql(qr);
    await qr.addColumn('engine_decision_requirements', new TableColumn({ name: 'deleted_at', type: 'bigint', isNullable: true }));
    await qr.addColumn('engine_decisions', new TableColumn({ name: 'deleted_at', type: 'bigint', isNullable: true }));
    await qr.createTable(new Table({
      name: 'engine_resource_key_aliases',
      columns: [
        { name: 'kind', type: 'varchar', length: '32', isPrimary: true },
        { name: 'old_key', type: 'bigint', isPrimary: true },
        { name: 'new_key', type: 'bigint' },
      ],
      indices: [{ name: 'ix_engine_rka_old', columnNames: ['old_key'] }],
    }));

    // A graph's key changes under its decisions' reference to it: the check waits for the decisions' new
    // reference (SQLite until the commit; MariaDB checks no references during the renumbering).
    if (mysql) await qr.query('SET FOREIGN_KEY_CHECKS = 0');
    else await qr.query('PRAGMA defer_foreign_keys = ON');
    try {
      for (const { table, kind, base } of BASES) {
        const [{ top }] = (await qr.query(`SELECT MAX(\`key\`) AS top FROM ${table}`)) as Array<{ top: number | string | null }>;
        let next = Math.max(base, top === null ? 0 : Number(top) + 1);
        const low = (await qr.query(`SELECT \`key\` FROM ${table} WHERE \`key\` < ? ORDER BY \`key\``, [base])) as Array<{ key: number | string }>;
        for (const r of low) {
          const oldKey = Number(r.key);
          const newKey = next++;
          await qr.query(`UPDATE ${table} SET \`key\` = ? WHERE \`key\` = ?`, [newKey, oldKey]);
          if (kind === 'decision_requirements') await qr.query('UPDATE engine_decisions SET drg_key = ? WHERE drg_key = ?', [newKey, oldKey]);
          await qr.query('INSERT INTO engine_resource_key_aliases (kind, old_key, new_key) VALUES (?, ?, ?)', [kind, oldKey, newKey]);
        }
        // New rows continue after the last key of the range in use.
        if (mysql) {
          await qr.query(`ALTER TABLE ${table} AUTO_INCREMENT = ${next}`);
        } else {
          const [seq] = (await qr.query('SELECT seq FROM sqlite_sequence WHERE name = ?', [table])) as Array<{ seq: number }>;
          if (!seq) await qr.query('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)', [table, next - 1]);
          else if (Number(seq.seq) < next - 1) await qr.query('UPDATE sqlite_sequence SET seq = ? WHERE name = ?', [next - 1, table]);
        }
      }
    } finally {
      if (mysql) await qr.query('SET FOREIGN_KEY_CHECKS = 1');
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    // Keys stay where they are: the ranges are harmless to the code before this migration.
    await qr.dropTable('engine_resource_key_aliases');
    await qr.dropColumn('engine_decisions', 'deleted_at');
    await qr.dropColumn('engine_decision_requirements', 'deleted_at');
  }
}
