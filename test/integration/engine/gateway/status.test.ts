import { status } from '@grpc/grpc-js';
import { AppError } from '../../../../src/errors';
import { boundedDetails, toStatus } from '../../../../src/engine/gateway/status';

describe('gateway statuses', () => {
  const internal = jest.fn();

  test('engine errors map to the gRPC codes a Zeebe gateway answers', () => {
    const code = (e: AppError) => toStatus(e, internal).code;
    expect(code(new AppError(404, 'JOB_NOT_FOUND', 'No job 1.'))).toBe(status.NOT_FOUND);
    expect(code(new AppError(400, 'INVALID_RETRIES', 'x'))).toBe(status.INVALID_ARGUMENT);
    expect(code(new AppError(409, 'JOB_NOT_ACTIVATABLE', 'x'))).toBe(status.FAILED_PRECONDITION);
    expect(code(new AppError(409, 'PROCESS_INSTANCE_NOT_ACTIVE', 'x'))).toBe(status.NOT_FOUND);
    expect(code(new AppError(409, 'EMPLOYER_EXISTS', 'x'))).toBe(status.ALREADY_EXISTS);
    expect(code(new AppError(503, 'DB_DOWN', 'x'))).toBe(status.UNAVAILABLE);
    expect(toStatus(new AppError(404, 'JOB_NOT_FOUND', 'No job 1.'), internal).details).toBe('JOB_NOT_FOUND: No job 1.');
    expect(internal).not.toHaveBeenCalled();
  });

  test('unexpected errors are logged and answered INTERNAL without their text', () => {
    const s = toStatus(new Error('SQLITE_CORRUPT at /secret/path'), internal);
    expect(s.code).toBe(status.INTERNAL);
    expect(s.details).not.toContain('secret');
    expect(internal).toHaveBeenCalledTimes(1);
  });

  test('a long problem list is cut to fit a gRPC trailer, saying how many were left out', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `- 案件.bpmn › Task_${i}: 不支持的元素 [subset]`);
    const d = boundedDetails('INVALID_DIAGRAM: refused', lines);
    expect(encodeURIComponent(d).length).toBeLessThanOrEqual(6000);
    expect(d).toMatch(/… and \d+ more\.$/);
    expect(boundedDetails('head', ['a', 'b'])).toBe('head\na\nb');
  });
});
