// Lint: typescript-eslint's strict type-checked rules over src/, test/ and bench/; Prettier owns layout.
// Each relaxation below names its reason.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// The layers of src/, top to bottom: the entry points and the composition root; handlers (payload → job);
// flows (one use case each); github and local (the only code that reads GitHub or the disk); the pure
// domains; core. ops (queues, coordination, timers, metrics, logs) stands beside the I/O layers and uses
// only the pure ones. An import may only point down (or into ops, from an I/O layer): a backward arrow fails
// the lint, and so does a loop of imports (import-x/no-cycle; test/architecture.test.ts adds type-only ones).
const ROOTS = ['./src/main.ts', './src/server.ts', './src/app.ts', './src/cli.ts', './src/audit-cli.ts'];
const PURE = ['config', 'policy', 'release', 'audit', 'pipelines'].map((d) => `./src/${d}`);
const IO = ['./src/github', './src/local'];
const layer = (target, from, why) => ({ target, from, message: why });
const LAYERS = [
  layer('./src/core', [...ROOTS, './src/handlers', './src/flows', ...IO, './src/ops', ...PURE], 'core imports nothing above it.'),
  ...PURE.map((d) =>
    layer(d, [...ROOTS, './src/handlers', './src/flows', ...IO, './src/ops'], 'the pure domains do no I/O: gather in flows, decide here.'),
  ),
  layer('./src/ops', [...ROOTS, './src/handlers', './src/flows', ...IO], 'ops stands beside the I/O layers and uses only pure code.'),
  ...IO.map((d) => layer(d, [...ROOTS, './src/handlers', './src/flows'], 'github/ and local/ answer flows; they never call them.')),
  layer('./src/flows', [...ROOTS, './src/handlers'], 'a flow is called by handlers and the CLI, never the other way.'),
  layer('./src/handlers', ROOTS, 'handlers are wired by the composition root (src/app.ts, src/server.ts).'),
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '.test-build/',
      'coverage/',
      'node_modules/',
      'examples/',
      'test/fixtures/',
      'bench/results.json',
      'bench/profiles/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Numbers and booleans print unambiguously in messages; objects and nullish values stay errors.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // tsconfig has noUncheckedIndexedAccess: `list[i]!` after a bounds check is how that flag is meant to be used.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `() => void someCall()` in arrow shorthands reads as intended.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Leaving a field out of a copy by destructuring it is the idiom for "everything but".
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: import.meta.dirname })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: LAYERS }],
      'import-x/no-cycle': 'error',
    },
  },
  {
    // Tests and the simulator handle GitHub's JSON as it comes off the wire; their assertions are the type check.
    files: ['test/**/*.ts', 'sim/**/*.ts', 'demo/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // A beforeAll that failed leaves `let server: Server` unset: teardown's `server?.stop()` guards what the type cannot say.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unnecessary-condition': 'off' },
  },
  {
    // Plain JavaScript (launchers, configs) is not in a tsconfig: lint it without type information.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', fetch: 'readonly' },
    },
  },
);
