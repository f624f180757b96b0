/**
 * `patrol.record`: the patrol's checklist and outcome, written on the patrol as the grid officer left
 * it (an upsert: a redelivery writes the same). Answers the problems found in words, for the order
 * and the case it may lead to.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/audit';
import { CHECKLIST_ITEMS, CHECKLIST_LABELS, PATROL_OUTCOMES } from '../prevention/model';
import { completedBy, mustFindPatrol } from '../prevention/patrols';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'patrol.record';

const item = opt(z.enum(['ok', 'problem', 'na']));
export const input = z.object({
  patrolId: z.string().uuid(),
  patrolOutcome: opt(z.enum(PATROL_OUTCOMES)),
  contracts: item, wageLedger: item, hours: item, socialInsurance: item, childFemale: item, rulesPosted: item,
  problemsFound: opt(z.string().max(5000)),
  photoRefs: opt(z.string().max(2000)),
});
export const output = z.object({ patrolProblems: z.string() });

export function patrolRecord(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const patrol = await mustFindPatrol(deps.ds.manager, vars.patrolId);
      const now = deps.clock.now();
      const problems = CHECKLIST_ITEMS.filter((k) => vars[k] === 'problem').map((k) => CHECKLIST_LABELS[k]);
      const findings = {
        checklist: Object.fromEntries(CHECKLIST_ITEMS.map((k) => [k, vars[k] ?? 'na'])),
        problems: vars.problemsFound ?? '', photoRefs: vars.photoRefs ?? '',
      };
      const summary = [problems.length ? `存在问题：${problems.join('、')}` : '未发现问题', vars.problemsFound ?? ''].filter(Boolean).join('。');
      const doneBy = await completedBy(deps.processes, job.processInstanceKey, 'Task_Patrol');
      return job.complete({ patrolProblems: summary }, async (em) => {
        await em.query(
          "UPDATE patrols SET state = 'done', done_at = COALESCE(done_at, ?), done_by = COALESCE(done_by, ?), outcome = ?, findings_json = ? WHERE id = ?",
          [now.getTime(), doneBy, vars.patrolOutcome ?? 'none', JSON.stringify(findings), patrol.id]);
        await recordAudit(em, workerActor(TASK_TYPE), now, { action: 'patrol.record', entityType: 'patrol', entityId: patrol.id, after: { outcome: vars.patrolOutcome ?? 'none', problems } });
      });
    },
  });
}
