/** Mail: the outbox written in the step's transaction, and the sender that delivers it through Mailjet. */
export { queueMail, listMail, getMail, requeueMail } from './outbox';
export type { ListMailFilter } from './outbox';
export { MailSender } from './sender';
export type { MailSenderOptions, MailLogger, SendRunResult } from './sender';
export { createMailjetTransport, classifyMailjetError } from './mailjet-transport';
export type { MailTransport, OutboundMail, SendOutcome, MailjetCredentials } from './mailjet-transport';
export { MAIL_LIMITS, MAIL_STATES } from './types';
export type { MailState, MailAddress, MailAttachment, MailSummary, MailRecord, ProviderMessageId, QueueMailInput } from './types';
export { mailSenderSettings } from './settings';
export type { MailSettings } from './settings';
