import { status } from '@grpc/grpc-js';
import { EngineRejection, reject } from '../../../../src/engine/rejection';
import { boundedDetails, toStatus } from '../../../../src/engine/gateway/status';
import { AppError } from '../../../../src/errors';

describe('gateway statuses', () => {
  const internal = jest.fn();

  test('engine rejections map to the gRPC codes a Zeebe gateway answers', () => {
    const code = (e: EngineRejection) => toStatus(e, internal).code;
    expect(code(reject.notFound('JOB_NOT_FOUND', 'No job 1.'))).toBe(status.NOT_FOUND);
    expect(code(reject.invalidArgument('INVALID_RETRIES', 'x'))).toBe(status.INVALID_ARGUMENT);
    expect(code(reject.invalidState('JOB_NOT_ACTIVATABLE', 'x'))).toBe(status.FAILED_PRECONDITION);
    expect(code(reject.invalidState('PROCESS_INSTANCE_NOT_ACTIVE', 'x'))).toBe(status.NOT_FOUND);
    expect(code(reject.alreadyExists('MESSAGE_EXISTS', 'x'))).toBe(status.ALREADY_EXISTS);
    expect(code(reject.unavailable('DB_DOWN', 'x'))).toBe(status.UNAVAILABLE);
    expect(toStatus(reject.notFound('JOB_NOT_FOUND', 'No job 1.'), internal).details).toBe('JOB_NOT_FOUND: No job 1.');
    expect(internal).not.toHaveBeenCalled();
  });

  test('unexpected errors are logged and answered INTERNAL without their text', () => {
    const s = toStatus(new Error('SQLITE_CORRUPT at /secret/path'), internal);
    expect(s.code).toBe(status.INTERNAL);
    expect(s.details).not.toContain('secret');
    expect(internal).toHaveBeenCalledTimes(1);
    // The service's HTTP errors are no engine rejection: the gateway does not guess a code from a status.
    expect(toStatus(new AppError(404, 'DOCUMENT_NOT_FOUND', 'x'), internal).code).toBe(status.INTERNAL);
  });

  test('a long problem list is cut to fit a gRPC trailer, saying how many were left out', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `- 案件.bpmn › Task_${i}: 不支持的元素 [subset]`);
    const d = boundedDetails('INVALID_DIAGRAM: refused', lines);
    expect(encodeURIComponent(d).length).toBeLessThanOrEqual(6000);
    expect(d).toMatch(/… and \d+ more\.$/);
    expect(boundedDetails('head', ['a', 'b'])).toBe('head\na\nb');
  });
});
