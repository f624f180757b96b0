/**
 * What the test machine offers: MariaDB for the MySQL suite, Chromium for the browser suite.
 * On a developer machine without them the suites are skipped and named; under CI=true a skipped
 * suite fails the run (see global-setup.ts).
 */
export const MARIADB_URL = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';
export const CHROMIUM_PATH = process.env.TEST_CHROMIUM_PATH ?? '/usr/bin/chromium';

export function mariadbAvailable(): boolean {
  return process.env.TEST_MARIADB_AVAILABLE === '1';
}

export function chromiumAvailable(): boolean {
  return process.env.TEST_CHROMIUM_AVAILABLE === '1';
}
