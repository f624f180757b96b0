/**
 * Staffing and training on the grid dashboard against the norms of seed 000 二（二）, on both databases:
 * a street with its two part-time inspectors, a community with one 协管员 not yet trained, then the
 * training record that makes the trained rate whole. The demo's people are taken off their posts first
 * (inactive people do not count), so the figures are exactly the ones this test staffs.
 */
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { chinaDate } from '../../../src/deadlines/china-time';

jest.setTimeout(120_000);

type Row = Record<string, unknown>;
interface Figures {
  code: string | null; inspectorsNorm: number; inspectorsStaffed: number; assistantsNorm: number; assistantsStaffed: number; assistants: number; assistantsTrained: number;
}

describe.each(testDbKinds())('grid staffing against the norms (%s)', (kind) => {
  let t: TestApp;
  const grid = async (code: string) => String(((await t.db.ds.query('SELECT id FROM grids WHERE code = ?', [code])) as Row[])[0].id);
  const board = async (gridCode: string) => {
    const res = await (await t.login('supervisor')).get('/api/prevention/dashboard').query({ gridId: await grid(gridCode) });
    expect(res.status).toBe(200);
    return res.body as { total: Figures; grids: Figures[]; targets: { inspectorStaffingPercent: number; assistantStaffingPercent: number; assistantTrainingPercent: number } };
  };
  const of = (b: { grids: Figures[] }, code: string) => b.grids.find((g) => g.code === code)!;

  beforeAll(async () => {
    t = await startTestApp(kind, 'staffing');
    await t.db.ds.query('UPDATE grid_staff SET active = 0');
  });
  afterAll(async () => t?.close());

  it('counts inspectors and 协管员 against the norm, and the trained 协管员', async () => {
    const admin = await t.login('admin');
    const empty = await board('JF');
    // A street's norm is two part-time inspectors; each community one inspector and one 协管员.
    expect(of(empty, 'JF')).toMatchObject({ inspectorsNorm: 2, assistantsNorm: 0, inspectorsStaffed: 0 });
    expect(of(empty, 'JF-01')).toMatchObject({ inspectorsNorm: 1, assistantsNorm: 1, inspectorsStaffed: 0, assistantsStaffed: 0, assistants: 0 });
    expect(empty.total).toMatchObject({ inspectorsNorm: 4, assistantsNorm: 2, inspectorsStaffed: 0, assistantsStaffed: 0 });
    // The launch stage's targets (the default stage), seed 000 六（二）.
    expect(empty.targets).toMatchObject({ inspectorStaffingPercent: 85, assistantStaffingPercent: 75, assistantTrainingPercent: 85 });

    for (const name of ['周兼一', '周兼二', '周兼三']) {
      expect((await admin.post('/api/grid-staff').send({ gridId: await grid('JF'), kind: 'part_time_inspector', name })).status).toBe(201);
    }
    const assistant = await admin.post('/api/grid-staff').send({ gridId: await grid('JF-01'), kind: 'grid_assistant', name: '钱协管' });
    expect(assistant.status).toBe(201);
    // An enterprise coordinator fills no seat of the norm.
    expect((await admin.post('/api/grid-staff').send({ gridId: await grid('JF-01'), kind: 'enterprise_coordinator', name: '孙企协' })).status).toBe(201);

    const staffed = await board('JF');
    // Three on the street's two seats count as two: a surplus does not fill another grid's gap.
    expect(of(staffed, 'JF')).toMatchObject({ inspectorsNorm: 2, inspectorsStaffed: 2 });
    expect(of(staffed, 'JF-01')).toMatchObject({ inspectorsStaffed: 0, assistantsStaffed: 1, assistants: 1, assistantsTrained: 0 });
    expect(of(staffed, 'JF-02')).toMatchObject({ inspectorsStaffed: 0, assistantsStaffed: 0 });
    expect(staffed.total).toMatchObject({ inspectorsNorm: 4, inspectorsStaffed: 2, assistantsNorm: 2, assistantsStaffed: 1, assistants: 1, assistantsTrained: 0 });

    const trained = await admin.post(`/api/grid-staff/${assistant.body.id}/trainings`).send({ course: '协管员业务培训', trainedOn: chinaDate(t.clock.now()), hours: 3 });
    expect(trained.status).toBe(201);
    const after = await board('JF');
    expect(of(after, 'JF-01')).toMatchObject({ assistants: 1, assistantsTrained: 1 });
    expect(after.total).toMatchObject({ assistants: 1, assistantsTrained: 1 });

    // The office's board counts the other street's grids too, which nobody staffs now.
    const office = (await (await t.login('supervisor')).get('/api/prevention/dashboard')).body as { total: Figures };
    expect(office.total).toMatchObject({ inspectorsNorm: 8, inspectorsStaffed: 2, assistantsNorm: 4, assistantsStaffed: 1, assistantsTrained: 1 });

    // Someone leaving their post no longer counts.
    await t.db.ds.query('UPDATE grid_staff SET active = 0 WHERE id = ?', [assistant.body.id]);
    expect((await board('JF')).total).toMatchObject({ assistantsStaffed: 0, assistants: 0, assistantsTrained: 0 });
  });
});
