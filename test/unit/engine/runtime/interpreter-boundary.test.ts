import fs from 'node:fs';
import path from 'node:path';

/**
 * The interpreter knows the step's storage only by its interface: no SQL driver, no transaction
 * helper, no storage implementation (whose write buffers are theirs alone).
 */
const dir = path.join(__dirname, '../../../../src/engine/runtime/interpreter');

function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(dir, file), 'utf8');
  return [...text.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
}

describe('engine interpreter boundary', () => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));

  test('the interpreter has its modules', () => {
    expect(files).toEqual(expect.arrayContaining(['activation.ts', 'gateways.ts', 'events.ts', 'scopes.ts', 'errors.ts', 'variables.ts']));
  });

  test.each(files)('%s imports no storage implementation, database or transaction module', (file) => {
    const imports = importsOf(file);
    expect(imports.length).toBeGreaterThan(0);
    const outside = imports.filter((spec) => /typeorm|mysql|sqlite|\/db\/|\/tx$|statement-batch|storage\/(?!step-state$)/.test(spec));
    expect(outside).toEqual([]);
  });
});
