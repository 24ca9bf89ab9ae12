import { actionsPinned } from '../../../src/policy/rules/actions-pinned.js';
import { testRule } from '../../helpers/rule-tester.js';

const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';
const wf = (body: string) => ({ '.github/workflows/ci.yml': `on: push\njobs:\n${body}` });

testRule(actionsPinned, {
  valid: [
    {
      name: 'SHA-pinned steps with version comments',
      files: wf(`  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${SHA} # v4\n`),
    },
    {
      name: 'local action and docker digest',
      files: wf(
        `  t:\n    runs-on: x\n    steps:\n      - uses: ./.github/actions/setup\n      - uses: docker://alpine:3.19@sha256:${'c'.repeat(64)}\n`,
      ),
    },
    {
      name: 'commented-out uses and docker run are not refs',
      files: wf(`  t:\n    runs-on: x\n    # - uses: actions/checkout@v3\n    steps:\n      - run: docker run alpine:latest\n`),
    },
    {
      name: 'container images are not uses refs',
      files: wf('  t:\n    runs-on: x\n    container: node:latest\n    steps:\n      - run: echo\n'),
    },
    {
      name: 'the SLSA generator by release tag (slsa-framework/slsa-verifier .github/workflows/release.yml)',
      files: wf(
        '  builder:\n    uses: slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@v2.0.0 # always use a tag @X.Y.Z\n',
      ),
    },
    {
      name: "an organization's own by-tag action, from actions-pinned.allow",
      files: wf('  t:\n    runs-on: x\n    steps:\n      - uses: acme/release-tools/sign@v1.4.0\n'),
      config: { 'actions-pinned': { allow: ['acme/release-tools'] } },
    },
  ],
  invalid: [
    {
      name: 'the SLSA generator on a branch',
      files: wf('  builder:\n    uses: slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@main\n'),
      errors: [{ line: 4, code: 'needs-release-tag', message: /must be referenced by a release tag `vX\.Y\.Z`, not `main`/ }],
    },
    {
      name: 'actions-pinned.allow covers only what it names',
      files: wf('  t:\n    runs-on: x\n    steps:\n      - uses: acme/other@v1.4.0\n'),
      config: { 'actions-pinned': { allow: ['acme/release-tools'] } },
      errors: [{ line: 6, code: 'unpinned' }],
    },
    {
      name: 'tag on a step',
      files: wf('  t:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n'),
      errors: [{ line: 6, code: 'unpinned', severity: 'warning', message: /tag `v4`/ }],
    },
    {
      name: 'reusable workflow on a branch',
      files: wf('  call:\n    uses: acme/ci/.github/workflows/dbt.yml@main\n'),
      errors: [{ line: 4, code: 'unpinned', message: /reusable workflow/ }],
    },
    {
      name: 'docker image without digest',
      files: wf('  t:\n    runs-on: x\n    steps:\n      - uses: docker://pandoc/latex:2.9\n'),
      errors: [{ line: 6, code: 'unpinned' }],
    },
    {
      name: 'composite action',
      files: { 'actions/setup/action.yml': 'name: s\nruns:\n  using: composite\n  steps:\n    - uses: actions/setup-python@v5\n' },
      errors: [{ line: 5, code: 'unpinned' }],
    },
    {
      name: 'as an error when configured so',
      files: wf('  t:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@main\n'),
      config: { rules: { 'actions-pinned': 'error' } },
      errors: [{ line: 6, code: 'unpinned', severity: 'error' }],
    },
  ],
});
