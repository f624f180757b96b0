import { MigrationInterface, QueryRunner, Table, TableColumn, TableColumnOptions } from 'typeorm';
import { isMysql, longText } from '../src/db/portable';

/**
 * Signals on the embedded engine, and deleted resource versions.
 *
 * A signal reaches every waiting catch event, boundary event and signal start event of its name, with
 * no correlation key: `engine_signal_subscriptions` holds them (rows of an instance are owned by the
 * waiting element instance, as message subscriptions are; a start event's row names its version).
 * `engine_signals` records each broadcast, whose id is the signal's key.
 *
 * DeleteResource hides a version from new starts and new deployments' duplicate check, but keeps the
 * row: finished instances and the audit trail still show the diagram they ran on (`deleted_at`).
 */
/** 2^40: far above any number of process versions, well inside what a JavaScript number holds exactly. */
const FORM_KEY_BASE = 1_099_511_627_776;

export class EngineSignalsAndDeletion1700000028200 implements MigrationInterface {
  name = 'EngineSignalsAndDeletion1700000028200';

  async up(qr: QueryRunner): Promise<void> {
    const keyType = isMysql(qr) ? 'bigint' : 'integer';
    const pk = (): TableColumnOptions => ({ name: 'id', type: keyType, isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
    const big = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
    const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
    await qr.createTable(new Table({
      name: 'engine_signal_subscriptions',
      columns: [pk(), str('signal_name', 255), big('root_id', true), big('process_instance_id', true), big('element_instance_id', true),
        str('element_id', 255), str('definition_key', 64, true), str('bpmn_process_id', 255), { name: 'interrupting', type: 'boolean' }, big('created_at')],
      indices: [
        { name: 'ix_engine_ssub_name', columnNames: ['signal_name'] },
        { name: 'ix_engine_ssub_ei', columnNames: ['element_instance_id'] },
        { name: 'ix_engine_ssub_def', columnNames: ['bpmn_process_id'] },
      ],
    }));
    await qr.createTable(new Table({
      name: 'engine_signals',
      columns: [pk(), str('name', 255), { name: 'variables', type: longText(qr), isNullable: true }, str('broadcast_by', 255), big('created_at')],
    }));
    await qr.addColumn('engine_process_definitions', new TableColumn({ name: 'deleted_at', type: 'bigint', isNullable: true }));
    await qr.addColumn('engine_forms', new TableColumn({ name: 'deleted_at', type: 'bigint', isNullable: true }));
    // DeleteResource names a resource by key alone, so a form's key must not be a process version's
    // too: new forms take keys from FORM_KEY_BASE on (rows already there keep theirs).
    if (isMysql(qr)) {
      await qr.query(`ALTER TABLE engine_forms AUTO_INCREMENT = ${FORM_KEY_BASE}`);
    } else {
      const [row] = (await qr.query("SELECT seq FROM sqlite_sequence WHERE name = 'engine_forms'")) as Array<{ seq: number }>;
      if (!row) await qr.query("INSERT INTO sqlite_sequence (name, seq) VALUES ('engine_forms', ?)", [FORM_KEY_BASE - 1]);
      else if (Number(row.seq) < FORM_KEY_BASE - 1) await qr.query("UPDATE sqlite_sequence SET seq = ? WHERE name = 'engine_forms'", [FORM_KEY_BASE - 1]);
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropColumn('engine_forms', 'deleted_at');
    await qr.dropColumn('engine_process_definitions', 'deleted_at');
    await qr.dropTable('engine_signals');
    await qr.dropTable('engine_signal_subscriptions');
  }
}
