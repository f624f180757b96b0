import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';
import { isMysql, longText } from '../src/db/portable';

/**
 * The embedded engine's durable state. Keys are integers handed out by the database and exposed as
 * strings. A process instance's key is the key of its root element instance, so every variable scope
 * (process, sub-process, task) is an element-instance key. Times are epoch milliseconds.
 */
export class EngineRuntime1700000002000 implements MigrationInterface {
  name = 'EngineRuntime1700000002000';

  async up(qr: QueryRunner): Promise<void> {
    // SQLite only auto-increments an INTEGER PRIMARY KEY; MySQL needs BIGINT for the same range.
    const keyType = isMysql(qr) ? 'bigint' : 'integer';
    const pk = (): TableColumnOptions => ({ name: 'id', type: keyType, isPrimary: true, isGenerated: true, generationStrategy: 'increment' });
    const big = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
    const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
    const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
    const text = (name: string, nullable = true): TableColumnOptions => ({ name, type: longText(qr), isNullable: nullable });

    await qr.createTable(new Table({
      name: 'engine_element_instances',
      columns: [pk(), big('process_instance_id', true), str('element_id', 255), big('scope_id', true), str('kind', 32), str('state', 16),
        big('started_at'), big('ended_at', true)],
      indices: [
        { name: 'ix_engine_ei_scope', columnNames: ['scope_id', 'state'] },
        { name: 'ix_engine_ei_pi', columnNames: ['process_instance_id'] },
      ],
    }));
    await qr.createTable(new Table({
      name: 'engine_process_instances',
      columns: [{ ...big('id'), isPrimary: true }, str('definition_key', 64), str('bpmn_process_id', 255), int('version'),
        str('business_key', 255, true), big('parent_element_instance_id', true), big('root_id'), str('state', 16),
        big('started_at'), big('ended_at', true)],
      uniques: [{ name: 'uq_engine_pi_business_key', columnNames: ['bpmn_process_id', 'business_key'] }],
      indices: [
        { name: 'ix_engine_pi_parent', columnNames: ['parent_element_instance_id'] },
        { name: 'ix_engine_pi_state', columnNames: ['state', 'started_at'] },
      ],
    }));
    await qr.createTable(new Table({
      name: 'engine_variables',
      columns: [{ ...big('scope_id'), isPrimary: true }, { ...str('name', 255), isPrimary: true }, big('process_instance_id'), text('value', false)],
      indices: [{ name: 'ix_engine_var_pi', columnNames: ['process_instance_id'] }],
    }));
    await qr.createTable(new Table({
      name: 'engine_join_tokens',
      columns: [pk(), big('scope_id'), str('gateway_id', 255), str('flow_id', 255)],
      indices: [{ name: 'ix_engine_join_scope', columnNames: ['scope_id', 'gateway_id'] }],
    }));
    await qr.createTable(new Table({
      name: 'engine_jobs',
      columns: [pk(), str('type', 255), str('state', 16), big('root_id'), big('process_instance_id'), big('element_instance_id'),
        str('element_id', 255), str('bpmn_process_id', 255), str('definition_key', 64), int('version'), int('retries'),
        // When the job can next be handed out: now for new jobs, the back-off end after a failure, the lease
        // end while activated; NULL while an incident holds it.
        big('available_at', true), big('deadline', true), str('worker', 255, true), text('custom_headers'), text('error_message'), big('created_at')],
      indices: [
        { name: 'ix_engine_jobs_activatable', columnNames: ['type', 'available_at'] },
        { name: 'ix_engine_jobs_ei', columnNames: ['element_instance_id'] },
      ],
    }));
    await qr.createTable(new Table({
      name: 'engine_user_tasks',
      columns: [pk(), big('root_id'), big('process_instance_id'), big('element_instance_id'), str('element_id', 255), str('bpmn_process_id', 255),
        str('definition_key', 64), str('name', 255, true), str('form_id', 255, true), str('assignee', 64, true), text('candidate_groups'),
        text('candidate_users'), big('due_date', true), big('follow_up_date', true), int('priority'), str('state', 16),
        big('created_at'), big('completed_at', true), str('completed_by', 64, true)],
      indices: [
        { name: 'ix_engine_ut_assignee', columnNames: ['assignee', 'state', 'due_date'] },
        { name: 'ix_engine_ut_state', columnNames: ['state', 'due_date'] },
        { name: 'ix_engine_ut_pi', columnNames: ['process_instance_id'] },
        { name: 'ix_engine_ut_ei', columnNames: ['element_instance_id'] },
      ],
    }));
    // Candidates normalised so that "tasks of my groups" is an indexed join, not a scan of JSON.
    await qr.createTable(new Table({
      name: 'engine_user_task_candidates',
      columns: [{ ...big('task_id'), isPrimary: true }, { ...str('kind', 8), isPrimary: true }, { ...str('name', 64), isPrimary: true }],
      indices: [{ name: 'ix_engine_utc_name', columnNames: ['kind', 'name', 'task_id'] }],
    }));
    await qr.createTable(new Table({
      name: 'engine_timers',
      columns: [pk(), big('due_at'), big('root_id', true), big('process_instance_id', true), big('element_instance_id', true),
        str('element_id', 255), str('definition_key', 64, true), str('bpmn_process_id', 255, true),
        { name: 'interrupting', type: 'boolean' }, int('repetitions', true), str('interval_spec', 64, true), big('created_at')],
      indices: [
        { name: 'ix_engine_timers_due', columnNames: ['due_at'] },
        { name: 'ix_engine_timers_ei', columnNames: ['element_instance_id'] },
        { name: 'ix_engine_timers_def', columnNames: ['bpmn_process_id'] },
      ],
    }));
    await qr.createTable(new Table({
      name: 'engine_message_subscriptions',
      columns: [pk(), str('message_name', 255), str('correlation_key', 255), big('root_id', true), big('process_instance_id', true),
        big('element_instance_id', true), str('element_id', 255), str('definition_key', 64, true), str('bpmn_process_id', 255),
        { name: 'interrupting', type: 'boolean' }, big('created_at')],
      indices: [
        { name: 'ix_engine_msub_name', columnNames: ['message_name', 'correlation_key'] },
        { name: 'ix_engine_msub_ei', columnNames: ['element_instance_id'] },
        { name: 'ix_engine_msub_def', columnNames: ['bpmn_process_id'] },
      ],
    }));
    await qr.createTable(new Table({
      name: 'engine_messages',
      columns: [pk(), str('name', 255), str('correlation_key', 255), str('message_id', 200, true), text('variables'), big('expires_at'), big('created_at')],
      uniques: [{ name: 'uq_engine_messages_id', columnNames: ['name', 'correlation_key', 'message_id'] }],
      indices: [
        { name: 'ix_engine_messages_name', columnNames: ['name', 'correlation_key', 'expires_at'] },
        { name: 'ix_engine_messages_expiry', columnNames: ['expires_at'] },
      ],
    }));
    // A message correlates at most once per process (bpmnProcessId), as in Zeebe.
    await qr.createTable(new Table({
      name: 'engine_message_correlations',
      columns: [{ ...big('message_id'), isPrimary: true }, { ...str('bpmn_process_id', 255), isPrimary: true }],
    }));
    await qr.createTable(new Table({
      name: 'engine_incidents',
      columns: [pk(), big('root_id'), big('process_instance_id'), big('element_instance_id'), str('element_id', 255), str('bpmn_process_id', 255),
        big('job_id', true), str('error_type', 64), text('error_message'), str('phase', 16), str('state', 16), big('created_at'), big('resolved_at', true)],
      indices: [
        { name: 'ix_engine_incidents_state', columnNames: ['state', 'created_at'] },
        { name: 'ix_engine_incidents_pi', columnNames: ['process_instance_id'] },
        { name: 'ix_engine_incidents_ei', columnNames: ['element_instance_id'] },
      ],
    }));
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of ['engine_incidents', 'engine_message_correlations', 'engine_messages', 'engine_message_subscriptions', 'engine_timers',
      'engine_user_task_candidates', 'engine_user_tasks', 'engine_jobs', 'engine_join_tokens', 'engine_variables',
      'engine_process_instances', 'engine_element_instances']) {
      await qr.dropTable(t);
    }
  }
}
