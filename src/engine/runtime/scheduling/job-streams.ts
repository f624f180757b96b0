/**
 * Job push: in-process workers open a stream per job type, and a step that creates a job of that type
 * reserves a slot on one of them so the job is handed over as soon as the step commits, without a poll
 * (see JobStream in step.ts). The worker that answered a job may lend its slot to the next job its own
 * step creates (`lender`).
 */
import type { ActivatedJob, JobStream } from '../step';

export class JobStreams {
  private readonly byType = new Map<string, JobStream[]>();

  /** Adds a stream for a job type; answers the function that closes it. */
  open(type: string, stream: JobStream): () => void {
    const list = this.byType.get(type) ?? [];
    list.push(stream);
    this.byType.set(type, list);
    return () => {
      const l = this.byType.get(type) ?? [];
      const i = l.indexOf(stream);
      if (i >= 0) l.splice(i, 1);
      if (!l.length) this.byType.delete(type);
    };
  }

  /** The first stream of the type with a free slot (taking it), or none. */
  reserve(type: string, lender?: ActivatedJob): JobStream | undefined {
    return this.byType.get(type)?.find((s) => s.reserve(lender));
  }
}
