/**
 * The two mappings of engine rejections: to the service's HTTP answers (the error middleware) and to
 * the gRPC codes of the Zeebe gateway; and Zeebe mode reading a cluster's answers back into the same
 * kinds, so a refusal gets one HTTP status whichever engine runs.
 */
import { status } from '@grpc/grpc-js';
import { GRPC_CODE_OF_KIND, REST_STATUS_OF_KIND, toStatus } from '../../../src/engine/gateway/status';
import { EngineRejection, REJECTION_KINDS, reject, type RejectionKind } from '../../../src/engine/rejection';
import { fromGrpc, kindOfGrpc, kindOfRestStatus } from '../../../src/engine/zeebe/rejections';
import { restError } from '../../../src/engine/zeebe/tasks';
import { errorHandler, fromRejection, HTTP_STATUS_OF_REJECTION } from '../../../src/http/middleware/errors';
import type { AppContext } from '../../../src/http/context';

/** Runs the error middleware on a handler that throws `e`; answers status and body. */
async function answer(e: unknown): Promise<{ status: number; body: unknown }> {
  const ctx = { status: 200, body: undefined as unknown, path: '/api/x', method: 'GET', state: {}, set: () => undefined } as unknown as AppContext;
  await errorHandler(64)(ctx, async () => { throw e; });
  return { status: ctx.status, body: ctx.body };
}

describe('engine rejections', () => {
  test('every kind has an HTTP status, a gRPC code and a REST status', () => {
    for (const kind of REJECTION_KINDS) {
      expect(HTTP_STATUS_OF_REJECTION[kind]).toBeGreaterThanOrEqual(400);
      expect(GRPC_CODE_OF_KIND[kind]).toBeDefined();
      expect(REST_STATUS_OF_KIND[kind]).toBeGreaterThanOrEqual(400);
    }
  });

  test('HTTP: the statuses the routes answered before rejections existed, with the stable code and details', async () => {
    const http: Record<RejectionKind, number> = {
      NOT_FOUND: 404, INVALID_ARGUMENT: 400, INVALID_STATE: 409, ALREADY_EXISTS: 409, FAILED_PRECONDITION: 409, RESOURCE_EXHAUSTED: 429, UNAVAILABLE: 502,
    };
    expect(HTTP_STATUS_OF_REJECTION).toEqual(http);
    expect(await answer(reject.notFound('TASK_NOT_FOUND', 'No task 7.'))).toEqual({ status: 404, body: { error: { code: 'TASK_NOT_FOUND', message: 'No task 7.' } } });
    expect(await answer(reject.invalidArgument('INVALID_TIME_TO_LIVE', 'bad ttl'))).toMatchObject({ status: 400, body: { error: { code: 'INVALID_TIME_TO_LIVE' } } });
    expect(await answer(reject.invalidArgument('VARIABLE_NAME_TOO_LONG', 'long'))).toMatchObject({ status: 400, body: { error: { code: 'VARIABLE_NAME_TOO_LONG' } } });
    expect(await answer(reject.invalidState('TASK_ALREADY_CLAIMED', 'mine'))).toMatchObject({ status: 409, body: { error: { code: 'TASK_ALREADY_CLAIMED' } } });
    const problems = [{ resource: 'a.bpmn', path: 'Task_1', message: 'unsupported' }];
    expect(await answer(reject.invalidArgument('INVALID_DIAGRAM', 'refused', problems))).toMatchObject({ status: 400, body: { error: { code: 'INVALID_DIAGRAM', details: problems } } });
    expect(fromRejection(reject.unavailable('ZEEBE_UNAVAILABLE', 'down')).status).toBe(502);
  });

  test('gRPC: Zeebe gateway codes, the engine code in front of the message', () => {
    const expected: Record<RejectionKind, status> = {
      NOT_FOUND: status.NOT_FOUND, INVALID_ARGUMENT: status.INVALID_ARGUMENT, INVALID_STATE: status.FAILED_PRECONDITION, ALREADY_EXISTS: status.ALREADY_EXISTS,
      FAILED_PRECONDITION: status.FAILED_PRECONDITION, RESOURCE_EXHAUSTED: status.RESOURCE_EXHAUSTED, UNAVAILABLE: status.UNAVAILABLE,
    };
    for (const kind of REJECTION_KINDS) {
      expect(toStatus(new EngineRejection(kind, 'SOME_RULE', 'why'), () => undefined)).toEqual({ code: expected[kind], details: 'SOME_RULE: why' });
    }
  });

  test('Zeebe mode reads a gateway answer back to a rejection with the same HTTP status', () => {
    for (const kind of REJECTION_KINDS) {
      const grpcError = Object.assign(new Error('x'), { code: GRPC_CODE_OF_KIND[kind], details: 'refused' });
      // FAILED_PRECONDITION comes back as INVALID_STATE (Zeebe's meaning of that code): both answer 409.
      const back = fromGrpc(grpcError, { [kindOfGrpc(grpcError)!]: 'SOME_RULE' }) as EngineRejection;
      expect(back).toBeInstanceOf(EngineRejection);
      expect(back.code).toBe('SOME_RULE');
      expect(back.kind).toBe(kind === 'FAILED_PRECONDITION' ? 'INVALID_STATE' : kind);
      expect(HTTP_STATUS_OF_REJECTION[back.kind]).toBe(HTTP_STATUS_OF_REJECTION[kind]);
      const restBack = kindOfRestStatus(REST_STATUS_OF_KIND[kind]);
      expect(HTTP_STATUS_OF_REJECTION[restBack]).toBe(kind === 'UNAVAILABLE' ? 502 : HTTP_STATUS_OF_REJECTION[kind]);
    }
    expect(kindOfGrpc(Object.assign(new Error('x'), { code: status.FAILED_PRECONDITION }))).toBe('INVALID_STATE');
    expect(kindOfGrpc(new Error('no gRPC code'))).toBeUndefined();
    const plain = new Error('socket hang up');
    expect(fromGrpc(plain)).toBe(plain);
  });

  test('Zeebe mode: REST refusals about a user task keep their stable codes', () => {
    const http = (statusCode: number) => Object.assign(new Error('HTTP'), { response: { statusCode, body: { detail: 'no' } } });
    expect(restError(http(404), '5')).toMatchObject({ kind: 'NOT_FOUND', code: 'TASK_NOT_FOUND' });
    expect(restError(http(409), '5')).toMatchObject({ kind: 'INVALID_STATE', code: 'TASK_CONFLICT' });
    expect(restError(http(400), '5')).toMatchObject({ kind: 'INVALID_ARGUMENT', code: 'TASK_REJECTED' });
    expect(restError(http(500), '5')).toMatchObject({ kind: 'UNAVAILABLE', code: 'ZEEBE_UNAVAILABLE' });
  });
});
