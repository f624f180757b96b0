/**
 * Test databases built by the real migrations: a fresh SQLite file, or a fresh database on the
 * MariaDB server, one per call, dropped again by `close()`. No table wiping between tests.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source';
import { MARIADB_URL, mariadbAvailable } from './environment';

export type TestDbKind = 'sqlite' | 'mariadb';

export interface TestDatabase {
  kind: TestDbKind;
  ds: DataSource;
  /** Settings-shaped location, to start a second process on the same database. */
  databaseUrl?: string;
  sqlitePath?: string;
  close(): Promise<void>;
}

/** The database kinds this run covers: SQLite always, MariaDB when the server answers. */
export function testDbKinds(): TestDbKind[] {
  return mariadbAvailable() ? ['sqlite', 'mariadb'] : ['sqlite'];
}

export async function createMariadbDatabase(label: string): Promise<string> {
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').slice(0, 30)}_${crypto.randomBytes(4).toString('hex')}`.toLowerCase();
  const conn = await mysql.createConnection({ uri: MARIADB_URL });
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
  const url = new URL(MARIADB_URL);
  url.pathname = '/' + name;
  return url.toString();
}

export async function dropMariadbDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const conn = await mysql.createConnection({ uri: MARIADB_URL });
  await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await conn.end();
}

export async function createTestDatabase(kind: TestDbKind, label = 'test'): Promise<TestDatabase> {
  if (kind === 'mariadb') {
    const databaseUrl = await createMariadbDatabase(label);
    const ds = await openDatabase({ databaseUrl });
    return {
      kind, ds, databaseUrl,
      async close() {
        if (ds.isInitialized) await ds.destroy();
        await dropMariadbDatabase(databaseUrl);
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lsi-test-'));
  const sqlitePath = path.join(dir, 'test.sqlite');
  const ds = await openDatabase({ sqlitePath });
  return {
    kind, ds, sqlitePath,
    async close() {
      if (ds.isInitialized) await ds.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
