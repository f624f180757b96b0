/**
 * The mail directory: the office's contacts API (admin only, validated, audited), users' addresses,
 * and the directory mail.send resolves roles with, falling back to placeholders when nothing is set.
 */
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { officeDirectory } from '../../../src/workers/mail.send';
import { OFFICE_CONTACT_ROLES } from '../../../src/org/contacts';

describe.each(testDbKinds())('mail directory and contacts API (%s)', (kind) => {
  let t: TestApp;
  let officeId: string;

  beforeAll(async () => {
    t = await startTestApp(kind, 'contacts');
    officeId = (await t.db.ds.query('SELECT id FROM offices'))[0].id;
  });
  afterAll(async () => t?.close());

  const userId = async (username: string): Promise<string> => (await t.db.ds.query('SELECT id FROM users WHERE username = ?', [username]))[0].id;

  it('lists every contact role with the demo office\'s example addresses', async () => {
    const res = await (await t.login('admin')).get('/api/contacts');
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { role: string }) => i.role)).toEqual([...OFFICE_CONTACT_ROLES]);
    for (const item of res.body.items) {
      expect(item.configured).toBe(true);
      expect(item.email).toMatch(/\.example\.cn$/);
    }
  });

  it('is for admin only', async () => {
    const handler = await t.login('handler1');
    expect((await handler.get('/api/contacts')).status).toBe(403);
    const put = await handler.put('/api/contacts/police-liaison').send({ name: 'x', email: 'x@police.example.cn' });
    expect(put.status).toBe(403);
    expect(put.body.error.code).toBeDefined();
    expect((await (await t.login('supervisor')).put('/api/contacts/court').send({ name: 'x', email: 'x@court.example.cn' })).status).toBe(403);
    expect((await t.anonymous().get('/api/contacts')).status).toBe(401);
  });

  it('refuses a bad address, an unknown role and unknown fields', async () => {
    const admin = await t.login('admin');
    const bad = await admin.put('/api/contacts/police-liaison').send({ name: '联络员', email: 'not-an-address' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain('body.email');
    expect((await admin.put('/api/contacts/mayor').send({ name: '市长', email: 'mayor@gov.example.cn' })).status).toBe(400);
    expect((await admin.put('/api/contacts/court').send({ name: '法院', email: 'court@court.example.cn', phone: '1' })).status).toBe(400);
    expect((await admin.put('/api/contacts/court').send({ name: ' ', email: 'court@court.example.cn' })).status).toBe(400);
  });

  it('sets a contact, audited with before and after in the same change', async () => {
    const admin = await t.login('admin');
    const res = await admin.put('/api/contacts/police-liaison').send({ name: '二七分局联络员 王警官', email: 'wang@police-test.example.cn' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'police-liaison', email: 'wang@police-test.example.cn', configured: true });
    const listed = (await admin.get('/api/contacts')).body.items.find((i: { role: string }) => i.role === 'police-liaison');
    expect(listed).toMatchObject({ name: '二七分局联络员 王警官', email: 'wang@police-test.example.cn' });
    const audit: { action: string; actor_name: string; before_json: string; after_json: string }[] = await t.db.ds.query(
      "SELECT action, actor_name, before_json, after_json FROM audit_log WHERE action = 'contact.update' ORDER BY id DESC");
    expect(audit[0].actor_name).toBe('admin');
    expect(JSON.parse(audit[0].before_json)).toMatchObject({ role: 'police-liaison', email: 'police-liaison@erqi-police.example.cn' });
    expect(JSON.parse(audit[0].after_json)).toMatchObject({ role: 'police-liaison', email: 'wang@police-test.example.cn' });
    const dir = officeDirectory(t.db.ds);
    expect(await dir(officeId, 'police-liaison')).toEqual({ addresses: [{ email: 'wang@police-test.example.cn', name: '二七分局联络员 王警官' }], placeholder: false });
  });

  it('gives users an address, and the directory finds staff by role, inspector and grid', async () => {
    const admin = await t.login('admin');
    const patched = await admin.patch(`/api/users/${await userId('handler1')}`).send({ email: 'lq@hrss.example.cn' });
    expect(patched.status).toBe(200);
    expect(patched.body.email).toBe('lq@hrss.example.cn');
    expect((await admin.patch(`/api/users/${await userId('handler2')}`).send({ email: 'nope' })).status).toBe(400);
    const audit: { after_json: string }[] = await t.db.ds.query("SELECT after_json FROM audit_log WHERE action = 'user.update' ORDER BY id DESC");
    expect(JSON.parse(audit[0].after_json).email).toBe('lq@hrss.example.cn');

    const dir = officeDirectory(t.db.ds);
    const jf01: string = (await t.db.ds.query("SELECT id FROM grids WHERE code = 'JF-01'"))[0].id;
    const rm01: string = (await t.db.ds.query("SELECT id FROM grids WHERE code = 'RM-01'"))[0].id;
    // The case's grid JF-01 lies under handler1's street JF.
    expect(await dir(officeId, 'handler', { gridId: jf01, inspectors: [] })).toMatchObject({ addresses: [{ email: 'lq@hrss.example.cn' }], placeholder: false });
    expect(await dir(officeId, 'handler', { gridId: rm01, inspectors: ['handler1'] })).toMatchObject({ addresses: [{ email: 'lq@hrss.example.cn' }], placeholder: false });
    const nobody = await dir(officeId, 'handler', { gridId: rm01, inspectors: [] });
    expect(nobody.placeholder).toBe(true);
    expect(nobody.addresses[0].email).toMatch(/^handler@zz-eq\.invalid$/);
    // Supervisors without an address of their own: the supervisors' mailbox.
    expect(await dir(officeId, 'supervisor')).toMatchObject({ addresses: [{ email: 'supervisors@erqi-hrss.example.cn' }], placeholder: false });
    await admin.patch(`/api/users/${await userId('supervisor')}`).send({ email: 'ly@hrss.example.cn' });
    expect((await dir(officeId, 'supervisor')).addresses.map((a) => a.email)).toEqual(['ly@hrss.example.cn', 'supervisors@erqi-hrss.example.cn']);
    // A removed address and an unset contact fall back to the placeholder.
    expect((await admin.patch(`/api/users/${await userId('supervisor')}`).send({ email: null })).body.email).toBeNull();
    await t.db.ds.query("DELETE FROM office_contacts WHERE role = 'court'");
    expect(await dir(officeId, 'court')).toEqual({ addresses: [{ email: 'court@zz-eq.invalid', name: '人民法院' }], placeholder: true });
  });
});
