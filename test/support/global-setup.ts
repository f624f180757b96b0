import fs from 'node:fs';
import mysql from 'mysql2/promise';
import { CHROMIUM_PATH, MARIADB_URL } from './environment';

async function probeMariadb(): Promise<string | null> {
  try {
    const conn = await mysql.createConnection({ uri: MARIADB_URL, connectTimeout: 3000 });
    await conn.query('SELECT 1');
    await conn.end();
    return null;
  } catch (e) {
    return `cannot connect to ${MARIADB_URL.replace(/\/\/[^@]*@/, '//')}: ${(e as Error).message}`;
  }
}

export default async function globalSetup(): Promise<void> {
  const skipped: string[] = [];
  const mariaProblem = await probeMariadb();
  process.env.TEST_MARIADB_AVAILABLE = mariaProblem ? '0' : '1';
  if (mariaProblem) skipped.push(`MariaDB suite skipped: ${mariaProblem}`);
  const chromium = fs.existsSync(CHROMIUM_PATH);
  process.env.TEST_CHROMIUM_AVAILABLE = chromium ? '1' : '0';
  if (!chromium) skipped.push(`browser suite skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
  if (skipped.length) {
    process.stdout.write('\n' + skipped.map((s) => `SKIPPED: ${s}`).join('\n') + '\n');
    if (process.env.CI === 'true' || process.env.CI === '1') {
      throw new Error('CI=true and suites would be skipped:\n' + skipped.join('\n'));
    }
  }
}
