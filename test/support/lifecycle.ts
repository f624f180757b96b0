/**
 * Driving case lifecycles in tests through the real engine: register a complaint over HTTP, wait for
 * the workers to bring the process to its next wait state, complete user tasks by element id,
 * publish messages, move the clock. Every wait fails early with the open incidents, if any.
 */
import type { TestApp } from './app';
import { makeCreditCode } from '../../src/cases/credit-code';

export interface Lifecycle {
  t: TestApp;
  /** Waits until no job is waiting for a worker or being worked on; throws on an incident. */
  settle(timeoutMs?: number): Promise<void>;
  /** The open user task `elementId` of the case (in any of its process instances). */
  task(caseId: string, elementId: string, timeoutMs?: number): Promise<{ key: string; variables: Record<string, unknown> }>;
  complete(caseId: string, elementId: string, variables?: Record<string, unknown>, username?: string): Promise<Record<string, unknown>>;
  message(name: string, caseNumber: string, variables?: Record<string, unknown>): Promise<string[]>;
  /** Moves the clock and fires due timers, then settles. */
  advance(duration: string): Promise<void>;
  caseRow(caseId: string): Promise<Record<string, unknown>>;
  openTasks(caseId: string): Promise<string[]>;
  /** Active elements of the case's process instances, for failure messages. */
  activeElements(caseId: string): Promise<string[]>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function lifecycle(t: TestApp): Lifecycle {
  const engine = t.core.engine;
  const incidents = async () => {
    const list = await engine.listIncidents({ state: 'active', limit: 20 });
    if (list.length) throw new Error(`incidents: ${list.map((i) => `${i.bpmnProcessId}/${i.elementId}: ${i.errorMessage}`).join(' | ')}`);
  };
  const pending = async (): Promise<number> => {
    const rows: { n: number | string }[] = await t.db.ds.query("SELECT COUNT(*) AS n FROM engine_jobs WHERE state <> 'failed'");
    return Number(rows[0].n);
  };
  const self: Lifecycle = {
    t,
    async settle(timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      let quiet = 0;
      while (Date.now() < end) {
        await incidents();
        if ((await pending()) === 0) {
          // What the warning rules open (a warning's process and its jobs) is part of coming to rest.
          if ((await t.core.warningRules.runOnce()) > 0) {
            quiet = 0;
            continue;
          }
          if (++quiet >= 2) return;
        } else {
          quiet = 0;
        }
        await sleep(50);
      }
      await incidents();
      throw new Error(`jobs still pending after ${timeoutMs} ms`);
    },
    async task(caseId, elementId, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        await incidents();
        for (const task of (await engine.listTasks({ limit: 500 })).filter((x) => x.elementId === elementId)) {
          const full = await engine.getTask(task.key);
          if (full.variables.caseId === caseId) return { key: task.key, variables: full.variables };
        }
        await sleep(50);
      }
      throw new Error(`no open task ${elementId} for case ${caseId}; open: ${(await self.openTasks(caseId)).join(', ')}; active elements: ${(await self.activeElements(caseId)).join(', ')}`);
    },
    async complete(caseId, elementId, variables = {}, username = 'supervisor') {
      const task = await self.task(caseId, elementId);
      await engine.completeTask(task.key, variables, username);
      await self.settle();
      return task.variables;
    },
    async message(name, caseNumber, variables = {}) {
      const r = await engine.publishMessage({ name, correlationKey: caseNumber, variables });
      await self.settle();
      return r.correlatedProcessInstanceKeys;
    },
    async advance(duration) {
      t.clock.advance(duration);
      await engine.tick();
      await self.settle();
      await engine.tick();
      await self.settle();
    },
    async caseRow(caseId) {
      const rows: Record<string, unknown>[] = await t.db.ds.query('SELECT * FROM cases WHERE id = ?', [caseId]);
      return rows[0];
    },
    async openTasks(caseId) {
      const out: string[] = [];
      for (const task of await engine.listTasks({ limit: 500 })) {
        const full = await engine.getTask(task.key);
        if (full.variables.caseId === caseId) out.push(task.elementId);
      }
      return out;
    },
    async activeElements(caseId) {
      const keys: { process_instance_key: string }[] = await t.db.ds.query('SELECT process_instance_key FROM case_processes WHERE case_id = ?', [caseId]);
      const out: string[] = [];
      for (const k of keys) {
        const pi = await engine.getInstance(String(k.process_instance_key));
        out.push(...pi.elements.filter((e) => e.state === 'active').map((e) => `${pi.bpmnProcessId}/${e.elementId}`));
        if (pi.state !== 'active') out.push(`${pi.bpmnProcessId}:${pi.state}`);
      }
      return out;
    },
  };
  return self;
}

/** A complaint body for POST /api/complaints; `overrides` replace top-level fields. */
export function complaintBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'complaint',
    channel: 'window',
    complainants: [{ name: '张三', idType: '居民身份证', idNumber: '410102199001011234', phone: '13800000001', email: 'zhangsan@example.com', address: '郑州市二七区' }],
    employer: { name: '郑州测试建筑劳务有限公司', creditCode: makeCreditCode('91410103MA1234567'), address: '郑州市二七区解放路 99 号' },
    workers: [{ name: '张三', amountOwed: 3000, monthsOwed: 3 }],
    claims: [{ category: 'wage-arrears', description: '拖欠 2026 年 8 月至 10 月工资', amount: 3000 }],
    summary: '投诉人称该公司拖欠其工资。',
    ...overrides,
  };
}

/** Twelve workers owed 3,000 元 each for three months. */
export function twelveWorkers(): { name: string; amountOwed: number; monthsOwed: number }[] {
  return Array.from({ length: 12 }, (_, i) => ({ name: `工人${i + 1}`, amountOwed: 3000, monthsOwed: 3 }));
}
