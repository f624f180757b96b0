import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { longText } from '../src/db/portable';

const ref = (name: string, nullable = false) => ({ name, type: 'varchar', length: '36', isNullable: nullable });
const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });

/**
 * The durable mail outbox: rows are written in the transaction of the step that causes the mail and
 * sent later by the mail sender. No foreign keys to cases or documents: those tables belong to other
 * migrations, and a mail record is evidence that must outlive edits to them.
 */
export class Mail1700000005000 implements MigrationInterface {
  name = 'Mail1700000005000';

  async up(qr: QueryRunner): Promise<void> {
    const text = (name: string, nullable = false) => ({ name, type: longText(qr), isNullable: nullable });
    await qr.createTable(new Table({
      name: 'mail_outbox',
      columns: [
        { ...ref('id'), isPrimary: true },
        ref('office_id', true), ref('case_id', true), ref('document_id', true),
        text('to_json'),
        str('subject', 255),
        text('text_body'), text('html_body', true),
        // Bodies and their metadata apart, so lists never load the base64.
        text('attachments', true), text('attachments_meta', true),
        str('purpose', 64),
        // 191 characters keep the unique index within InnoDB's key limit under utf8mb4.
        str('idempotency_key', 191, true),
        str('state', 32),
        { name: 'attempts', type: 'int', default: 0 },
        ms('next_attempt_at'),
        // Set when an attempt may have reached Mailjet without our knowing (timeout, crash mid-send).
        { name: 'outcome_unknown', type: 'int', default: 0 },
        text('last_error', true),
        text('provider_message_ids', true),
        ms('lease_until', true), str('lease_token', 36, true),
        ms('created_at'), ms('sent_at', true),
      ],
      uniques: [{ name: 'uq_mail_outbox_idempotency', columnNames: ['idempotency_key'] }],
      indices: [
        { name: 'ix_mail_outbox_due', columnNames: ['state', 'next_attempt_at'] },
        { name: 'ix_mail_outbox_case', columnNames: ['case_id', 'created_at'] },
        { name: 'ix_mail_outbox_lease', columnNames: ['lease_token'] },
      ],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('mail_outbox');
  }
}
