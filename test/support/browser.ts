/** Headless Chromium from Debian, driven by playwright-core; screenshots go to test-output/. */
import fs from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { CHROMIUM_PATH } from './environment';

export const SCREENSHOT_DIR = path.join(__dirname, '../../test-output/screenshots');

/**
 * Chromium in Chinese, as the offices' browsers are: native date inputs then read 年/月/日 and
 * 2027/02/26 14:30 instead of mm/dd/yyyy. The date format follows the process's locale (LANG), the
 * browser's own words need Debian's chromium-l10n (.ci/run installs it).
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync', '--lang=zh-CN'],
    env: { ...process.env, LANG: 'zh_CN.UTF-8', LANGUAGE: 'zh_CN:zh', LC_ALL: 'zh_CN.UTF-8' },
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
