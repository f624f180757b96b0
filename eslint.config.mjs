// Lint: typescript-eslint's recommended rules plus the project's boundaries (STYLE.md):
// settings are read in one place; the HTTP layer and the workers do not import each other; outside
// src/engine/ only the composition root picks an engine implementation, everything else uses the port.
import tseslint from 'typescript-eslint';

// A later config object for the same files replaces a rule's options, so each folder's
// no-restricted-imports entry repeats this one rather than adding to it.
const engineImplementations = {
  group: ['**/engine/runtime', '**/engine/runtime/**', '**/engine/zeebe', '**/engine/zeebe/**'],
  message: 'Use the engine port (src/engine/port.ts, rejection.ts); only src/core.ts and src/service.ts choose an implementation.',
};
const outsideEngine = { files: ['src/**/*.ts'], ignores: ['src/engine/**', 'src/core.ts', 'src/service.ts'] };

// On SQLite every transaction must queue on the shared lock: use inTransaction (src/db/data-source.ts).
const ownTransactions = { selector: "CallExpression[callee.property.name='transaction']", message: 'Use inTransaction() from src/db/data-source.ts (or the engine\'s serialTransaction).' };
// The engines' tables are theirs: outside src/engine/ (and migrations, tests, benchmarks) they are read
// through the port (src/engine/port.ts) or the task table the engine describes (src/engine/read-model).
const engineTableMessage = 'Nothing outside src/engine/ names an engine_* or zeebe_* table: use the engine port.';
const engineTables = [
  { selector: 'Literal[value=/\\b(engine|zeebe)_[a-z_]+/]', message: engineTableMessage },
  { selector: 'TemplateElement[value.raw=/\\b(engine|zeebe)_[a-z_]+/]', message: engineTableMessage },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'coverage/**', 'test-output/**', 'src/web/public/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read settings from src/config/settings.ts.' }],
      'no-restricted-syntax': ['error', ownTransactions, ...engineTables],
    },
  },
  {
    files: ['src/engine/**', 'migrations/**', 'bench/**'],
    rules: { 'no-restricted-syntax': ['error', ownTransactions] },
  },
  {
    files: ['src/db/data-source.ts', 'src/mail/sender.ts'],
    rules: { 'no-restricted-syntax': ['error', ...engineTables] },
  },
  {
    files: ['src/engine/runtime/tx.ts', 'src/engine/deploy/definitions.ts', 'test/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['src/config/settings.ts', 'test/**', 'bench/**', 'scripts/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    ...outsideEngine,
    rules: { 'no-restricted-imports': ['error', { patterns: [engineImplementations] }] },
  },
  {
    files: ['src/http/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/workers/*', '!**/workers/contract'], message: 'The HTTP layer does not import workers.' }, engineImplementations] }] },
  },
  {
    files: ['src/workers/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/http/**'], message: 'Workers do not import the HTTP layer.' }, engineImplementations] }] },
  },
  {
    // The browser shell (main.ts) imports every page; pages take their context from router.ts, so no page imports the shell.
    files: ['src/web/client/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [engineImplementations, { group: ['./main', '../main', '**/client/main'], message: 'Pages import router.ts (PageContext, navigate, currentRender), not the shell.' }] }] },
  },
  {
    // Routes validate, authorize, call a command or query module and present; SQL lives in the domain modules.
    files: ['src/http/routes/**'],
    ignores: ['src/http/routes/health.ts'],
    rules: { 'no-restricted-syntax': ['error', ownTransactions, ...engineTables, { selector: "CallExpression[callee.property.name='query']", message: 'Routes hold no SQL: put the query in the domain module (queries.ts or a sibling) and call it.' }] },
  },
  {
    // The shared response types are compiled into the browser bundle too: they may import only each other.
    files: ['src/contracts/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['../*', '!./*'], message: 'src/contracts holds types shared with the browser; it imports nothing from the server.' }] }] },
  },
  {
    files: ['test/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
);
