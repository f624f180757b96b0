import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { longText } from '../src/db/portable';

const id = (name = 'id') => ({ name, type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string, nullable = false) => ({ name, type: 'varchar', length: '36', isNullable: nullable });
const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });

/** Official documents: versioned templates, per-office number sequences, issued documents and their service (送达). */
export class Documents1700000004000 implements MigrationInterface {
  name = 'Documents1700000004000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'document_templates',
      columns: [id(), str('type_id', 64), { name: 'version', type: 'int' }, { name: 'body', type: longText(qr) }, str('created_by', 64), ms('created_at')],
      uniques: [{ name: 'uq_document_templates_version', columnNames: ['type_id', 'version'] }],
    }));
    await qr.createTable(new Table({
      name: 'document_sequences',
      columns: [
        { ...ref('office_id'), isPrimary: true }, { name: 'year', type: 'int', isPrimary: true }, { ...str('type_id', 64), isPrimary: true },
        { name: 'last_number', type: 'int' },
      ],
      foreignKeys: [{ columnNames: ['office_id'], referencedTableName: 'offices', referencedColumnNames: ['id'] }],
    }));
    await qr.createTable(new Table({
      name: 'documents',
      columns: [
        id(), ref('office_id'), ref('case_id', true), str('type_id', 64), str('number', 100), { name: 'year', type: 'int' }, { name: 'sequence', type: 'int' },
        { name: 'template_version', type: 'int' }, { name: 'data_json', type: longText(qr) },
        { name: 'html_sha256', type: 'char', length: '64' }, { name: 'pdf_sha256', type: 'char', length: '64' },
        ms('issued_at'), str('issued_by', 64), str('process_instance_key', 64, true), str('element_id', 255, true), str('idempotency_key', 200, true),
      ],
      uniques: [
        { name: 'uq_documents_number', columnNames: ['office_id', 'number'] },
        { name: 'uq_documents_sequence', columnNames: ['office_id', 'year', 'type_id', 'sequence'] },
        { name: 'uq_documents_idempotency', columnNames: ['idempotency_key'] },
      ],
      foreignKeys: [{ columnNames: ['office_id'], referencedTableName: 'offices', referencedColumnNames: ['id'] }],
      indices: [{ name: 'ix_documents_case', columnNames: ['case_id', 'issued_at'] }],
    }));
    await qr.createTable(new Table({
      name: 'document_services',
      columns: [
        id(), ref('document_id'), str('method', 32), ms('served_at'), str('receiver', 600, true), str('witness', 600, true),
        str('proof_name', 255, true), { name: 'proof_sha256', type: 'char', length: '64', isNullable: true },
        str('proof_media_type', 100, true), { name: 'proof_base64', type: longText(qr), isNullable: true },
        { name: 'details_json', type: longText(qr), isNullable: true },
        ms('effective_at'), str('recorded_by', 64), ms('recorded_at'),
      ],
      foreignKeys: [{ columnNames: ['document_id'], referencedTableName: 'documents', referencedColumnNames: ['id'] }],
      indices: [{ name: 'ix_document_services_document', columnNames: ['document_id', 'served_at'] }],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['document_services', 'documents', 'document_sequences', 'document_templates']) await qr.dropTable(t);
  }
}
