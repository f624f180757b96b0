import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { longText } from '../src/db/portable';

/** Zeebe keys are 64-bit integers, kept as decimal strings (JavaScript numbers lose their last digits). */
const key = (name: string, nullable = false) => ({ name, type: 'varchar', length: '24', isNullable: nullable });
const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
const str = (name: string, length: number, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });

/**
 * What the service knows of the work running on a Zeebe cluster (ENGINE=zeebe), since Operate's data
 * store is not ours: the process instances it started or saw jobs of, the element events its workers
 * and the user task sync recorded, the incidents its workers caused, and the user tasks of the inbox.
 * Rows are keyed by Zeebe's keys, so an event or a task delivered twice is stored once.
 */
export class ZeebeMirror1700000010000 implements MigrationInterface {
  name = 'ZeebeMirror1700000010000';

  async up(qr: QueryRunner): Promise<void> {
    const text = (name: string, nullable = false) => ({ name, type: longText(qr), isNullable: nullable });
    await qr.createTable(new Table({
      name: 'zeebe_instances',
      columns: [
        { ...key('process_instance_key'), isPrimary: true },
        str('bpmn_process_id', 255), { name: 'version', type: 'int' }, key('definition_key'),
        str('business_key', 191, true),
        str('state', 16),
        ms('started_at'), ms('ended_at', true),
      ],
      uniques: [{ name: 'uq_zeebe_instances_business_key', columnNames: ['bpmn_process_id', 'business_key'] }],
    }));
    await qr.createTable(new Table({
      name: 'zeebe_element_events',
      columns: [
        { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
        // What makes an event unique (element instance and event, or job, event and retries left).
        str('dedupe_key', 191),
        key('process_instance_key'), key('element_instance_key'), str('element_id', 255), str('kind', 32),
        str('event', 32), key('job_key', true), text('detail', true),
        ms('at'),
      ],
      uniques: [{ name: 'uq_zeebe_element_events_dedupe', columnNames: ['dedupe_key'] }],
      indices: [{ name: 'ix_zeebe_element_events_instance', columnNames: ['process_instance_key', 'id'] }],
    }));
    await qr.createTable(new Table({
      name: 'zeebe_incidents',
      columns: [
        // The job whose retries ran out: our key for the incident, and what resolving retries.
        { ...key('job_key'), isPrimary: true },
        key('process_instance_key'), key('element_instance_key'), str('element_id', 255), str('bpmn_process_id', 255),
        str('error_type', 64), text('error_message', true),
        str('state', 16), ms('created_at'), ms('resolved_at', true),
      ],
      indices: [{ name: 'ix_zeebe_incidents_state', columnNames: ['state', 'process_instance_key'] }],
    }));
    await qr.createTable(new Table({
      name: 'zeebe_user_tasks',
      columns: [
        { ...key('user_task_key'), isPrimary: true },
        key('process_instance_key'), key('element_instance_key'), str('element_id', 255),
        str('bpmn_process_id', 255), key('process_definition_key'),
        str('name', 255, true), str('form_id', 255, true), str('assignee', 64, true),
        text('candidate_groups'), text('candidate_users'),
        ms('due_date', true), ms('follow_up_date', true), { name: 'priority', type: 'int', default: 50 },
        str('state', 16), ms('created_at'), ms('completed_at', true), str('completed_by', 64, true),
        ms('synced_at'),
      ],
      indices: [
        { name: 'ix_zeebe_user_tasks_state_assignee', columnNames: ['state', 'assignee'] },
        { name: 'ix_zeebe_user_tasks_instance', columnNames: ['process_instance_key'] },
      ],
    }));
    await qr.createTable(new Table({
      name: 'zeebe_user_task_candidates',
      columns: [
        { ...key('user_task_key'), isPrimary: true },
        { ...str('kind', 8), isPrimary: true },
        { ...str('name', 128), isPrimary: true },
      ],
      indices: [{ name: 'ix_zeebe_user_task_candidates_name', columnNames: ['kind', 'name'] }],
    }));
    await qr.createTable(new Table({
      name: 'zeebe_forms',
      columns: [{ ...key('form_key'), isPrimary: true }, str('form_id', 255), { name: 'version', type: 'int' }],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['zeebe_forms', 'zeebe_user_task_candidates', 'zeebe_user_tasks', 'zeebe_incidents', 'zeebe_element_events', 'zeebe_instances']) await qr.dropTable(t);
  }
}
