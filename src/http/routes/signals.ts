/**
 * Broadcasting a signal to the running cases of one office (POST /api/signals): e.g. a new holiday
 * schedule or a changed rule reaching every case waiting for it. The diagrams say who listens (signal
 * catch, boundary and start events of the name); the broadcast is a supervisor's, to his own office,
 * or the administrator's, to the office he names or — said explicitly with `allOffices` — to every
 * office. It carries a reason and is audited with the names of the variables it carried (not their
 * values, which may hold personal data). The signal page reads which signals the diagrams declare and
 * how many of the office's cases wait for one. With ENGINE=zeebe these answer 409 ENGINE_CANNOT_BROADCAST.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import { authorize } from '../../auth/policy';
import type { Principal } from '../../auth/principal';
import type { SignalBroadcastResult, SignalsPage, SignalWaiting } from '../../contracts/signals';
import { inTransaction } from '../../db/data-source';
import { signalBroadcasterOf, type DeclaredSignal, type SignalBroadcaster } from '../../engine/signal-port';
import { errors } from '../../errors';
import { officeChoices, officeReach, waitingFor } from '../../signals/office-broadcast';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput } from '../validate';
import { noFields, route, type RouteDoc } from '../openapi';
import { refuseReservedVariables } from '../../tasks/reserved-variables';

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'a variable name');
const signalName = z.string().trim().min(1, 'give the signal name').max(255);
const target = {
  /** The office the broadcast reaches: a supervisor's own (the default for him); required of the administrator unless allOffices. */
  officeId: z.string().uuid('an office id').optional(),
  /** The administrator's broadcast to every office, audited as such. */
  allOffices: z.literal(true).optional(),
};
const noBoth = (v: { officeId?: string; allOffices?: true }) => !(v.officeId && v.allOffices);
const noBothMessage = { message: 'give either officeId or allOffices, not both', path: ['allOffices'] };
const broadcastBody = z.strictObject({
  /** The signal's name as the diagrams' bpmn:signal elements name it. */
  name: signalName,
  variables: z.record(variableName, z.unknown()).refine((v) => Object.keys(v).length <= 50, { message: 'at most 50 variables' }).optional(),
  reason: z.string().trim().min(2, 'give the reason (at least 2 characters)').max(500),
  ...target,
}).refine(noBoth, noBothMessage);
const waitingQuery = z.strictObject({
  name: signalName,
  officeId: target.officeId,
  allOffices: z.enum(['true']).transform(() => true as const).optional(),
}).refine(noBoth, noBothMessage);

/** The office a request is for: null for every office. A supervisor's default is his own; the administrator must say. */
function officeOf(principal: Principal, q: { officeId?: string; allOffices?: true }): string | null {
  if (q.allOffices) return null;
  if (q.officeId) return q.officeId;
  if (principal.roles.includes('admin')) {
    throw errors.badRequest('SIGNAL_OFFICE_REQUIRED', 'Name the office the signal goes to (officeId), or send it to every office with allOffices: true.');
  }
  return principal.officeId;
}

function engineOf(deps: AppDeps): SignalBroadcaster {
  const engine = signalBroadcasterOf(deps.engine);
  if (!engine) throw errors.conflict('ENGINE_CANNOT_BROADCAST', 'The engine cases run on (Zeebe) broadcasts signals in its own tools, not here.');
  return engine;
}

/** A name no deployed diagram declares and nothing waits for would reach nothing: most likely a typing error. */
async function checkKnown(engine: SignalBroadcaster, declared: DeclaredSignal[], name: string): Promise<DeclaredSignal | null> {
  const found = declared.find((s) => s.name === name) ?? null;
  if (!found && !(await engine.signalWaiters(name)).length) {
    throw errors.badRequest('UNKNOWN_SIGNAL', `No deployed diagram catches a signal named '${name}', and nothing waits for one.`);
  }
  return found;
}

async function checkOffice(deps: AppDeps, officeId: string | null): Promise<void> {
  if (officeId !== null && !(await officeChoices(deps.ds.manager)).some((o) => o.id === officeId)) throw errors.notFound('office', officeId);
}

export function signalRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api' });
  router.use('/signals', requireLogin);

  router.get('/signals', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'signal.read');
    parseInput(noFields, ctx.query, 'query');
    const engine = engineOf(deps);
    const offices = await officeChoices(deps.ds.manager);
    const isAdmin = principal.roles.includes('admin');
    const body: SignalsPage = {
      signals: (await engine.declaredSignals()).map((s) => ({
        name: s.name,
        catches: s.catches.map((c) => ({ processName: c.processName ?? '未命名流程', stepName: c.elementName ?? '未命名步骤', kind: c.kind, attachedToName: c.attachedToName })),
      })),
      officeName: isAdmin ? null : offices.find((o) => o.id === principal.officeId)?.name ?? null,
      offices: isAdmin ? offices : [],
    };
    ctx.body = body;
  });

  router.get('/signals/waiting', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'signal.read');
    const q = parseInput(waitingQuery, ctx.query, 'query');
    const officeId = officeOf(principal, q);
    authorize(principal, 'signal.broadcast', { officeId });
    const engine = engineOf(deps);
    await checkOffice(deps, officeId);
    const declared = await checkKnown(engine, await engine.declaredSignals(), q.name);
    const count = await waitingFor(engine, deps.ds.manager, q.name, officeId);
    const body: SignalWaiting = { ...count, starts: declared?.catches.filter((c) => c.kind === 'start').length ?? 0 };
    ctx.body = body;
  });

  router.post('/signals', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'signal.read');
    const body = parseInput(broadcastBody, ctx.request.body, 'body');
    // A signal's variables reach the instances it moves and those it starts: never the ones jobs trust.
    refuseReservedVariables(body.variables ?? {}, 'start');
    const officeId = officeOf(principal, body);
    authorize(principal, 'signal.broadcast', { officeId });
    const engine = engineOf(deps);
    await checkOffice(deps, officeId);
    await checkKnown(engine, await engine.declaredSignals(), body.name);
    const now = deps.clock.now();
    const r = await inTransaction(deps.ds, async (em) => {
      const res = await engine.broadcastSignal({
        signalName: body.name, variables: body.variables, broadcastBy: actor.name, reach: officeId === null ? undefined : officeReach(officeId, now.getTime()),
      }, em);
      await recordAudit(em, actor, now, {
        action: 'signal.broadcast', entityType: 'signal', entityId: res.signalKey,
        after: {
          name: body.name, variableNames: Object.keys(body.variables ?? {}), reason: body.reason,
          ...(officeId === null ? { allOffices: true } : { officeId }),
          triggered: res.triggeredProcessInstanceKeys.length, started: res.startedProcessInstanceKeys.length,
        },
      });
      return res;
    });
    ctx.status = 201;
    const answer: SignalBroadcastResult = { signalKey: r.signalKey, triggered: r.triggeredProcessInstanceKeys.length, started: r.startedProcessInstanceKeys.length };
    ctx.body = answer;
  });

  return router;
}

export const signalRouteDocs: RouteDoc[] = [
  route('get', '/api/signals', {
    summary: 'The signals the deployed diagrams catch, each with the diagrams and steps that catch it, and the offices a broadcast may go to', tag: 'process-instances',
    auth: 'admin, supervisor', query: noFields, responses: { 200: '{signals: [{name, catches: [{processName, stepName, kind, attachedToName}]}], officeName, offices}' },
    errors: { 403: ['FORBIDDEN'], 409: ['ENGINE_CANNOT_BROADCAST'] },
  }),
  route('get', '/api/signals/waiting', {
    summary: 'How many cases and other processes of the office wait for a signal now, and how many diagrams it would start', tag: 'process-instances',
    auth: 'admin (officeId or allOffices=true), supervisor (his office)', query: waitingQuery, responses: { 200: '{cases, otherProcesses, starts}' },
    errors: { 400: ['SIGNAL_OFFICE_REQUIRED', 'UNKNOWN_SIGNAL'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['ENGINE_CANNOT_BROADCAST'] },
  }),
  route('post', '/api/signals', {
    summary: 'Broadcast a signal to the running cases of one office (every waiting signal catch and boundary event of the name; a signal start event starts an instance recorded as that office\'s), or with allOffices to every office; with a reason; audited', tag: 'process-instances',
    auth: 'admin (officeId or allOffices), supervisor (his office)', body: broadcastBody, responses: { 201: '{signalKey, triggered, started}' },
    errors: { 400: ['VALIDATION_FAILED', 'RESERVED_VARIABLE', 'INVALID_SIGNAL_NAME', 'SIGNAL_OFFICE_REQUIRED', 'UNKNOWN_SIGNAL'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['ENGINE_CANNOT_BROADCAST'] },
  }),
];
