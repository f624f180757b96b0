/**
 * Patrol photos as files, on both databases: the grid officer uploads a PNG, lists it and reads it
 * back byte for byte; a text file named .png and a photo over the limit are refused with stable codes
 * and write nothing; another grid's handler gets 404 on the list, the read and the upload, exactly as
 * for an id that does not exist; the legal staff may not upload; the twenty-first photo is refused.
 */
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { chinaDate } from '../../../src/deadlines/china-time';
import { PATROL_PHOTO_MAX_BYTES, PATROL_PHOTO_MAX_COUNT } from '../../../src/prevention/patrol-photos';

jest.setTimeout(300_000);

type Row = Record<string, unknown>;

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

describe.each(testDbKinds())('patrol photos (%s)', (kind) => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(kind, 'patrol-photos'); });
  afterAll(async () => t?.close());

  const count = async (sql: string) => Number(((await t.db.ds.query(sql)) as Row[])[0].n);

  it('keeps a patrol photo as a file, refuses what is not one, and hides it from another grid', async () => {
    const officer = await t.login('grid1');
    const gridId = String(((await t.db.ds.query('SELECT id FROM grids WHERE code = ?', ['JF-01'])) as Row[])[0].id);
    const plan = await officer.post('/api/prevention/plans').send({ gridId, period: chinaDate(t.clock.now()).slice(0, 7) });
    expect(plan.status).toBe(201);
    const patrolId = String(((await t.db.ds.query('SELECT id FROM patrols WHERE plan_id = ? ORDER BY id', [plan.body.planId])) as Row[])[0].id);
    const url = `/api/prevention/patrols/${patrolId}/photos`;

    const up = await officer.post(url).send({ fileName: '现场照片1.png', contentBase64: PNG.toString('base64') });
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ patrolId, fileName: '现场照片1.png', contentType: 'image/png', bytes: PNG.length });
    const list = await officer.get(url);
    expect(list.status).toBe(200);
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([up.body.id]);
    const read = await officer.get(`/api/prevention/patrols/photos/${up.body.id}`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(read.status).toBe(200);
    expect(read.headers['content-type']).toBe('image/png');
    expect(read.headers['cache-control']).toBe('no-store');
    expect(Buffer.compare(read.body as Buffer, PNG)).toBe(0);
    // The audit names the file and its size, never its content.
    const audit = ((await t.db.ds.query("SELECT * FROM audit_log WHERE action = 'patrol.photo.add'")) as Row[]);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).toContain('现场照片1.png');
    expect(JSON.stringify(audit[0])).not.toContain(PNG.toString('base64').slice(0, 20));

    const photos = () => count('SELECT COUNT(*) AS n FROM patrol_photos');
    const text = await officer.post(url).send({ fileName: '假照片.png', contentBase64: Buffer.from('not a picture at all').toString('base64') });
    expect(text.status).toBe(400);
    expect(text.body.error.code).toBe('PHOTO_TYPE_REFUSED');
    const big = Buffer.alloc(PATROL_PHOTO_MAX_BYTES + 1);
    PNG.copy(big);
    const oversize = await officer.post(url).send({ fileName: '大照片.png', contentBase64: big.toString('base64') });
    expect(oversize.status).toBe(400);
    expect(oversize.body.error.code).toBe('PHOTO_TOO_LARGE');

    // Another grid's handler gets exactly what an id that does not exist gets.
    const other = await t.login('handler2');
    const forged = '00000000-0000-4000-8000-000000000000';
    const same = async (path: string, forgedPath: string, send?: object) => {
      const [a, b] = await Promise.all([path, forgedPath].map((p) => (send ? other.post(p).send(send) : other.get(p))));
      expect(a.status).toBe(404);
      expect(a.body.error).toEqual(b.body.error);
    };
    await same(url, `/api/prevention/patrols/${forged}/photos`);
    await same(`/api/prevention/patrols/photos/${up.body.id}`, `/api/prevention/patrols/photos/${forged}`);
    await same(url, `/api/prevention/patrols/${forged}/photos`, { fileName: 'x.png', contentBase64: PNG.toString('base64') });
    expect(await photos()).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'patrol.photo.add'")).toBe(1);

    // The legal staff see patrols but do not keep the grid: no upload.
    const legal = await (await t.login('legal')).post(url).send({ fileName: 'y.png', contentBase64: PNG.toString('base64') });
    expect(legal.status).toBe(403);
    // A patrol keeps at most PATROL_PHOTO_MAX_COUNT photos.
    for (let i = 1; i < PATROL_PHOTO_MAX_COUNT; i++) expect((await officer.post(url).send({ fileName: `p${i}.png`, contentBase64: PNG.toString('base64') })).status).toBe(201);
    const over = await officer.post(url).send({ fileName: 'one-too-many.png', contentBase64: PNG.toString('base64') });
    expect(over.status).toBe(409);
    expect(over.body.error.code).toBe('PHOTO_LIMIT_REACHED');
    expect(await photos()).toBe(PATROL_PHOTO_MAX_COUNT);
  });
});
