import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';
import { longText } from '../src/db/portable';

const id = (name = 'id') => ({ name, type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string, nullable = false) => ({ name, type: 'varchar', length: '36', isNullable: nullable });
const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const int = (name: string, nullable = false) => ({ name, type: 'int', isNullable: nullable });

/**
 * Prevention (两网化): patrol plans and patrols (日常巡查) per grid and month, three-colour warnings
 * (三色预警) with what was done about them, and the cursor of the warning rules over the audit log.
 * Employers and grids are referenced by id; the dashboard's counts come from indexes on grid and state.
 */
export class Prevention1700000024000 implements MigrationInterface {
  name = 'Prevention1700000024000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(new Table({
      name: 'patrol_plans',
      columns: [id(), ref('office_id'), ref('grid_id'), str('period', 7), int('planned_count'), str('created_by', 64), ms('created_at')],
      uniques: [{ name: 'uq_patrol_plans_grid_period', columnNames: ['grid_id', 'period'] }],
      foreignKeys: [{ columnNames: ['grid_id'], referencedTableName: 'grids', referencedColumnNames: ['id'] }],
    }));
    await qr.createTable(new Table({
      name: 'patrols',
      columns: [
        id(), ref('office_id'), ref('grid_id'), ref('employer_id'), ref('plan_id', true), str('period', 7),
        str('state', 16), ms('due_at'), ms('done_at', true), str('done_by', 64, true), str('outcome', 16, true),
        { name: 'findings_json', type: longText(qr), isNullable: true },
        ref('document_id', true), ref('case_id', true), ref('warning_id', true), str('process_instance_key', 32, true),
        ms('follow_up_due_at', true), str('follow_up_result', 16, true), ms('created_at'),
      ],
      foreignKeys: [
        { columnNames: ['employer_id'], referencedTableName: 'employers', referencedColumnNames: ['id'] },
        { columnNames: ['grid_id'], referencedTableName: 'grids', referencedColumnNames: ['id'] },
      ],
      indices: [
        { name: 'ix_patrols_office_period', columnNames: ['office_id', 'period', 'grid_id', 'state'] },
        { name: 'ix_patrols_grid_period', columnNames: ['grid_id', 'period', 'state'] },
        { name: 'ix_patrols_employer', columnNames: ['employer_id', 'done_at'] },
      ],
    }));
    await qr.createTable(new Table({
      name: 'warnings',
      columns: [
        id(), ref('office_id'), ref('grid_id'), ref('employer_id'), str('colour', 8), str('source', 16), str('state', 16),
        { name: 'reasons_json', type: longText(qr) }, str('reported_by', 64, true), ms('opened_at'), ms('due_at', true),
        ms('handled_at', true), int('handled_on_time', true), ms('closed_at', true), str('result', 32, true),
        { name: 'four_ones_json', type: longText(qr), isNullable: true }, int('escalations'),
        str('process_instance_key', 32, true), int('reopen_count'), ms('created_at'), ms('updated_at'),
      ],
      foreignKeys: [
        { columnNames: ['employer_id'], referencedTableName: 'employers', referencedColumnNames: ['id'] },
        { columnNames: ['grid_id'], referencedTableName: 'grids', referencedColumnNames: ['id'] },
      ],
      indices: [
        { name: 'ix_warnings_office_state', columnNames: ['office_id', 'state', 'grid_id', 'colour'] },
        { name: 'ix_warnings_grid_state', columnNames: ['grid_id', 'state', 'colour'] },
        { name: 'ix_warnings_employer', columnNames: ['employer_id', 'state'] },
        { name: 'ix_warnings_office_handled', columnNames: ['office_id', 'handled_at', 'grid_id', 'handled_on_time'] },
      ],
    }));
    await qr.createTable(new Table({
      name: 'warning_actions',
      columns: [
        id(), ref('warning_id'), ms('at'), str('colour', 8), str('action', 24), { name: 'note', type: longText(qr), isNullable: true },
        str('by_name', 64), str('idempotency_key', 64, true),
      ],
      uniques: [{ name: 'uq_warning_actions_key', columnNames: ['idempotency_key'] }],
      foreignKeys: [{ columnNames: ['warning_id'], referencedTableName: 'warnings', referencedColumnNames: ['id'] }],
      indices: [{ name: 'ix_warning_actions_warning', columnNames: ['warning_id', 'at'] }],
    }));
    // The dashboard's employer figures (placed, responsible officer, file complete and current) by grid, from the index alone.
    await qr.createIndex('employers', new TableIndex({
      name: 'ix_employers_supervision', columnNames: ['office_id', 'grid_id', 'responsible_staff_id', 'file_complete', 'file_collected_at'],
    }));
    await qr.createTable(new Table({
      name: 'prevention_cursors',
      columns: [{ ...str('name', 32), isPrimary: true }, ms('last_id'), ms('updated_at')],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('employers', 'ix_employers_supervision');
    for (const t of ['prevention_cursors', 'warning_actions', 'warnings', 'patrols', 'patrol_plans']) await qr.dropTable(t);
  }
}
