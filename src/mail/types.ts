/**
 * What a queued mail is made of, validated once at the door of the outbox.
 * Size limits follow Mailjet's Send API (15 MB per message, base64 included) and keep one row well
 * under MariaDB's default 16 MiB max_allowed_packet.
 */
import { z } from 'zod';

export const MAIL_LIMITS = {
  recipients: 50,
  subjectChars: 255,
  bodyChars: 1_000_000,
  attachments: 10,
  /** Decoded bytes of all attachments together; base64 adds a third on the wire. */
  attachmentBytesTotal: 10 * 1024 * 1024,
} as const;

/**
 * pending: waiting for its next attempt · sending: leased by a sender · sent: Mailjet accepted it ·
 * failed: refused for good, or out of attempts · unsent_no_credentials: no Mailjet credentials are
 * configured; sent once they are.
 */
export const MAIL_STATES = ['pending', 'sending', 'sent', 'failed', 'unsent_no_credentials'] as const;
export type MailState = (typeof MAIL_STATES)[number];

export const mailAddressSchema = z.object({
  email: z.email().max(254),
  name: z.string().trim().max(200).optional(),
});
export type MailAddress = z.infer<typeof mailAddressSchema>;

export const mailAttachmentSchema = z.object({
  // Path separators and control characters would let a filename pose as something else in mail clients.
  filename: z.string().min(1).max(255).regex(/^[^\\/\u0000-\u001f]+$/, 'no path separators or control characters'),
  contentType: z.string().regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i, 'a MIME type such as application/pdf'),
  base64: z.base64().min(1),
});
export type MailAttachment = z.infer<typeof mailAttachmentSchema>;

export function decodedBase64Bytes(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - padding;
}

const optionalRef = z.string().min(1).max(36).optional();

export const queueMailSchema = z.object({
  to: z.array(mailAddressSchema).min(1).max(MAIL_LIMITS.recipients),
  subject: z.string().trim().min(1).max(MAIL_LIMITS.subjectChars),
  textBody: z.string().min(1).max(MAIL_LIMITS.bodyChars),
  htmlBody: z.string().min(1).max(MAIL_LIMITS.bodyChars).optional(),
  attachments: z.array(mailAttachmentSchema).max(MAIL_LIMITS.attachments).default([]),
  purpose: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a snake_case purpose such as notice_to_party'),
  idempotencyKey: z.string().min(1).max(191).optional(),
  officeId: optionalRef,
  caseId: optionalRef,
  documentId: optionalRef,
}).superRefine((v, ctx) => {
  const total = v.attachments.reduce((sum, a) => sum + decodedBase64Bytes(a.base64), 0);
  if (total > MAIL_LIMITS.attachmentBytesTotal) {
    ctx.addIssue({ code: 'custom', path: ['attachments'], message: `attachments total ${total} bytes; the limit is ${MAIL_LIMITS.attachmentBytesTotal}` });
  }
});
export type QueueMailInput = z.input<typeof queueMailSchema>;

/** One message id per recipient, as Mailjet reports it. */
export interface ProviderMessageId {
  email: string;
  messageId: string;
  messageUuid?: string;
}

export interface MailAttachmentInfo {
  filename: string;
  contentType: string;
  bytes: number;
}

/** A mail as lists show it: no bodies, no attachment content. */
export interface MailSummary {
  id: string;
  officeId: string | null;
  caseId: string | null;
  documentId: string | null;
  to: MailAddress[];
  subject: string;
  purpose: string;
  state: MailState;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  providerMessageIds: ProviderMessageId[];
  attachments: MailAttachmentInfo[];
  createdAt: Date;
  sentAt: Date | null;
}

export interface MailRecord extends MailSummary {
  textBody: string;
  htmlBody: string | null;
  idempotencyKey: string | null;
  /** Whether an earlier attempt may have reached Mailjet without our knowing. */
  outcomeUnknown: boolean;
  attachmentContents: MailAttachment[];
}
