// Prints the settings table; with --write, replaces the table in README.md (between the markers).
import fs from 'node:fs';
import path from 'node:path';
import { settingsTable } from '../src/config/settings';

const START = '<!-- settings:start -->';
const END = '<!-- settings:end -->';

if (process.argv.includes('--write')) {
  const file = path.join(__dirname, '../README.md');
  const text = fs.readFileSync(file, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} markers`);
  fs.writeFileSync(file, text.slice(0, a + START.length) + '\n' + settingsTable() + '\n' + text.slice(b));
} else {
  process.stdout.write(settingsTable() + '\n');
}
