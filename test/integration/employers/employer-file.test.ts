/**
 * The employer file (一户一档) over HTTP on both databases: fields with who collected them, the change
 * history, moving between grids, placement by address rules and the unplaced list, keyset paging, and
 * what grid officers and enterprise coordinators see.
 */
import { indexPendingEmployers } from '../../../src/employers/search';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';

const FORGED = '00000000-0000-4000-8000-000000000000';

describe.each(testDbKinds())('employer file (%s)', (kind) => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  const grids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(kind, 'employer_file');
    for (const e of (await t.db.ds.query('SELECT id, name FROM employers')) as { id: string; name: string }[]) ids[e.name.slice(2, 4)] = e.id;
    for (const g of (await t.db.ds.query('SELECT id, code FROM grids')) as { id: string; code: string }[]) grids[g.code] = g.id;
  });
  afterAll(async () => t?.close());

  it('a grid officer sees and edits only the files of their community; others answer 404 like a missing one', async () => {
    const grid1 = await t.login('grid1');
    const list = await grid1.get('/api/employers');
    expect(list.status).toBe(200);
    expect(list.body.items.map((e: { name: string }) => e.name)).toEqual(['郑州宏达建筑劳务有限公司']);
    expect((await grid1.get(`/api/employers/${ids['宏达']}`)).status).toBe(200);
    for (const other of [ids['美佳'], ids['鑫源'], FORGED]) {
      const res = await grid1.get(`/api/employers/${other}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
      expect((await grid1.patch(`/api/employers/${other}`).send({ headcount: 1 })).status).toBe(404);
      expect((await grid1.get(`/api/employers/${other}/history`)).status).toBe(404);
    }
  });

  it('an enterprise coordinator sees only their employer, cannot change it and has no list of others', async () => {
    const c = await t.login('coordinator1');
    const list = await c.get('/api/employers');
    expect(list.body.items.map((e: { id: string }) => e.id)).toEqual([ids['宏达']]);
    const own = await c.get(`/api/employers/${ids['宏达']}`);
    expect(own.status).toBe(200);
    expect(own.body.may).toMatchObject({ update: false, report: true, move: false });
    const before = await t.db.ds.query('SELECT COUNT(*) AS n FROM employer_changes');
    const patch = await c.patch(`/api/employers/${ids['宏达']}`).send({ headcount: 1 });
    expect(patch.status).toBe(403);
    expect(await t.db.ds.query('SELECT COUNT(*) AS n FROM employer_changes')).toEqual(before);
    expect((await c.get(`/api/employers/${ids['美佳']}`)).status).toBe(404);
    expect((await c.get('/api/employers/export.xlsx')).status).toBe(403);
  });

  it('records who collected each field and when, and every change with old and new value', async () => {
    const grid1 = await t.login('grid1');
    const res = await grid1.patch(`/api/employers/${ids['宏达']}`).send({ headcount: 90, migrantWorkers: 60, collectedOn: '2026-11-20' });
    expect(res.status).toBe(200);
    expect(res.body.headcount).toBe(90);
    expect(res.body.collected.headcount).toMatchObject({ by: '协管员 马丽', source: 'grid' });
    expect(res.body.collected.headcount.at).toBe(Date.parse('2026-11-20T00:00:00+08:00'));
    expect(res.body.fileComplete).toBe(false);
    expect(res.body.missing).toEqual(expect.arrayContaining(['contractsSigned', 'wagePayDay', 'hasUnion']));

    const history = (await grid1.get(`/api/employers/${ids['宏达']}/history`)).body.items as { field: string; oldValue: string | null; newValue: string; by: string }[];
    expect(history[0]).toMatchObject({ by: '协管员 马丽' });
    expect(history.find((h) => h.field === 'headcount')).toMatchObject({ oldValue: '86', newValue: '90', by: '协管员 马丽' });
    expect(history.find((h) => h.field === 'migrantWorkers')).toMatchObject({ oldValue: null, newValue: '60' });

    // Confirming a value unchanged adds no history row; a future collection day is refused.
    const n = history.length;
    await grid1.patch(`/api/employers/${ids['宏达']}`).send({ headcount: 90 });
    expect((await grid1.get(`/api/employers/${ids['宏达']}/history`)).body.items).toHaveLength(n);
    const future = await grid1.patch(`/api/employers/${ids['宏达']}`).send({ headcount: 91, collectedOn: '2099-01-01' });
    expect(future.status).toBe(400);
    expect((await grid1.get(`/api/employers/${ids['宏达']}`)).body.headcount).toBe(90);

    // The rest of the required labour data makes the file complete.
    const done = await grid1.patch(`/api/employers/${ids['宏达']}`).send({
      contractsSigned: 88, wagePayDay: 15, wagePayMethod: 'bank', workingHoursSystem: 'standard', socialInsuranceParticipants: 80, hasUnion: true,
    });
    expect(done.body.fileComplete).toBe(true);
    expect(done.body.fileCollectedAt).toBe(Date.parse('2026-11-20T00:00:00+08:00'));
    // A construction project also needs its main contractor and wage account.
    const construction = await grid1.patch(`/api/employers/${ids['宏达']}`).send({ constructionProject: true });
    expect(construction.body.fileComplete).toBe(false);
    expect(construction.body.missing).toEqual(['mainContractor', 'wageAccount']);
  });

  it('moving a file to another grid keeps its history; the old grid loses sight of it, the new one sees all of it', async () => {
    const admin = await t.login('admin');
    const before = (await admin.get(`/api/employers/${ids['宏达']}/history`)).body.items.length;
    const moved = await admin.post(`/api/employers/${ids['宏达']}/move`).send({ gridId: grids['RM-01'], reason: '实际用工地点在人民路' });
    expect(moved.status).toBe(200);
    expect(moved.body.gridId).toBe(grids['RM-01']);
    expect(moved.body.gridName).toBe('人民路街道 · 人民路社区');
    expect((await (await t.login('grid1')).get(`/api/employers/${ids['宏达']}`)).status).toBe(404);
    const h2 = await t.login('handler2');
    const history = (await h2.get(`/api/employers/${ids['宏达']}/history`)).body.items as { field: string; oldText: string; newText: string; by: string }[];
    expect(history).toHaveLength(before + 1);
    expect(history[0]).toMatchObject({ field: 'gridId', oldText: '解放路街道 · 解放路社区', newText: '人民路街道 · 人民路社区', by: '管理员 孙涛' });
    expect(history.some((h) => h.field === 'headcount' && h.by === '协管员 马丽')).toBe(true);
    // A handler cannot move a file into a grid that is not theirs.
    const refused = await h2.post(`/api/employers/${ids['宏达']}/move`).send({ gridId: grids['JF-01'] });
    expect(refused.status).toBe(400);
    await admin.post(`/api/employers/${ids['宏达']}/move`).send({ gridId: grids['JF-01'] });
  });

  it('places new files by the address rules; files no rule places wait in the unplaced list for admin', async () => {
    const admin = await t.login('admin');
    // The demo rules place 丰产路 in RM-02 (the whole street); odd numbers 1–99 go to RM-01 instead.
    const rule = await admin.post('/api/address-rules').send({ gridId: grids['RM-01'], kind: 'street', street: '丰产路', numberFrom: 1, numberTo: 99, parity: 'odd' });
    expect(rule.status).toBe(201);
    expect((await admin.post('/api/address-rules').send({ gridId: grids['RM-02'], kind: 'street' })).status).toBe(400);
    const intake = await t.login('intake');
    const odd = await intake.post('/api/employers').send({ name: '郑州丰产商贸有限公司', address: '郑州市金水区丰产路 11 号' });
    expect(odd.status).toBe(201);
    expect(odd.body).toMatchObject({ gridId: grids['RM-01'], placedBy: 'rule' });
    const even = await intake.post('/api/employers').send({ name: '郑州双号商贸有限公司', address: '郑州市金水区丰产路 12 号' });
    expect(even.body).toMatchObject({ gridId: grids['RM-02'], placedBy: 'rule' });
    const nowhere = await intake.post('/api/employers').send({ name: '郑州农业路商贸有限公司', address: '郑州市金水区农业路 12 号' });
    expect(nowhere.body.gridId).toBeNull();
    const unplaced = await admin.get('/api/employers?unplaced=1');
    expect(unplaced.body.items.map((e: { name: string }) => e.name)).toEqual(['郑州农业路商贸有限公司']);
    expect((await (await t.login('handler2')).get(`/api/employers/${nowhere.body.id}`)).status).toBe(404);
    // A handler must name the grid when no rule places the address in theirs.
    expect((await (await t.login('handler1')).post('/api/employers').send({ name: '某公司', address: '某地 1 号' })).status).toBe(400);
    // Admin adds a rule for the street and places the rest by the rules.
    await admin.post('/api/address-rules').send({ gridId: grids['RM-01'], kind: 'street', street: '农业路', numberFrom: 2, numberTo: 98, parity: 'even' });
    const run = await admin.post('/api/employers/place-by-rules').send({});
    expect(run.body).toEqual({ placed: 1, remaining: 0 });
    expect((await admin.get(`/api/employers/${nowhere.body.id}`)).body).toMatchObject({ gridId: grids['RM-01'], placedBy: 'rule' });
    const history = (await admin.get(`/api/employers/${nowhere.body.id}/history`)).body.items;
    expect(history[0]).toMatchObject({ field: 'gridId', oldText: null, newText: '人民路街道 · 人民路社区', source: 'rule' });
  });

  it('pages the list by name with a cursor, without gaps or repeats', async () => {
    const intake = await t.login('intake');
    const all = (await intake.get('/api/employers?limit=100')).body.items.map((e: { id: string }) => e.id);
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await intake.get('/api/employers?limit=2' + (cursor ? `&cursor=${cursor}` : ''));
      paged.push(...res.body.items.map((e) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect((await intake.get('/api/employers?cursor=bm90LWpzb24')).status).toBe(400);
  });

  it('searches names and addresses by any part through the gram index, following renames, within what the user sees', async () => {
    const intake = await t.login('intake');
    const names = async (q: string, who = intake) => ((await who.get(`/api/employers?q=${encodeURIComponent(q)}`)).body.items as { name: string }[]).map((e) => e.name);
    // The demo files were written without grams (search_indexed = 0): still found.
    expect(await names('宏达建筑')).toEqual(['郑州宏达建筑劳务有限公司']);
    const created = await intake.post('/api/employers').send({ name: '郑州恒信冷链物流', address: '郑州市金水区丰产路 31 号', gridId: grids['RM-01'] });
    expect(created.status).toBe(201);
    const [row] = await t.db.ds.query('SELECT search_indexed FROM employers WHERE id = ?', [created.body.id]);
    expect(Number(row.search_indexed)).toBe(1);
    expect(Number((await t.db.ds.query('SELECT COUNT(*) AS n FROM employer_search_grams WHERE employer_id = ?', [created.body.id]))[0].n)).toBeGreaterThan(5);
    expect(await names('恒信冷链')).toEqual(['郑州恒信冷链物流']);
    // Two characters: a gram prefix, the last two of a name included; a part of the address.
    expect(await names('物流')).toContain('郑州恒信冷链物流');
    expect(await names('丰产路 31')).toContain('郑州恒信冷链物流');
    expect(await names('冷链物流x')).toEqual([]);
    const renamed = await intake.patch(`/api/employers/${created.body.id}`).send({ name: '郑州远航ＡＢ冷库' });
    expect(renamed.status).toBe(200);
    expect(await names('恒信')).toEqual([]);
    expect(await names('远航ＡＢ')).toEqual(['郑州远航ＡＢ冷库']);
    // A grid officer of another community does not find it; an unknown text finds nothing.
    expect(await names('远航', await t.login('grid1'))).toEqual([]);
    expect(await names('不存在的单位名称')).toEqual([]);
    // Once the bulk-written files are indexed they are found through their grams.
    await t.db.ds.transaction((em) => indexPendingEmployers(em));
    expect(Number((await t.db.ds.query('SELECT COUNT(*) AS n FROM employers WHERE search_indexed = 0'))[0].n)).toBe(0);
    expect(await names('宏达建筑')).toEqual(['郑州宏达建筑劳务有限公司']);
    expect(await names('劳务有限')).toContain('郑州宏达建筑劳务有限公司');
  });

  it('lists the grid staff with their training, kept by admin only', async () => {
    const admin = await t.login('admin');
    const staff = await admin.post('/api/grid-staff').send({ gridId: grids['JF-01'], kind: 'grid_assistant', name: '赵敏', phone: '13800001234' });
    expect(staff.status).toBe(201);
    const trained = await admin.post(`/api/grid-staff/${staff.body.id}/trainings`).send({ course: '劳动保障监察协管员业务培训', trainedOn: '2026-10-10', hours: 2.5 });
    expect(trained.status).toBe(201);
    expect(trained.body.trainingHours).toBe(2.5);
    const grid1 = await t.login('grid1');
    // The grid officer sees the people of their community (the demo's 马丽 and 钱军, and the new one), phones masked.
    const seen = (await grid1.get('/api/grid-staff')).body.items as { name: string; phone: string | null; gridName: string; kind: string; trainingHours: number }[];
    expect(seen.map((s) => s.name).sort()).toEqual(['赵敏', '钱军', '马丽'].sort());
    expect(seen.find((s) => s.name === '赵敏')).toMatchObject({ phone: '138****1234', gridName: '解放路街道 · 解放路社区', kind: 'grid_assistant' });
    expect(seen.find((s) => s.name === '马丽')!.trainingHours).toBe(4);
    const rm = ((await (await t.login('handler2')).get('/api/grid-staff')).body.items as { name: string }[]).map((s) => s.name);
    expect(rm).toEqual(expect.arrayContaining(['赵磊', '吴刚', '孙悦']));
    expect(rm).not.toContain('赵敏');
    expect((await grid1.post(`/api/grid-staff/${staff.body.id}/trainings`).send({ course: 'x', trainedOn: '2026-10-10', hours: 1 })).status).toBe(403);
    // Responsible staff member of a file: one of its grid's people.
    const set = await grid1.patch(`/api/employers/${ids['宏达']}`).send({ responsibleStaffId: staff.body.id });
    expect(set.body.responsibleStaff).toMatchObject({ name: '赵敏' });
    expect((await (await t.login('handler2')).patch(`/api/employers/${ids['鑫源']}`).send({ responsibleStaffId: staff.body.id })).status).toBe(400);
  });
});
