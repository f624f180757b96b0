import fs from 'node:fs';
import path from 'node:path';
import { migrations } from '../../../migrations';
import { createTestDatabase, testDbKinds } from '../../support/db';

describe.each(testDbKinds())('migrations on %s', (kind) => {
  it('create the schema, refuse edits to the audit log, and revert cleanly', async () => {
    const db = await createTestDatabase(kind, 'migrations');
    try {
      const tables = await db.ds.createQueryRunner().getTables(['offices', 'grids', 'users', 'audit_log', 'employers']);
      expect(tables.map((t) => t.name).sort()).toEqual(['audit_log', 'employers', 'grids', 'offices', 'users']);
      await db.ds.query(`INSERT INTO audit_log (at, actor_name, action, entity_type, entity_id) VALUES (1, 'x', 'a', 'e', '1')`);
      await expect(db.ds.query(`UPDATE audit_log SET action = 'b'`)).rejects.toThrow(/append-only/);
      await expect(db.ds.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
      for (let i = 0; i < migrations.length; i++) await db.ds.undoLastMigration({ transaction: 'all' });
      expect(await db.ds.createQueryRunner().hasTable('users')).toBe(false);
    } finally {
      await db.close();
    }
  });
});

it('lists every migration file in migrations/index.ts', () => {
  const dir = path.join(__dirname, '../../../migrations');
  const files = fs.readdirSync(dir).filter((f) => /^\d+-.*\.ts$/.test(f));
  const index = fs.readFileSync(path.join(dir, 'index.ts'), 'utf8');
  for (const f of files) expect(index).toContain(`'./${f.replace(/\.ts$/, '')}'`);
  expect(migrations.length).toBe(files.length);
});
