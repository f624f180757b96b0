import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { longText } from '../src/db/portable';

/**
 * Drafts of workflow diagrams saved from the editor. Each save is a new row (versioned per process),
 * so earlier drafts can be compared and restored; deploying does not remove them. No foreign key to
 * the engine's definitions: a draft may be the first version of a process that was never deployed.
 */
export class Drafts1700000009000 implements MigrationInterface {
  name = 'Drafts1700000009000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'workflow_drafts',
      columns: [
        { name: 'id', type: 'varchar', length: '36', isPrimary: true },
        // 191 characters keep the unique index within InnoDB's key limit under utf8mb4.
        { name: 'bpmn_process_id', type: 'varchar', length: '191' },
        { name: 'version', type: 'int' },
        { name: 'xml', type: longText(qr) },
        { name: 'checksum', type: 'varchar', length: '64' },
        { name: 'based_on_version', type: 'int', isNullable: true },
        { name: 'saved_by', type: 'varchar', length: '64' },
        { name: 'saved_at', type: 'bigint' },
      ],
      uniques: [{ name: 'uq_workflow_drafts_version', columnNames: ['bpmn_process_id', 'version'] }],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('workflow_drafts');
  }
}
