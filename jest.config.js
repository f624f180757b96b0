// Jest runs TypeScript through swc. Several BPMN/FEEL packages ship ES modules only,
// so they are transformed too (listed in esmPackages) instead of being left to require().
const esmPackages = [
  'bpmn-moddle', 'dmn-moddle', 'moddle', 'moddle-xml', 'zeebe-bpmn-moddle', 'feelin', 'lezer-feel',
  '@lezer', 'min-dash', 'saxen', 'bpmnlint', 'bpmnlint-utils', 'bpmnlint-plugin-camunda-compat',
  'chinese-days', 'temporal-polyfill', 'temporal-utils', 'temporal-spec', '@bpmn-io', 'ids', 'diagram-js', 'bpmn-js', 'luxon'
];
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: false },
    target: 'es2022'
  },
  module: { type: 'commonjs' }
}];
const common = {
  transform: { '^.+\\.(t|j|mj|cj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/setup-env.ts']
};
module.exports = {
  // Integration and browser tests start services and databases; on a loaded 2-core machine 5 s is too short.
  testTimeout: 120_000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/src/**/*.test.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.test.ts'] }
  ]
};
