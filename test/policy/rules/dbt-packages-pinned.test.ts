import { dbtPackagesPinned } from '../../../src/policy/rules/dbt-packages-pinned.js';
import { fakeFacts, testRule } from '../../helpers/rule-tester.js';

const SHA = 'a'.repeat(40);
const pkg = (body: string) => ({ 'packages.yml': `packages:\n${body}` });

testRule(dbtPackagesPinned, {
  valid: [
    {
      name: 'git tag with build metadata',
      files: pkg('  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: v0.7.0+20230926\n'),
    },
    { name: 'git full SHA', files: pkg(`  - git: https://github.com/dbt-labs/dbt-utils.git\n    revision: ${SHA}\n`) },
    {
      name: 'hub exact version, quoted or not',
      files: pkg('  - package: dbt-labs/dbt_utils\n    version: 1.1.1\n  - package: calogica/dbt_date\n    version: "0.10.0"\n'),
    },
    { name: 'local and projects entries', files: { 'dependencies.yml': 'packages:\n  - local: ../core\nprojects:\n  - name: upstream\n' } },
    {
      name: 'Jinja only in the git URL',
      files: pkg('  - git: "https://{{ env_var(\'GIT_TOKEN\') }}@github.com/acme/utils.git"\n    revision: 1.2.0\n'),
    },
    {
      name: 'a version-like revision that GitHub confirms as a tag',
      files: pkg('  - git: https://github.com/acme/x.git\n    revision: "1.10"\n'),
      facts: fakeFacts({ 'acme/x@1.10': 'tag' }),
    },
    { name: 'a non-dbt packages.yml (other tool) is not judged', files: { 'packages.yml': 'name: something\nitems: [1, 2]\n' } },
    { name: 'an empty packages.yml', files: { 'packages.yml': '' } },
    {
      name: 'vendored dbt_packages are skipped',
      files: { 'dbt_packages/x/packages.yml': 'packages:\n  - git: https://github.com/a/b.git\n    revision: main\n' },
    },
  ],
  invalid: [
    {
      name: 'branch main',
      files: pkg('  - git: https://github.com/dbt-labs/jaffle.git\n    revision: main\n'),
      errors: [{ line: 3, code: 'unpinned', severity: 'error', message: /`dbt-labs\/jaffle` is pinned to `main`/ }],
    },
    {
      name: 'branch develop (dbt itself stays silent)',
      files: pkg('  - git: https://github.com/acme/x.git\n    revision: develop\n'),
      errors: [{ line: 3, code: 'unpinned' }],
    },
    {
      name: 'HEAD and feature/x',
      files: pkg('  - git: https://github.com/a/b.git\n    revision: HEAD\n  - git: https://github.com/a/c.git\n    revision: feature/x\n'),
      errors: [
        { line: 3, code: 'unpinned' },
        { line: 5, code: 'unpinned' },
      ],
    },
    {
      name: 'no revision: reported on the git line',
      files: pkg('  - git: https://github.com/a/b.git\n'),
      errors: [{ line: 2, code: 'unpinned', message: /no `revision`/ }],
    },
    {
      name: 'short SHA',
      files: pkg('  - git: https://github.com/a/b.git\n    revision: abc1234\n'),
      errors: [{ line: 3, code: 'unpinned', message: /short SHA/ }],
    },
    {
      name: 'warn-unpinned: false is its own finding',
      files: pkg('  - git: https://github.com/a/b.git\n    revision: 1.0.0\n    warn-unpinned: false\n'),
      errors: [{ line: 4, code: 'warn-unpinned-false' }],
    },
    {
      name: 'version-like revision that GitHub says is a branch',
      files: pkg('  - git: https://github.com/a/b.git\n    revision: v1.0\n'),
      facts: fakeFacts({ 'a/b@v1.0': 'branch' }),
      errors: [{ line: 3, code: 'unpinned', message: /branch `v1.0`/ }],
    },
    {
      name: 'revision that exists nowhere',
      files: pkg('  - git: https://github.com/a/b.git\n    revision: 9.9.9\n'),
      facts: fakeFacts({ 'a/b@9.9.9': 'missing' }),
      errors: [{ line: 3, code: 'missing-ref' }],
    },
    {
      name: 'Jinja revision is unverifiable, a warning',
      files: pkg('  - git: https://github.com/a/b.git\n    revision: "{{ env_var(\'BRANCH\') }}"\n'),
      errors: [{ line: 3, code: 'unverifiable', severity: 'warning' }],
    },
    {
      name: 'hub range string',
      files: pkg('  - package: dbt-labs/dbt_utils\n    version: ">=1.0.0"\n'),
      errors: [{ line: 3, code: 'unpinned' }],
    },
    {
      name: 'hub list (flow and block)',
      files: pkg('  - package: a/b\n    version: [">=1.0.0", "<2.0.0"]\n  - package: c/d\n    version:\n      - ">=0.1.0"\n'),
      errors: [
        { line: 3, code: 'unpinned' },
        { line: 6, code: 'unpinned' },
      ],
    },
    { name: 'hub without version', files: pkg('  - package: a/b\n'), errors: [{ line: 2, code: 'unpinned' }] },
    {
      name: 'a token in the URL is never printed',
      files: pkg('  - git: https://x-access-token:ghp_secret123@gitlab.example.com/a/b.git\n    revision: main\n'),
      errors: [{ line: 3, code: 'unpinned', message: /^(?!.*ghp_secret123)/ }],
    },
    {
      name: 'malformed YAML is a finding, not a crash',
      files: pkg('  - git: [unclosed\n'),
      errors: [{ rule: 'malformed-file', line: 2, code: 'malformed' }],
    },
    {
      name: 'a YAML alias bomb is read without expansion',
      files: {
        'packages.yml':
          'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\npackages:\n  - git: https://github.com/a/b.git\n    revision: main\n',
      },
      errors: [{ line: 6, code: 'unpinned' }],
    },
    {
      name: 'packages: is not a list',
      files: { 'packages.yml': 'packages: 3\n' },
      errors: [{ rule: 'malformed-file', line: 1, code: 'malformed' }],
    },
    {
      name: 'a 2 MB file',
      files: { 'packages.yml': `packages:\n${'# x\n'.repeat(600000)}` },
      errors: [{ rule: 'malformed-file', line: 1, code: 'unreadable', message: /over the 1 MB/ }],
    },
    {
      name: 'a binary file',
      files: { 'packages.yml': { kind: 'binary' } },
      errors: [{ rule: 'malformed-file', line: 1, code: 'unreadable', message: /not a text file/ }],
    },
    {
      name: 'several dbt projects in one repo',
      files: {
        'a/packages.yml': 'packages:\n  - git: https://github.com/a/b.git\n    revision: main\n',
        'b/dependencies.yml': 'packages:\n  - package: a/b\n    version: ">1"\n',
      },
      errors: [
        { path: 'a/packages.yml', line: 3, code: 'unpinned' },
        { path: 'b/dependencies.yml', line: 3, code: 'unpinned' },
      ],
    },
  ],
});
