/** Resolving an incident of the embedded engine: the failed job gets a retry, or the failed step runs again. */
import { reject } from '../../rejection';
import { notFound, num, parseKey } from '../checks';
import type { EngineContext } from '../context';
import type { IncidentRow } from '../queries/incidents';
import { later, select } from '../tx';

/**
 * Resolves an incident and retries what failed. A job incident makes the job activatable again; its
 * retries, if used up, become 1 (Zeebe asks for an explicit retries update first; here resolving is
 * the retry, as the API promises). Other incidents re-run the element's step that failed.
 */
export async function resolveIncident(ctx: EngineContext, key: string): Promise<void> {
  const id = parseKey(key, 'INCIDENT_NOT_FOUND', 'incident');
  await ctx.step(undefined, async (step) => {
    const [first] = await select<{ root_id: number | string }>(step.em, 'SELECT root_id FROM engine_incidents WHERE id = ?', [id]);
    if (!first) throw notFound('INCIDENT_NOT_FOUND', `No incident ${key}.`);
    await step.lockRoot(num(first.root_id));
    const [inc] = await select<IncidentRow>(step.em, 'SELECT * FROM engine_incidents WHERE id = ?', [id]);
    if (inc.state !== 'active') throw reject.invalidState('INCIDENT_ALREADY_RESOLVED', `Incident ${key} is already resolved.`);
    await later(step.em, "UPDATE engine_incidents SET state = 'resolved', resolved_at = ? WHERE id = ?", [step.now, id]);
    if (inc.job_id !== null) {
      const [job] = await select<{ type: string }>(step.em, 'SELECT type FROM engine_jobs WHERE id = ?', [inc.job_id]);
      await later(step.em,
        "UPDATE engine_jobs SET state = 'activatable', retries = CASE WHEN retries < 1 THEN 1 ELSE retries END, available_at = ?, deadline = NULL, worker = NULL WHERE id = ?",
        [step.now, inc.job_id]);
      if (job) step.jobTypes.add(job.type);
      return;
    }
    const ei = await step.mustEi(num(inc.element_instance_id));
    if (ei.state !== 'active') return;
    const pi = await step.mustPi(ei.piId);
    const el = await step.element(pi, ei.elementId);
    if (inc.phase === 'complete') await step.complete(pi, ei, el, undefined);
    else await step.run(pi, ei, el);
  });
}
