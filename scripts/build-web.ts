/**
 * Builds the browser UI into dist/web/: the client bundle (src/web/client, split so that bpmn-js and
 * form-js load only on the pages that draw diagrams and forms), the page shell and styles, and the CSS
 * that bpmn-js and form-js ship. Run by `npm start` (prestart) and by the browser tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { CHANNEL_LABELS, CLAIM_CATEGORIES, KIND_LABELS } from '../src/cases/model';
import * as client from '../src/web/client/labels';

const ROOT = path.join(__dirname, '..');
const CLIENT = path.join(ROOT, 'src/web/client');
export const WEB_OUT = path.join(ROOT, 'dist/web');

const VENDOR_CSS: [string, string][] = [
  ['node_modules/bpmn-js/dist/assets/diagram-js.css', 'diagram-js.css'],
  ['node_modules/bpmn-js/dist/assets/bpmn-js.css', 'bpmn-js.css'],
  ['node_modules/@bpmn-io/form-js-viewer/dist/assets/form-js.css', 'form-js.css'],
  ['node_modules/@bpmn-io/form-js-viewer/dist/assets/flatpickr/light.css', 'flatpickr-light.css'],
];

/** The client keeps its own copy of the case model's labels (no zod in the browser); they must not drift. */
export function checkClientLabels(): string[] {
  const problems: string[] = [];
  const same = (what: string, server: Record<string, string>, browser: Record<string, string>) => {
    if (JSON.stringify(server) !== JSON.stringify(browser)) problems.push(`${what} in src/web/client/labels.ts differ from src/cases/model.ts`);
  };
  same('channels', CHANNEL_LABELS, client.CHANNEL_LABELS);
  same('kinds', KIND_LABELS, client.KIND_LABELS);
  same('claim categories', Object.fromEntries(Object.entries(CLAIM_CATEGORIES).map(([k, v]) => [k, v.label])),
    Object.fromEntries(Object.entries(client.CLAIM_CATEGORIES).map(([k, v]) => [k, v.label])));
  return problems;
}

export async function buildWeb(opts: { minify?: boolean } = {}): Promise<void> {
  const problems = checkClientLabels();
  if (problems.length) throw new Error(problems.join('\n'));
  const assets = path.join(WEB_OUT, 'assets');
  // Chunk names carry hashes: clear old ones so the folder holds one build.
  fs.rmSync(assets, { recursive: true, force: true });
  fs.mkdirSync(path.join(assets, 'vendor'), { recursive: true });
  await build({
    entryPoints: [path.join(CLIENT, 'main.ts')],
    outdir: assets,
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    minify: opts.minify ?? true,
    sourcemap: true,
    chunkNames: 'chunk-[hash]',
    tsconfig: path.join(CLIENT, 'tsconfig.json'),
    logLevel: 'warning',
  });
  for (const [from, to] of VENDOR_CSS) fs.copyFileSync(path.join(ROOT, from), path.join(assets, 'vendor', to));
  for (const f of ['index.html', 'style.css']) fs.copyFileSync(path.join(CLIENT, f), path.join(WEB_OUT, f));
}

if (require.main === module) {
  const started = Date.now();
  buildWeb().then(
    () => console.log(`web UI built into ${path.relative(process.cwd(), WEB_OUT) || '.'} in ${Date.now() - started} ms`),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
