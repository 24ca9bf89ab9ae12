// Lint: typescript-eslint's strict type-checked rules over src/, test/ and bench/; Prettier owns layout.
// Each relaxation below names its reason.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
