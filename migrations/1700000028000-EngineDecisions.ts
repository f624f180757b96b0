import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { isMysql, longText } from '../src/db/portable';

const key = (qr: QueryRunner) => ({ name: 'key', type: isMysql(qr) ? 'bigint' : 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const });
const keyRef = (qr: QueryRunner, name: string) => ({ name, type: isMysql(qr) ? 'bigint' : 'integer' });
const ms = (name: string) => ({ name, type: 'bigint' });
const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });

/**
 * Deployed DMN resources of the embedded engine, versioned like processes: a decision requirements graph
 * (one .dmn resource, its XML) per DRG id and version, and each decision in it per decision id and version;
 * and the editor's drafts of decision tables.
 */
export class EngineDecisions1700000028000 implements MigrationInterface {
  name = 'EngineDecisions1700000028000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'engine_decision_requirements',
      columns: [
        key(qr), str('drg_id', 255), str('name', 255, true), { name: 'version', type: 'int' }, str('resource_name', 255),
        str('checksum', 64), { name: 'xml', type: longText(qr) }, keyRef(qr, 'deployment_key'), ms('deployed_at'),
      ],
      uniques: [{ name: 'uq_engine_drg_version', columnNames: ['drg_id', 'version'] }],
      foreignKeys: [{ columnNames: ['deployment_key'], referencedTableName: 'engine_deployments', referencedColumnNames: ['key'] }],
      indices: [{ name: 'ix_engine_drg_deployment', columnNames: ['deployment_key'] }],
    }));
    await qr.createTable(new Table({
      name: 'engine_decisions',
      columns: [
        key(qr), str('decision_id', 255), str('name', 255, true), { name: 'version', type: 'int' },
        keyRef(qr, 'drg_key'), str('drg_id', 255), keyRef(qr, 'deployment_key'), ms('deployed_at'),
      ],
      uniques: [{ name: 'uq_engine_decisions_version', columnNames: ['decision_id', 'version'] }],
      foreignKeys: [{ columnNames: ['drg_key'], referencedTableName: 'engine_decision_requirements', referencedColumnNames: ['key'] }],
      indices: [{ name: 'ix_engine_decisions_drg', columnNames: ['drg_key'] }],
    }));

    // Drafts of decision tables saved from the editor: every save a new version, as workflow_drafts.
    await qr.createTable(new Table({
      name: 'decision_drafts',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        // 191 characters keep the unique index within InnoDB's key limit under utf8mb4.
        { name: 'drg_id', type: 'varchar', length: '191' },
        { name: 'version', type: 'int' },
        { name: 'xml', type: longText(qr) },
        { name: 'checksum', type: 'varchar', length: '64' },
        { name: 'based_on_version', type: 'int', isNullable: true },
        { name: 'saved_by', type: 'varchar', length: '64' },
        { name: 'saved_at', type: 'bigint' },
      ],
      uniques: [{ name: 'uq_decision_drafts_version', columnNames: ['drg_id', 'version'] }],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['decision_drafts', 'engine_decisions', 'engine_decision_requirements']) await qr.dropTable(t);
  }
}
