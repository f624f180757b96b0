/**
 * The demo office's grid people, address rules and the provenance of the demo employer files: each
 * street's inspectors, the communities' assistants (协管员) and an enterprise coordinator, with a
 * training record, and rules that place the demo streets' addresses in their communities. Called by
 * the demo seed (src/demo/seed.ts) inside its transaction.
 */
import crypto from 'node:crypto';
import { EntityManager } from 'typeorm';

interface DemoIds {
  officeId: string;
  /** Grid ids by code (JF, JF-01, …). */
  grids: Map<string, string>;
  /** User ids by username. */
  users: Map<string, string>;
  /** Employer ids by name. */
  employers: Map<string, string>;
}

const STAFF: { grid: string; kind: string; name: string; user?: string; employer?: string; training?: [string, string, number] }[] = [
  { grid: 'JF', kind: 'full_time_inspector', name: '李强', user: 'handler1', training: ['劳动保障监察执法业务培训', '2026-09-15', 16] },
  { grid: 'JF', kind: 'part_time_inspector', name: '周华' },
  { grid: 'JF-01', kind: 'grid_assistant', name: '马丽', user: 'grid1', training: ['网格协管员信息采集培训', '2026-10-20', 4] },
  { grid: 'JF-01', kind: 'enterprise_coordinator', name: '钱军', user: 'coordinator1', employer: '郑州宏达建筑劳务有限公司' },
  { grid: 'JF-02', kind: 'grid_assistant', name: '郑芳' },
  { grid: 'RM', kind: 'full_time_inspector', name: '赵磊', user: 'handler2', training: ['劳动保障监察执法业务培训', '2026-09-15', 16] },
  { grid: 'RM', kind: 'part_time_inspector', name: '吴刚' },
  { grid: 'RM-01', kind: 'grid_assistant', name: '孙悦' },
];

const RULES: { grid: string; street: string }[] = [
  { grid: 'JF-01', street: '解放路' }, { grid: 'JF-02', street: '铭功路' }, { grid: 'RM-01', street: '人民路' }, { grid: 'RM-02', street: '丰产路' },
];

/** The fields the demo seed fills, entered at the intake window. */
const SEEDED_FIELDS = ['name', 'creditCode', 'address', 'legalRepresentative', 'headcount'];

export async function seedDemoGridPeople(em: EntityManager, ids: DemoIds, t: number): Promise<void> {
  for (const s of STAFF) {
    const id = crypto.randomUUID();
    await em.query('INSERT INTO grid_staff (id, office_id, grid_id, kind, name, phone, user_id, employer_id, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 1, ?, ?)',
      [id, ids.officeId, ids.grids.get(s.grid), s.kind, s.name, s.user ? ids.users.get(s.user) ?? null : null, s.employer ? ids.employers.get(s.employer) ?? null : null, t, t]);
    if (s.training) {
      await em.query('INSERT INTO grid_staff_training (id, staff_id, course, trained_on, hours_tenths, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [crypto.randomUUID(), id, s.training[0], s.training[1], s.training[2] * 10, 'demo', t]);
    }
  }
  for (const r of RULES) {
    await em.query("INSERT INTO grid_address_rules (id, office_id, grid_id, kind, street, number_from, number_to, parity, community, created_by, created_at, updated_at) VALUES (?, ?, ?, 'street', ?, NULL, NULL, 'all', NULL, 'demo', ?, ?)",
      [crypto.randomUUID(), ids.officeId, ids.grids.get(r.grid), r.street, t, t]);
  }
  const intakeId = ids.users.get('intake') ?? null;
  for (const employerId of ids.employers.values()) {
    await em.query("UPDATE employers SET placed_by = 'manual' WHERE id = ?", [employerId]);
    for (const field of SEEDED_FIELDS) {
      await em.query("INSERT INTO employer_fields (employer_id, field, collected_by, collected_by_name, collected_at, source) VALUES (?, ?, ?, '窗口 王敏', ?, 'intake')", [employerId, field, intakeId, t]);
    }
  }
}
