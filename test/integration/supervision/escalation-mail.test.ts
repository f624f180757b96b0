/**
 * Escalation mail reaches people: the service-level escalation looks addresses up in the same
 * directory as the `mail.send` worker (office contacts, users' email), and falls back to a `.invalid`
 * placeholder only for a role or user with nothing on file — on both databases.
 */
import { systemActor } from '../../../src/audit/audit';
import { inTransaction } from '../../../src/db/data-source';
import { loadCalendarData } from '../../../src/deadlines/calendar-store';
import { EscalationSubject, fireEscalation } from '../../../src/supervision/commands';
import { loadServiceLevels } from '../../../src/supervision/service-levels';
import type { EscalationAction } from '../../../src/supervision/service-levels';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, lifecycle } from '../../support/lifecycle';

jest.setTimeout(120_000);

type Row = Record<string, unknown>;

describe.each(testDbKinds())('escalation mail on %s', (kind) => {
  let t: TestApp;
  let subject: EscalationSubject;

  beforeAll(async () => {
    t = await startTestApp(kind, 'escalation_mail');
    await t.core.supervision.stop();
    const [employer] = (await t.db.ds.query("SELECT e.id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'")) as Row[];
    const intake = await t.login('intake');
    const res = await intake.post('/api/complaints').send(complaintBody({ employer: { employerId: String(employer.id) } }));
    expect(res.status).toBe(201);
    await lifecycle(t).settle();
    const [c] = (await t.db.ds.query('SELECT id, case_number, office_id FROM cases WHERE id = ?', [res.body.caseId])) as Row[];
    subject = {
      kind: 'deadline', key: `test-${kind}`, title: '公安机关立案审查期限', caseId: String(c.id), caseNumber: String(c.case_number), officeId: String(c.office_id),
      streetCode: 'JF', assignee: null, candidateGroups: [], dueAt: t.clock.now().getTime(),
    };
  });
  afterAll(async () => t?.close());

  const fire = async (s: EscalationSubject, levelName: string, actions: EscalationAction[]) => {
    const level = loadServiceLevels().find((l) => l.id === 'outside-answers')!;
    const cal = await loadCalendarData(t.db.ds.manager);
    return inTransaction(t.db.ds, (em) => fireEscalation(em, { engine: t.core.engine, clock: t.clock, cal }, s, level, levelName, actions, systemActor('督办')));
  };
  const mailsOf = async (s: EscalationSubject, levelName: string): Promise<Record<string, string[]>> => {
    const rows = (await t.db.ds.query("SELECT idempotency_key, to_json FROM mail_outbox WHERE purpose = 'supervision_escalation' AND idempotency_key LIKE ?",
      [`sla:${s.kind}:${s.key}:${levelName}:%`])) as Row[];
    return Object.fromEntries(rows.map((r) => [String(r.idempotency_key).split(':').pop(), (JSON.parse(String(r.to_json)) as { email: string }[]).map((a) => a.email)]));
  };

  it('writes to the supervisors’ addresses on file and the assignee’s own address, not to placeholders', async () => {
    await t.db.ds.query("UPDATE users SET email = 'zhang.dz@erqi-hrss.example.cn' WHERE username = 'supervisor'");
    await t.db.ds.query("UPDATE users SET email = 'li.jcy@erqi-hrss.example.cn' WHERE username = 'handler1'");
    const s = { ...subject, assignee: 'handler1' };
    expect(await fire(s, 'deadline', [{ kind: 'notifySupervisor' }, { kind: 'notifyAssignee' }])).toBe(true);
    const mails = await mailsOf(s, 'deadline');
    // The supervisor users with an address, and the office's supervision mailbox (office_contacts).
    expect(mails.supervisor.sort()).toEqual(['supervisors@erqi-hrss.example.cn', 'zhang.dz@erqi-hrss.example.cn']);
    expect(mails.assignee).toEqual(['li.jcy@erqi-hrss.example.cn']);
    expect(Object.values(mails).flat().join(' ')).not.toContain('.invalid');
  });

  it('writes to the handlers of a grid when the task waits for the grid', async () => {
    const s = { ...subject, key: `${subject.key}-grid`, candidateGroups: ['JF'] };
    await fire(s, 'deadline', [{ kind: 'notifyAssignee' }]);
    const mails = await mailsOf(s, 'deadline');
    expect(mails.assignee).toContain('li.jcy@erqi-hrss.example.cn');
    expect(mails.assignee.join(' ')).not.toContain('.invalid');
  });

  it('uses the placeholder only for whom nothing is on file, and says so on the timeline', async () => {
    await t.db.ds.query("UPDATE users SET email = NULL WHERE username IN ('supervisor', 'handler2')");
    await t.db.ds.query("DELETE FROM office_contacts WHERE role = 'supervisor-mailbox'");
    const s = { ...subject, key: `${subject.key}-none`, assignee: 'handler2' };
    await fire(s, 'passed-1', [{ kind: 'notifySupervisor' }, { kind: 'notifyAssignee' }]);
    const mails = await mailsOf(s, 'passed-1');
    expect(mails.supervisor).toEqual([expect.stringMatching(/^supervisor@.+\.invalid$/)]);
    expect(mails.assignee).toEqual([expect.stringMatching(/^handler2@.+\.invalid$/)]);
    const [entry] = (await t.db.ds.query(
      "SELECT after_json FROM audit_log WHERE action = 'supervision.escalate' AND entity_id = ? ORDER BY id DESC", [s.key])) as Row[];
    expect(JSON.parse(String(entry.after_json)).actions).toEqual([
      expect.objectContaining({ kind: 'notifySupervisor', noAddressOnFile: ['supervisor'] }),
      expect.objectContaining({ kind: 'notifyAssignee', noAddressOnFile: ['handler2'] }),
    ]);
  });
});
