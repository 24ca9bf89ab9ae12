/** ESM + ts-jest: type errors are caught by `tsc --noEmit`, run first by `npm test`. */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testTimeout: 20000,
  // The product is built once per run, into its own folder (SHIPSHAPE_BUILD), before any test starts.
  globalSetup: '<rootDir>/test/build-once.js',
  globalTeardown: '<rootDir>/test/build-cleanup.js',
  // Jest's soft deletion of globals wraps what a test file left on globalThis (Sentry's carrier, nock's
  // interceptor) in getters that recurse until the stack overflows in later files of the same worker.
  testEnvironmentOptions: { globalsCleanup: 'off' },
};
