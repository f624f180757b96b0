// Every diagram in workflows/ must deploy on both engines: the embedded subset and Camunda 8.8.
import fs from 'node:fs';
import path from 'node:path';
import { checkBpmn } from '../../../src/engine/model/check';

const dir = path.join(__dirname, '../../../workflows');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.bpmn')).sort() : [];

describe('workflows/', () => {
  it('holds only diagrams that pass the check (none yet is fine)', () => {
    expect(Array.isArray(files)).toBe(true);
  });

  it.each(files.map((f) => [f]))('%s passes the subset check and the Camunda 8.8 lint', async (file) => {
    const check = await checkBpmn(fs.readFileSync(path.join(dir, file), 'utf8'));
    const errors = check.problems.filter((p) => p.severity === 'error').map((p) => `${p.elementId ?? '-'} [${p.rule}] ${p.message}`);
    expect(errors).toEqual([]);
    expect(check.processes.length).toBeGreaterThan(0);
  });

  it('has no process id twice across files', async () => {
    const seen = new Map<string, string>();
    for (const file of files) {
      const check = await checkBpmn(fs.readFileSync(path.join(dir, file), 'utf8'));
      for (const p of check.processes) {
        expect(seen.get(p.id) ?? file).toBe(file);
        seen.set(p.id, file);
      }
    }
  });
});
