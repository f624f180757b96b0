/**
 * An outside answer (police decision, court ruling, hearing request…) as a message to the case's
 * processes. The correlation key is the case number, so the sender must see that case
 * (src/auth/policy/message.ts); a known answer carries its fields (src/cases/answer-catalog.ts); no
 * message may set the variables the service itself writes (src/workers/system-variables.ts); completed
 * materials may name only an employer file the sender sees.
 */
import type { EntityManager } from 'typeorm';
import { Actor, recordAudit } from '../audit/audit';
import { allowed, authorize } from '../auth/policy';
import type { Principal } from '../auth/principal';
import { Employer } from '../db/entities';
import type { PublishedMessage, PublishMessageRequest, WorkflowEngine } from '../engine/port';
import { errors } from '../errors';
import { reservedNames } from '../workers/system-variables';
import { answerKind, checkAnswer } from './answer-catalog';
import { caseRefByNumber } from './case-refs';

export async function checkOutsideAnswer(em: EntityManager, p: Principal, msg: PublishMessageRequest, now: Date) {
  const caseRef = msg.correlationKey ? await caseRefByNumber(em, p.officeId, msg.correlationKey) : null;
  authorize(p, 'message.publish', { case: caseRef });
  const variables = msg.variables ?? {};
  const reserved = reservedNames(variables);
  if (reserved.length) {
    throw errors.validation(`A message may not set ${reserved.join(', ')}: the service sets them.`,
      reserved.map((k) => ({ path: `body.variables.${k}`, message: 'set by the service, not by a message' })));
  }
  // A known answer carries its catalogue's fields, each of its type (a real date, a listed choice…).
  const kind = answerKind(msg.name);
  if (kind) {
    const problems = checkAnswer(kind, variables, now.getTime());
    if (problems.length) throw errors.validation(`The answer does not fit ${msg.name} (${problems.slice(0, 3).map((d) => `${d.path}: ${d.message}`).join('; ')}).`, problems);
  }
  const employerId = (variables.complaint as { employer?: { employerId?: unknown } } | undefined)?.employer?.employerId;
  if (employerId !== undefined) {
    const file = typeof employerId === 'string' && /^[0-9a-f-]{36}$/i.test(employerId) ? await em.findOne(Employer, { where: { id: employerId } }) : null;
    if (!file || !allowed(p, 'employer.read', file)) throw errors.notFound('employer');
  }
  return caseRef;
}

/** Checks, publishes and audits in the caller's transaction. */
export async function publishOutsideAnswer(em: EntityManager, engine: WorkflowEngine, p: Principal, actor: Actor, now: Date, msg: PublishMessageRequest): Promise<PublishedMessage> {
  const caseRef = await checkOutsideAnswer(em, p, msg, now);
  const r = await engine.publishMessage(msg, em);
  if (!r.duplicate) {
    await recordAudit(em, actor, now, {
      action: 'message.publish', entityType: 'message', entityId: r.messageKey ?? `${msg.name}:${msg.correlationKey ?? ''}`, caseId: caseRef?.id ?? null,
      after: { name: msg.name, correlationKey: msg.correlationKey ?? '', messageId: msg.messageId ?? null, correlated: r.correlatedProcessInstanceKeys },
    });
  }
  return r;
}
