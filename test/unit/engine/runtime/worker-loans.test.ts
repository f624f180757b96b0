import { EventEmitter } from 'node:events';
import type { ActivatedJob, EmbeddedEngine } from '../../../../src/engine/runtime/engine';
import type { JobStream } from '../../../../src/engine/runtime/step';
import { WorkerRuntime } from '../../../../src/engine/runtime/worker-runtime';

const job = (key: string): ActivatedJob => ({
  key, type: 'loan', processInstanceKey: '1', bpmnProcessId: 'p', processDefinitionVersion: 1, processDefinitionKey: '1',
  elementId: 'task', elementInstanceKey: key, customHeaders: {}, worker: 'embedded', retries: 3, deadline: Date.now() + 60_000, variables: {},
});

/**
 * The worker runtime's slots, against an engine stand-in that only records what the runtime asks:
 * a job that has answered lends its slot once, and only to a job that the step answering it pushes.
 */
describe('worker runtime slot loans', () => {
  test('one loan per answer, to the answering step only; other pushes wait for a free slot', async () => {
    let stream: JobStream | undefined;
    const seen: Record<string, boolean> = {};
    const first = job('1');
    const engine = {
      events: new EventEmitter(),
      openJobStream: (_type: string, s: JobStream) => { stream = s; return () => { stream = undefined; }; },
      activateJobs: async () => [],
      // What the step answering a job would ask for when it creates the next jobs.
      completeJob: async (_key: string, _vars: unknown, opts: { job?: ActivatedJob }) => {
        seen.otherStep = stream!.reserve();
        seen.otherLender = stream!.reserve(job('99'));
        seen.ownStep = stream!.reserve(opts.job);
        seen.ownStepAgain = stream!.reserve(opts.job);
        if (seen.ownStep) stream!.release();
      },
      failJob: async () => undefined,
      throwError: async () => undefined,
    } as unknown as EmbeddedEngine;
    const workers = new WorkerRuntime(engine, { concurrency: 1, pollIntervalMs: 600_000 });
    let answered!: () => void;
    const done = new Promise<void>((r) => { answered = r; });
    workers.register({ taskType: 'loan', timeoutMs: 60_000, handler: async (j) => { const ack = await j.complete({}); answered(); return ack; } });
    workers.start();
    expect(stream!.reserve()).toBe(true);
    expect(stream!.reserve()).toBe(false); // the only slot is taken
    stream!.push(first);
    await done;
    expect(seen).toEqual({ otherStep: false, otherLender: false, ownStep: true, ownStepAgain: false });
    await workers.stop();
  });
});
