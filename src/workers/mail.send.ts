/**
 * `mail.send`: header `purpose` and `recipients` (roles: supervisor, handler, complainants,
 * police-liaison, court, arbitration-commission, social-insurance-audit; defaults by purpose), and
 * optionally `document` (a contract document type in `documents` to attach instead of the purpose's).
 * The mail is written to the outbox in the step's transaction under the job's key, so a redelivered
 * job queues one mail; the sender delivers it later (or leaves it unsent without credentials). Mail
 * about a document served on or sent to someone outside the office carries its PDF.
 */
import { z } from 'zod';
import type { DataSource, EntityManager } from 'typeorm';
import { Actor, recordAudit } from '../audit/audit';
import { MailAddress, MailAttachment, queueMail } from '../mail';
import { caseParties, mustFindCase } from '../cases/store';
import { deadlineAt } from '../cases/deadline-paths';
import { parseInstant } from '../cases/case-deadlines';
import { chinaDateTimeText } from '../deadlines/china-time';
import { getDocument, renderDocument } from '../documents/documents';
import { findDocumentType } from '../documents/document-types';
import { defineWorker, opt, workerActor } from './define';
import { configurationProblem } from './failure';
import type { DirectoryAnswer, MailContext, MailDirectory, WorkerDeps } from './deps';

export const TASK_TYPE = 'mail.send';

export const input = z.object({
  caseId: z.string().uuid(),
  caseNumber: opt(z.string()),
  deadlines: opt(z.record(z.string(), z.unknown())),
  documents: opt(z.record(z.string(), z.unknown())),
  lastDocument: opt(z.object({ id: opt(z.string().nullable()), documentType: opt(z.string()), title: opt(z.string()), number: opt(z.string().nullable()) }).passthrough()),
  // The case's inspectors (usernames), whose addresses the role `handler` prefers.
  leadInspector: opt(z.unknown()), secondInspector: opt(z.unknown()), teamLead: opt(z.unknown()), teamMember: opt(z.unknown()),
});
export const output = z.object({});

/**
 * Subject line, default recipients and the document attached (a contract document type looked up in
 * `documents`) of each purpose (workflows/README.md "Mail purposes").
 */
/** A deadline as people read it in a mail: '2026-10-13 23:59（北京时间）', whatever form the variable holds. */
function deadlineText(dueAt: string): string {
  const at = parseInstant(dueAt);
  return at === null ? dueAt : `${chinaDateTimeText(at)}（北京时间）`;
}

export const PURPOSES: Record<string, { subject: string; recipients: string[]; deadline?: string; document?: string }> = {
  'acceptance-overdue': { subject: '投诉举报受理期限已届满', recipients: ['supervisor'], deadline: 'intake.acceptanceDecision' },
  'referral-social-insurance-audit': { subject: '转社会保险稽查', recipients: ['supervisor', 'social-insurance-audit', 'complainants'] },
  'duplicate-linked': { subject: '新投诉已并入在办案件', recipients: ['handler'] },
  'completion-request': { subject: '请补正投诉材料', recipients: ['complainants'], deadline: 'intake.completion', document: 'completion-request' },
  'investigation-overdue': { subject: '案件调查期限已届满', recipients: ['handler', 'supervisor'], deadline: 'investigation.limit' },
  'penalty-decision-due-soon': { subject: '行政处罚决定期限即将届满', recipients: ['handler', 'supervisor'], deadline: 'punishment.decision' },
  'penalty-decision-overdue': { subject: '行政处罚决定期限已届满', recipients: ['supervisor'], deadline: 'punishment.decision' },
  'arbitration-notice': { subject: '仲裁告知', recipients: ['complainants'], document: 'arbitration-notice' },
  'arbitration-findings': { subject: '仲裁案件移送函及调查材料', recipients: ['arbitration-commission'], document: 'arbitration-transfer-letter' },
  'police-decision-overdue': { subject: '公安机关逾期未作出立案决定', recipients: ['supervisor'], deadline: 'police.decision' },
  'police-reminder': { subject: '涉嫌犯罪案件移送：请及时作出是否立案的决定', recipients: ['police-liaison'], deadline: 'police.decision', document: 'police-transfer' },
  'police-reconsideration-overdue': { subject: '公安机关逾期未作出复议决定', recipients: ['supervisor'], deadline: 'police.reconsiderationAnswer' },
  'court-ruling-overdue': { subject: '人民法院保全裁定期限已届满：请作出裁定', recipients: ['supervisor', 'court'], deadline: 'preservation.courtRuling', document: 'asset-preservation-application' },
  'suit-required': { subject: '财产保全后须在期限内起诉或申请仲裁', recipients: ['handler', 'complainants'], deadline: 'preservation.suitWithin' },
  'preservation-lapsed': { subject: '财产保全已因未起诉而解除', recipients: ['handler', 'supervisor'], deadline: 'preservation.suitWithin' },
};

/** Staff roles, whose addresses are the users'; every other role is an office contact (table office_contacts). */
const USER_ROLES = new Set(['intake', 'handler', 'legal', 'supervisor', 'admin']);

/** Whom a placeholder stands for, in the words the case page shows (the outbox keeps them too). */
const RECIPIENT_LABELS: Record<string, string> = {
  intake: '窗口受理人员', handler: '承办监察员', legal: '法制审核人员', supervisor: '大队负责人', admin: '系统管理员',
  complainants: '投诉人', court: '人民法院', 'police-liaison': '公安机关联络人', 'arbitration-commission': '劳动人事争议仲裁委员会',
  'social-insurance-audit': '社会保险稽核部门', 'supervisor-mailbox': '督办邮箱',
};

/**
 * Placeholder addresses per role and office (`supervisor@zz-eq.invalid`) for a role with no address on
 * file: the mail stays readable in the outbox, and the reserved .invalid domain (RFC 2606) never
 * reaches anyone.
 */
export const placeholderDirectory = (ds: Queryable) => async (officeId: string, role: string): Promise<MailAddress[]> => {
  const rows: { code: string }[] = await ds.query('SELECT code FROM offices WHERE id = ?', [officeId]);
  const domain = `${(rows[0]?.code ?? 'office').toLowerCase().replace(/[^a-z0-9-]/g, '-')}.invalid`;
  return [{ email: `${role}@${domain}`, name: RECIPIENT_LABELS[role] ?? '收件人' }];
};

/**
 * The data source, or a transaction's entity manager: the supervision runner looks addresses up in
 * the transaction of the escalation it fires.
 */
export type Queryable = Pick<DataSource, 'query'> | Pick<EntityManager, 'query'>;

type AddressRow = { email: string; name: string };
const addresses = (rows: AddressRow[]): MailAddress[] => rows.map((r) => ({ email: String(r.email), name: String(r.name) }));

/** The case's grid and every grid above it: a handler of a street sees its communities' cases. */
async function gridAndAncestors(ds: Queryable, gridId: string | null): Promise<string[]> {
  const out: string[] = [];
  for (let id = gridId; id && !out.includes(id) && out.length < 10;) {
    out.push(id);
    const rows: { parent_id: string | null }[] = await ds.query('SELECT parent_id FROM grids WHERE id = ?', [id]);
    id = rows[0]?.parent_id ?? null;
  }
  return out;
}

/**
 * The office's directory: outside roles (police liaison, court…) from office_contacts; staff roles
 * from the active users of that role with an address (supervisors also reach the supervisor mailbox);
 * `handler` from the case's inspectors, else the handlers of its grid. A role with nobody on file gets
 * the placeholder.
 */
export function officeDirectory(ds: Queryable): MailDirectory {
  const placeholder = placeholderDirectory(ds);
  const contact = async (officeId: string, role: string): Promise<MailAddress[]> =>
    addresses(await ds.query('SELECT name, email FROM office_contacts WHERE office_id = ? AND role = ?', [officeId, role]));
  const usersOf = async (officeId: string, role: string, extra = '', params: unknown[] = []): Promise<MailAddress[]> =>
    addresses(await ds.query(
      `SELECT DISTINCT u.display_name AS name, u.email AS email, u.username FROM users u JOIN user_roles r ON r.user_id = u.id
       WHERE u.office_id = ? AND r.role = ? AND u.active = 1 AND u.email IS NOT NULL AND u.email <> ''${extra} ORDER BY u.username`,
      [officeId, role, ...params],
    ));
  const inList = (n: number) => Array.from({ length: n }, () => '?').join(', ');
  return async (officeId, role, context?: MailContext): Promise<DirectoryAnswer> => {
    let found: MailAddress[] = [];
    if (role === 'handler') {
      const names = [...new Set(context?.inspectors ?? [])];
      if (names.length) found = await usersOf(officeId, 'handler', ` AND u.username IN (${inList(names.length)})`, names);
      const grids = found.length ? [] : await gridAndAncestors(ds, context?.gridId ?? null);
      if (grids.length) {
        found = await usersOf(officeId, 'handler', ` AND u.id IN (SELECT g.user_id FROM user_grids g WHERE g.grid_id IN (${inList(grids.length)}))`, grids);
      }
    } else if (USER_ROLES.has(role)) {
      found = await usersOf(officeId, role);
      if (role === 'supervisor') found.push(...(await contact(officeId, 'supervisor-mailbox')));
    } else {
      found = await contact(officeId, role);
    }
    return found.length ? { addresses: found, placeholder: false } : { addresses: await placeholder(officeId, role), placeholder: true };
  };
}

/**
 * The addresses of named users of the office (an assignee, the owner of a supervision), each by its
 * email on file, else its placeholder `<username>@<office>.invalid`; `placeholder` lists who had none.
 */
export async function userAddresses(ds: Queryable, officeId: string, usernames: string[]): Promise<{ addresses: MailAddress[]; placeholder: string[] }> {
  const names = [...new Set(usernames)];
  if (!names.length) return { addresses: [], placeholder: [] };
  const rows: { username: string; name: string; email: string | null }[] = await ds.query(
    `SELECT username, display_name AS name, email FROM users WHERE office_id = ? AND active = 1 AND username IN (${names.map(() => '?').join(', ')})`,
    [officeId, ...names]);
  const byName = new Map(rows.filter((r) => r.email && String(r.email).trim() !== '').map((r) => [String(r.username), { email: String(r.email), name: String(r.name) }]));
  const addresses: MailAddress[] = [];
  const placeholder: string[] = [];
  for (const n of names) {
    const found = byName.get(n);
    if (found) addresses.push(found);
    else {
      placeholder.push(n);
      addresses.push(...(await placeholderDirectory(ds)(officeId, n)));
    }
  }
  return { addresses, placeholder };
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

export function mailSend(deps: WorkerDeps) {
  const directory = deps.mailDirectory ?? officeDirectory(deps.ds);
  return defineWorker<typeof input, typeof output, { purpose?: string; recipients?: string; document?: string }>({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const purpose = job.customHeaders.purpose ?? '';
      const spec = PURPOSES[purpose];
      if (!spec) return job.fail({ errorMessage: configurationProblem(TASK_TYPE, '邮件用途不存在'), retries: 0 });
      const roles = job.customHeaders.recipients ? job.customHeaders.recipients.split(',').map((r) => r.trim()).filter(Boolean) : spec.recipients;
      const c = await mustFindCase(deps.ds.manager, vars.caseId);
      const context: MailContext = {
        gridId: c.gridId,
        inspectors: [vars.leadInspector, vars.secondInspector, vars.teamLead, vars.teamMember].map(text).filter((x): x is string => !!x),
      };
      const to: MailAddress[] = [];
      const placeholderRoles: string[] = [];
      for (const role of roles) {
        if (role === 'complainants') {
          for (const p of await caseParties(deps.ds.manager, c.id)) if (p.role === 'complainant' && p.email) to.push({ email: p.email, name: p.name });
        } else {
          const answer = await directory(c.officeId, role, context);
          if (answer.placeholder) placeholderRoles.push(role);
          to.push(...answer.addresses);
        }
      }
      // One person may answer for two roles (a supervisor who is also the mailbox): one copy each.
      const seen = new Set<string>();
      const recipients = to.filter((a) => !seen.has(a.email.toLowerCase()) && !!seen.add(a.email.toLowerCase()));
      if (placeholderRoles.length) {
        deps.logger.warn({ caseId: c.id, purpose, roles: placeholderRoles }, 'mail.send: no address on file for these roles; placeholder addresses used (set them under /api/contacts or the users\' email)');
      }
      const documentId = attachedDocumentId(job.customHeaders.document ?? spec.document, vars);
      const deadline = spec.deadline ? deadlineAt<{ dueAt?: string; explanation?: string }>(vars.deadlines, spec.deadline) : undefined;
      const lines = [
        `案件编号：${c.caseNumber}`,
        spec.subject,
        ...(deadline?.dueAt ? [`期限：${deadlineText(deadline.dueAt)}`, ...(deadline.explanation ? [`说明：${deadline.explanation}`] : [])] : []),
        ...(vars.lastDocument?.title && !documentId ? [`文书：${vars.lastDocument.title}${vars.lastDocument.number ? ` ${vars.lastDocument.number}` : ''}`] : []),
        ...(placeholderRoles.length ? [`（以下收件角色未登记邮箱，已使用占位地址，邮件不会送达：${placeholderRoles.join('、')}）`] : []),
      ];
      const now = deps.clock.now();
      const actor: Actor = workerActor(TASK_TYPE);
      return job.complete({}, async (em) => {
        if (!recipients.length) {
          // Nobody to write to (a complainant without an address): the timeline still says so.
          await recordAudit(em, actor, now, { action: 'mail.skipped', entityType: 'case', entityId: c.id, caseId: c.id, after: { purpose, roles, reason: 'no recipient address' } });
          return;
        }
        // The PDF is rendered from the issued record in this transaction, so the mail carries exactly
        // the document on file (byte-identical to a later download).
        const attachments: MailAttachment[] = [];
        if (documentId) {
          const doc = await getDocument(em, documentId);
          const title = findDocumentType(doc.typeId)?.title ?? doc.typeId;
          attachments.push({ filename: `${title} ${doc.number}.pdf`, contentType: 'application/pdf', base64: (await renderDocument(em, documentId, 'pdf')).toString('base64') });
          lines.push(`附件：${title} ${doc.number}`);
        }
        const id = await queueMail(em, {
          to: recipients.slice(0, 50), subject: `【${c.caseNumber}】${spec.subject}`, textBody: lines.join('\n'), purpose: purpose.replace(/-/g, '_'),
          idempotencyKey: `job:${job.key}`, officeId: c.officeId, caseId: c.id, attachments, ...(documentId ? { documentId } : {}),
        }, deps.clock);
        await recordAudit(em, actor, now, {
          action: 'mail.queue', entityType: 'mail', entityId: id, caseId: c.id,
          after: { purpose, roles, to: recipients.map((a) => a.email), ...(documentId ? { documentId } : {}), ...(placeholderRoles.length ? { placeholderRoles } : {}) },
        });
      });
    },
  });
}

/** The issued document a mail is about: the contract type's entry in `documents`, else `lastDocument` of that type. */
function attachedDocumentId(documentType: string | undefined, vars: z.output<typeof input>): string | undefined {
  if (!documentType) return undefined;
  const entry = vars.documents?.[documentType] as { id?: unknown } | undefined;
  if (typeof entry?.id === 'string' && entry.id) return entry.id;
  if (vars.lastDocument?.documentType === documentType && vars.lastDocument.id) return vars.lastDocument.id;
  return undefined;
}
