import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { isMysql, longText } from '../src/db/portable';

// SQLite allows AUTOINCREMENT only on INTEGER PRIMARY KEY (64-bit there); MySQL needs BIGINT for 64 bits.
const key = (qr: QueryRunner) => ({ name: 'key', type: isMysql(qr) ? 'bigint' : 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const });
const keyRef = (qr: QueryRunner, name: string) => ({ name, type: isMysql(qr) ? 'bigint' : 'integer' });
const ms = (name: string) => ({ name, type: 'bigint' });
const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });

/** Deployed BPMN processes and forms of the embedded engine: immutable, one row per version. */
export class EngineDefinitions1700000001000 implements MigrationInterface {
  name = 'EngineDefinitions1700000001000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'engine_deployments',
      columns: [key(qr), ms('deployed_at'), str('deployed_by', 64)],
    }));
    await qr.createTable(new Table({
      name: 'engine_process_definitions',
      columns: [
        key(qr), str('bpmn_process_id', 255), str('name', 255, true), { name: 'version', type: 'int' }, str('resource_name', 255),
        str('checksum', 64), { name: 'xml', type: longText(qr) }, keyRef(qr, 'deployment_key'), ms('deployed_at'),
      ],
      uniques: [{ name: 'uq_engine_pd_version', columnNames: ['bpmn_process_id', 'version'] }],
      foreignKeys: [{ columnNames: ['deployment_key'], referencedTableName: 'engine_deployments', referencedColumnNames: ['key'] }],
      indices: [{ name: 'ix_engine_pd_deployment', columnNames: ['deployment_key'] }],
    }));
    await qr.createTable(new Table({
      name: 'engine_forms',
      columns: [
        key(qr), str('form_id', 255), { name: 'version', type: 'int' }, str('resource_name', 255), str('checksum', 64),
        // "schema" is a reserved word in MySQL.
        { name: 'schema_json', type: longText(qr) }, keyRef(qr, 'deployment_key'), ms('deployed_at'),
      ],
      uniques: [{ name: 'uq_engine_forms_version', columnNames: ['form_id', 'version'] }],
      foreignKeys: [{ columnNames: ['deployment_key'], referencedTableName: 'engine_deployments', referencedColumnNames: ['key'] }],
      indices: [{ name: 'ix_engine_forms_deployment', columnNames: ['deployment_key'] }],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['engine_forms', 'engine_process_definitions', 'engine_deployments']) await qr.dropTable(t);
  }
}
