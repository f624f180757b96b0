/**
 * `mail.send`: header `purpose` and `recipients` (roles: supervisor, handler, complainants,
 * police-liaison, arbitration-commission; defaults by purpose). The mail is written to the outbox in
 * the step's transaction under the job's key, so a redelivered job queues one mail; the sender
 * delivers it later (or leaves it unsent without credentials).
 */
import { z } from 'zod';
import { Actor, recordAudit } from '../audit/audit';
import { MailAddress, queueMail } from '../mail';
import { caseParties, mustFindCase } from '../cases/store';
import { defineWorker, opt, workerActor } from './define';
import type { MailDirectory, WorkerDeps } from './deps';

export const TASK_TYPE = 'mail.send';

export const input = z.object({
  caseId: z.string().uuid(),
  caseNumber: opt(z.string()),
  deadlines: opt(z.record(z.string(), z.unknown())),
  lastDocument: opt(z.object({ title: opt(z.string()), number: opt(z.string()) }).passthrough()),
});
export const output = z.object({});

/** Subject line and the default recipients of each purpose (workflows/README.md "Mail purposes"). */
export const PURPOSES: Record<string, { subject: string; recipients: string[]; deadline?: string }> = {
  'acceptance-overdue': { subject: '投诉举报受理期限已届满', recipients: ['supervisor'], deadline: 'acceptance' },
  'referral-social-insurance-audit': { subject: '转社会保险稽查', recipients: ['supervisor', 'complainants'] },
  'duplicate-linked': { subject: '新投诉已并入在办案件', recipients: ['handler'] },
  'completion-request': { subject: '请补正投诉材料', recipients: ['complainants'], deadline: 'completion' },
  'investigation-overdue': { subject: '案件调查期限已届满', recipients: ['handler', 'supervisor'], deadline: 'investigation' },
  'penalty-decision-due-soon': { subject: '行政处罚决定期限即将届满', recipients: ['handler', 'supervisor'], deadline: 'penaltyDecision' },
  'penalty-decision-overdue': { subject: '行政处罚决定期限已届满', recipients: ['supervisor'], deadline: 'penaltyDecision' },
  'arbitration-notice': { subject: '仲裁告知', recipients: ['complainants'] },
  'arbitration-findings': { subject: '案件移送函（仲裁）及调查材料', recipients: ['arbitration-commission'] },
  'police-decision-overdue': { subject: '公安机关逾期未作出立案决定', recipients: ['supervisor'], deadline: 'policeDecision' },
  'police-reminder': { subject: '涉嫌犯罪案件移送：请及时作出是否立案的决定', recipients: ['police-liaison'], deadline: 'policeDecision' },
  'police-reconsideration-overdue': { subject: '公安机关逾期未作出复议决定', recipients: ['supervisor'], deadline: 'reconsiderationAnswer' },
  'court-ruling-overdue': { subject: '人民法院保全裁定期限已届满', recipients: ['supervisor'], deadline: 'courtRuling' },
  'suit-required': { subject: '财产保全后须在30日内起诉或申请仲裁', recipients: ['handler', 'complainants'], deadline: 'preservationSuit' },
  'preservation-lapsed': { subject: '财产保全已因未起诉而解除', recipients: ['handler', 'supervisor'], deadline: 'preservationSuit' },
};

/**
 * Placeholder addresses per role and office (`supervisor@zz-eq.invalid`): users carry no address yet,
 * so mail is readable in the outbox and marked unsent until an installation supplies a directory.
 */
export const placeholderDirectory = (ds: WorkerDeps['ds']): MailDirectory => async (officeId, role) => {
  const rows: { code: string }[] = await ds.query('SELECT code FROM offices WHERE id = ?', [officeId]);
  const domain = `${(rows[0]?.code ?? 'office').toLowerCase().replace(/[^a-z0-9-]/g, '-')}.invalid`;
  return [{ email: `${role}@${domain}`, name: role }];
};

export function mailSend(deps: WorkerDeps) {
  const directory = deps.mailDirectory ?? placeholderDirectory(deps.ds);
  return defineWorker<typeof input, typeof output, { purpose?: string; recipients?: string }>({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const purpose = job.customHeaders.purpose ?? '';
      const spec = PURPOSES[purpose];
      if (!spec) return job.fail({ errorMessage: `mail.send: unknown purpose '${purpose}'`, retries: 0 });
      const roles = job.customHeaders.recipients ? job.customHeaders.recipients.split(',').map((r) => r.trim()).filter(Boolean) : spec.recipients;
      const c = await mustFindCase(deps.ds.manager, vars.caseId);
      const to: MailAddress[] = [];
      for (const role of roles) {
        if (role === 'complainants') {
          for (const p of await caseParties(deps.ds.manager, c.id)) if (p.role === 'complainant' && p.email) to.push({ email: p.email, name: p.name });
        } else {
          to.push(...(await directory(c.officeId, role)));
        }
      }
      const deadline = spec.deadline ? (vars.deadlines?.[spec.deadline] as { dueAt?: string; explanation?: string } | undefined) : undefined;
      const lines = [
        `案件编号：${c.caseNumber}`,
        spec.subject,
        ...(deadline?.dueAt ? [`期限：${deadline.dueAt}`, ...(deadline.explanation ? [`说明：${deadline.explanation}`] : [])] : []),
        ...(vars.lastDocument?.title ? [`文书：${vars.lastDocument.title}${vars.lastDocument.number ? ` ${vars.lastDocument.number}` : ''}`] : []),
      ];
      const now = deps.clock.now();
      const actor: Actor = workerActor(TASK_TYPE);
      return job.complete({}, async (em) => {
        if (!to.length) {
          // Nobody to write to (a complainant without an address): the timeline still says so.
          await recordAudit(em, actor, now, { action: 'mail.skipped', entityType: 'case', entityId: c.id, caseId: c.id, after: { purpose, roles, reason: 'no recipient address' } });
          return;
        }
        const id = await queueMail(em, {
          to: to.slice(0, 50), subject: `【${c.caseNumber}】${spec.subject}`, textBody: lines.join('\n'), purpose: purpose.replace(/-/g, '_'),
          idempotencyKey: `job:${job.key}`, officeId: c.officeId, caseId: c.id,
        }, deps.clock);
        await recordAudit(em, actor, now, { action: 'mail.queue', entityType: 'mail', entityId: id, caseId: c.id, after: { purpose, roles, to: to.map((a) => a.email) } });
      });
    },
  });
}
