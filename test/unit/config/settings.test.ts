import fs from 'node:fs';
import path from 'node:path';
import { InvalidSettingsError, loadSettings, settingSpecs, settingsTable } from '../../../src/config/settings';

describe('settings', () => {
  it('has working defaults for the embedded start', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({ PORT: 3000, DATA_DIR: './data', ENGINE: 'embedded', TEST_CLOCK: false, DEMO: true });
    expect(s.DATABASE_URL).toBeUndefined();
  });

  it('lists every invalid setting at once', () => {
    try {
      loadSettings({ PORT: 'abc', ENGINE: 'camunda7', DATABASE_URL: 'postgres://x', TEST_CLOCK: 'maybe' });
      throw new Error('should have thrown');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidSettingsError);
      expect((e as InvalidSettingsError).problems.map((p) => p.name).sort()).toEqual(['DATABASE_URL', 'ENGINE', 'PORT', 'TEST_CLOCK']);
    }
  });

  it('refuses a production start without a session secret, with the test clock or with demo data', () => {
    expect(() => loadSettings({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET/);
    expect(() => loadSettings({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), TEST_CLOCK: '1' })).toThrow(/TEST_CLOCK/);
    expect(loadSettings({ NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40) }).DEMO).toBe(false);
  });

  it('documents every setting', () => {
    const table = settingsTable();
    for (const name of ['PORT', 'DATA_DIR', 'DATABASE_URL', 'ENGINE', 'GATEWAY_PORT', 'TEST_CLOCK', 'DEMO', 'SESSION_SECRET']) expect(table).toContain(`\`${name}\``);
  });

  it('are all listed in the README', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    for (const name of Object.keys(settingSpecs)) expect(readme).toContain(`| \`${name}\` |`);
  });
});
