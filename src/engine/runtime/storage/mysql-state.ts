/**
 * A step's storage on MySQL/MariaDB, where a transaction's cost is mostly round trips. Element
 * instance keys come from reserved blocks (keys.ts), so no insert needs an answer: a step's writes
 * wait in the transaction's statement queue (db/statement-batch.ts) and go out with its next read or
 * its COMMIT. The element-instance writes between two reads are one upsert that stays open in the
 * queue: a step that moves a token past an element writes the new row and the old one's end together.
 */
import { EntityManager } from 'typeorm';
import { OpenWrite, deferOpen } from '../../../db/statement-batch';
import { later, select } from '../tx';
import { SqlStepState, StorageHost } from './sql-state';
import type { EI } from './step-state';

/** An element instance's columns, in the order of EI_COLUMNS. */
type EiValues = [id: number, processInstanceId: number | null, elementId: string, scopeId: number | null, kind: string, state: string, startedAt: number, endedAt: number | null];
const EI_COLUMNS = 'id, process_instance_id, element_id, scope_id, kind, state, started_at, ended_at';

export class MysqlStepState extends SqlStepState {
  /** The step's element-instance writes still waiting in the statement queue (see writeEiRow). */
  private eiWrite: { queued: OpenWrite; rows: Map<number, EiValues> } | null = null;
  private readonly nextKey: () => Promise<number>;

  constructor(host: StorageHost, em: EntityManager, now: number) {
    super(host, em, now);
    const next = host.nextElementKey;
    if (!next) throw new Error('MySQL steps take element-instance keys from reserved blocks (keys.ts)');
    this.nextKey = () => next.call(host);
  }

  async lockRoot(rootId: number): Promise<boolean> {
    const rows = await select(this.em, 'SELECT id FROM engine_process_instances WHERE id = ? FOR UPDATE', [rootId]);
    return rows.length > 0;
  }

  async insertEi(piId: number | null, elementId: string, scopeId: number | null, kind: string): Promise<EI> {
    const id = await this.nextKey();
    const values: EiValues = [id, piId, elementId, scopeId, kind, 'active', this.now, null];
    if (!this.writeEiRow(values)) {
      // Not batched (a step in the caller's ordinary transaction): the insert goes out by itself.
      await later(this.em, `INSERT INTO engine_element_instances (${EI_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, values);
    }
    return this.cacheNewEi({ id, piId: piId ?? id, elementId, scopeId, kind, state: 'active' });
  }

  /**
   * In memory at once; in the table with the open upsert when there is one, else with the next one
   * opened or `flush`. scopeBusy counts the ends not yet queued as ended.
   */
  endEi(ei: EI, state: 'completed' | 'terminated'): void {
    ei.state = state;
    const queued = this.eiWrite && !this.eiWrite.queued.sent ? this.eiWrite.rows.get(ei.id) : undefined;
    if (queued) {
      // Its insert has not been sent yet: the row goes in already ended.
      queued[5] = state;
      queued[7] = this.now;
      return;
    }
    if (this.writeEiRow([ei.id, ei.piId, ei.elementId, ei.scopeId, ei.kind, state, this.now, this.now], false)) return;
    this.ended.push({ ei, state });
  }

  /**
   * Puts an element instance's row into the step's open upsert in the statement queue, opening one
   * (with the ends written by nothing yet) when there is none or it has been sent. An existing row
   * only takes the upsert's state and end time. No queued write reads element instances, so rows may
   * join an upsert queued before other writes. `open` false: join an open upsert, never open one.
   * Answers false when the step has no queue (the caller writes the row itself).
   */
  private writeEiRow(values: EiValues, open = true): boolean {
    let w = this.eiWrite && !this.eiWrite.queued.sent ? this.eiWrite : null;
    if (!w) {
      if (!open) return false;
      const rows = new Map<number, EiValues>();
      const queued = deferOpen(this.em, () => {
        const all = [...rows.values()];
        return {
          sql: `INSERT INTO engine_element_instances (${EI_COLUMNS}) VALUES ${all.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
            ON DUPLICATE KEY UPDATE state = VALUES(state), ended_at = VALUES(ended_at)`,
          params: all.flat(),
        };
      });
      if (!queued) return false;
      w = this.eiWrite = { queued, rows };
      for (const { ei, state } of this.ended.splice(0)) rows.set(ei.id, [ei.id, ei.piId, ei.elementId, ei.scopeId, ei.kind, state, this.now, this.now]);
    }
    w.rows.set(values[0], values);
    return true;
  }

  protected upsertVariablesSql(values: string): string {
    return `INSERT INTO engine_variables (scope_id, name, process_instance_id, value) VALUES ${values} ON DUPLICATE KEY UPDATE value = VALUES(value)`;
  }

  protected insertIgnore(): string {
    return 'INSERT IGNORE';
  }
}
