/**
 * A step's storage on SQLite. Writers are serialised by the database and the in-process mutex, and a
 * statement costs no round trip, so the only write held back is an element instance's end: it rides
 * along with the step's next element-instance insert, or goes out with `flush` before the commit.
 */
import { exec } from '../tx';
import { SqlStepState } from './sql-state';
import type { EI } from './step-state';

export class SqliteStepState extends SqlStepState {
  async lockRoot(): Promise<boolean> {
    return true; // SQLite serialises writers; the in-process mutex orders steps
  }

  async insertEi(piId: number | null, elementId: string, scopeId: number | null, kind: string): Promise<EI> {
    // Element instances that ended since the last insert ride along with this one: the upsert updates
    // their state and end time (only those two columns; the other values are never written). The new
    // row comes first, so the generated key the statement answers is its key.
    const ended = this.ended.splice(0);
    const rows = [[null, piId, elementId, scopeId, kind, 'active', this.now, null],
      ...ended.map(({ ei, state }) => [ei.id, ei.piId, ei.elementId, ei.scopeId, ei.kind, state, this.now, this.now])];
    const upsert = ended.length ? ' ON CONFLICT(id) DO UPDATE SET state = excluded.state, ended_at = excluded.ended_at' : '';
    const id = (await exec(this.em,
      `INSERT INTO engine_element_instances (id, process_instance_id, element_id, scope_id, kind, state, started_at, ended_at)
         VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}${upsert}`, rows.flat())).insertId;
    return this.cacheNewEi({ id, piId: piId ?? id, elementId, scopeId, kind, state: 'active' });
  }

  /** In memory at once; in the table with the next insert or `flush` (scopeBusy counts it as ended). */
  endEi(ei: EI, state: 'completed' | 'terminated'): void {
    ei.state = state;
    this.ended.push({ ei, state });
  }

  protected upsertVariablesSql(values: string): string {
    return `INSERT INTO engine_variables (scope_id, name, process_instance_id, value) VALUES ${values} ON CONFLICT(scope_id, name) DO UPDATE SET value = excluded.value`;
  }

  protected insertIgnore(): string {
    return 'INSERT OR IGNORE';
  }
}
