/**
 * GitHub Actions workflows and composite actions → every `uses:` (a step's action or a job's reusable
 * workflow) with its line and column, and whether the workflow runs on a schedule. Real workflows from
 * the labelled corpus (its file name gives repository and path; lines are the corpus's), the realrepos
 * fixtures and a public composite action; a file that is not valid YAML is still scanned line by line.
 */
import { MAX_FLOW_DEPTH } from '../../../src/core/yaml.js';
import type { FormatError } from '../../../src/policy/formats/format.js';
import { extractUses, workflowFormat, type UsesRef, type WorkflowFile } from '../../../src/policy/formats/workflow.js';
import { covers } from '../../../src/policy/parsed.js';
import { describeWithShared } from '../../helpers/shared.js';
import { checkVerbatim, corpusText, crlf, labelledLines, text, unterminated, type Copied } from './real-files.js';

interface Case extends Copied {
  /** Where the file sits (it names the file in a duplicate-key error). */
  path: string;
  value: Omit<WorkflowFile, 'error'>;
  error?: FormatError;
}

const step = (line: number, column: number, value: string): UsesRef => ({ line, column, value, where: 'step' });
const job = (line: number, column: number, value: string): UsesRef => ({ line, column, value, where: 'job' });
const NOT_YAML = 'not valid YAML, so GitHub will not run it: ';

// python/cpython .github/workflows/stale.yml (corpus file 021), first 17 lines.
const STALE = text(
  'name: Mark stale pull requests',
  '',
  'on:',
  '  schedule:',
  '  - cron: "0 0 * * *"',
  '',
  'permissions:',
  '  pull-requests: write',
  '',
  'jobs:',
  '  stale:',
  '',
  '    runs-on: ubuntu-latest',
  '',
  '    steps:',
  '    - name: "Check PRs with \'CLA signed\' label"',
  '      uses: actions/stale@v4',
);

const realFiles: Case[] = [
  {
    name: 'a reusable workflow called by a job',
    corpus: 'actions/001__fivetran__dbt_stripe__.github~workflows~generate-docs.yml',
    path: '.github/workflows/generate-docs.yml',
    text: unterminated(
      "name: 'generate dbt docs'",
      'on:',
      '  pull_request:',
      '    types:',
      '      - labeled',
      '',
      'jobs:',
      '  generate-docs:',
      "    if: github.event.label.name == 'docs:ready'",
      '    uses: fivetran/dbt_package_automations/.github/workflows/generate-docs.yml@main',
      '    secrets: inherit',
      '    with:',
      '      schema_var_name: stripe_schema',
    ),
    value: { uses: [job(10, 11, 'fivetran/dbt_package_automations/.github/workflows/generate-docs.yml@main')], scheduled: false },
  },
  {
    name: 'a job-level `uses:` indented six spaces, below comment lines',
    corpus: 'actions/006__calogica__dbt-expectations__.github~workflows~ci.yml',
    path: '.github/workflows/ci.yml',
    text: text(
      '# **what?**',
      '# Run tests for dbt-codegen against supported adapters',
      '',
      '# **why?**',
      '# To ensure that dbt-codegen works as expected with all supported adapters',
      '',
      '# **when?**',
      '# On every PR, and every push to main and when manually triggered',
      '',
      'name: Package Integration Tests',
      '',
      'on:',
      '    push:',
      '        branches:',
      '            - main',
      '    pull_request:',
      '    workflow_dispatch:',
      '',
      'jobs:',
      '  run-tests:',
      '      uses: dbt-labs/dbt-package-testing/.github/workflows/run_tox.yml@main',
    ),
    value: { uses: [job(21, 13, 'dbt-labs/dbt-package-testing/.github/workflows/run_tox.yml@main')], scheduled: false },
  },
  {
    name: '`on: push` as a string; `uses:` on the dash line; a docker:// image by tag',
    corpus: 'actions/018__KirstieJane__fun-with-automation__.github~workflows~pandoc.yml',
    path: '.github/workflows/pandoc.yml',
    text: text(
      'name: Pandoc example',
      'on: push',
      '',
      'jobs:',
      '  convert_via_pandoc:',
      '    runs-on: ubuntu-18.04',
      '    steps:',
      '      - uses: actions/checkout@v2',
      '      - run: |',
      '          echo "Lorem ipsum" > lorem_1.md  # create two example files',
      '          echo "dolor sit amet --- here\'s a new line" > lorem_2.md',
      '          mkdir -p output  # create output dir',
      '          # this will also include README.md',
      '          echo "FILELIST=$(printf \'"%s" \' *.md)" >> $GITHUB_ENV',
      '      - uses: docker://pandoc/latex:2.9',
      '        with:',
      '          args: >-',
      '            -o output/a-new-file.pdf',
      '            --pdf-engine=lualatex',
      '            docs/make-sub-dir/a-new-file.md',
      '      - uses: actions/upload-artifact@v1',
      '        with:',
      '          name: output',
      '          path: output',
      '      - uses: mikeal/publish-to-github-action@master',
      '        env:',
      '          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}',
      "          BRANCH_NAME: 'main'",
    ),
    value: {
      uses: [
        step(8, 15, 'actions/checkout@v2'),
        step(15, 15, 'docker://pandoc/latex:2.9'),
        step(21, 15, 'actions/upload-artifact@v1'),
        step(25, 15, 'mikeal/publish-to-github-action@master'),
      ],
      scheduled: false,
    },
  },
  {
    name: '`on: schedule`; steps at the indentation of `steps:`, `uses:` below `- name:`',
    corpus: 'actions/021__python__cpython__.github~workflows~stale.yml',
    path: '.github/workflows/stale.yml',
    text:
      STALE +
      text(
        '      with:',
        '        repo-token: ${{ secrets.GITHUB_TOKEN }}',
        "        only-pr-labels: 'CLA signed'",
        "        stale-pr-message: 'This PR is stale because it has been open for 30 days with no activity.'",
        "        stale-pr-label: 'stale'",
        '        days-before-stale: 30',
        '        days-before-close: -1',
        '',
        "    - name: \"Check PR's with 'CLA not signed' label\"",
        '      uses: actions/stale@v4',
      ),
    value: { uses: [step(17, 13, 'actions/stale@v4'), step(27, 13, 'actions/stale@v4')], scheduled: true },
  },
  {
    name: 'a docker:// action pinned by digest',
    corpus: 'actions/012__1447443432__promtail-mongodb__.github~workflows~actionlint.yml',
    path: '.github/workflows/actionlint.yml',
    text: text(
      'name: Workflow Lint',
      '',
      'on:',
      '  push:',
      '    branches: [master]',
      '    paths:',
      '      - .github/workflows/**',
      '      - .github/image-make/**',
      '      - .image-build.env',
      '  pull_request:',
      '    paths:',
      '      - .github/workflows/**',
      '      - .github/image-make/**',
      '      - .image-build.env',
      '  workflow_dispatch:',
      '',
      'permissions:',
      '  contents: read',
      '',
      'jobs:',
      '  actionlint:',
      '    name: Validate GitHub Actions workflows',
      '    runs-on: ubuntu-24.04',
      '    steps:',
      '      - uses: actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803',
      '      - name: Run actionlint',
      '        uses: docker://rhysd/actionlint@sha256:9d36088643581e728c969f35141f88139fec77280b2be23c1f66f8e40e1025e7',
    ),
    value: {
      uses: [
        step(25, 15, 'actions/checkout@d23441a48e516b6c34aea4fa41551a30e30af803'),
        step(27, 15, 'docker://rhysd/actionlint@sha256:9d36088643581e728c969f35141f88139fec77280b2be23c1f66f8e40e1025e7'),
      ],
      scheduled: false,
    },
  },
  {
    name: 'a local action, and a `# v6` comment after the SHA',
    corpus: 'actions/016__mastodon__mastodon__.github~workflows~lint-js.yml',
    path: '.github/workflows/lint-js.yml',
    text: text(
      'name: JavaScript Linting',
      'on:',
      '  merge_group:',
      '  push:',
      '    branches:',
      "      - 'main'",
      "      - 'stable-*'",
      '    paths:',
      "      - 'package.json'",
      "      - 'yarn.lock'",
      "      - 'tsconfig.json'",
      "      - '.nvmrc'",
      "      - 'eslint.config.mjs'",
      "      - '**/*.js'",
      "      - '**/*.jsx'",
      "      - '**/*.ts'",
      "      - '**/*.tsx'",
      "      - '.github/workflows/lint-js.yml'",
      '',
      '  pull_request:',
      '    paths:',
      "      - 'package.json'",
      "      - 'yarn.lock'",
      "      - 'tsconfig.json'",
      "      - '.nvmrc'",
      "      - 'eslint.config.mjs'",
      "      - '**/*.js'",
      "      - '**/*.jsx'",
      "      - '**/*.ts'",
      "      - '**/*.tsx'",
      "      - '.github/workflows/lint-js.yml'",
      '',
      'jobs:',
      '  lint:',
      '    runs-on: ubuntu-latest',
      '    timeout-minutes: 15',
      '',
      '    steps:',
      '      - name: Clone repository',
      '        uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6',
      '',
      '      - name: Set up Javascript environment',
      '        uses: ./.github/actions/setup-javascript',
    ),
    value: {
      uses: [step(40, 15, 'actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd'), step(43, 15, './.github/actions/setup-javascript')],
      scheduled: false,
    },
  },
  {
    name: '`on:` as a flow list; flow mappings in the matrix',
    corpus: 'actions/019__psf__requests__.github~workflows~run-tests.yml',
    path: '.github/workflows/run-tests.yml',
    text: text(
      'name: Tests',
      '',
      'on: [push, pull_request]',
      '',
      'permissions:',
      '  contents: read',
      '',
      'jobs:',
      '  build:',
      '    runs-on: ${{ matrix.os }}',
      '    timeout-minutes: 10',
      '    strategy:',
      '      fail-fast: false',
      '      matrix:',
      '        python-version: ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "pypy-3.9", "pypy-3.10"]',
      '        os: [ubuntu-22.04, macOS-latest, windows-latest]',
      '        # Python 3.8 and 3.9 do not run on macOS-latest which',
      '        # is now using arm64 hardware.',
      '        # https://github.com/actions/setup-python/issues/696#issuecomment-1637587760',
      '        exclude:',
      '        - { python-version: "3.8", os: "macos-latest" }',
      '        - { python-version: "3.9", os: "macos-latest" }',
      '        include:',
      '        - { python-version: "3.8", os: "macos-13" }',
      '        - { python-version: "3.9", os: "macos-13" }',
      '',
      '    steps:',
      '    - uses: actions/checkout@d632683dd7b4114ad314bca15554477dd762a938 # v4.2.0',
      '    - name: Set up Python ${{ matrix.python-version }}',
      '      uses: actions/setup-python@f677139bbe7f9c59b41e40162b753c062f5d49a3 # v5.2.0',
    ),
    value: {
      uses: [
        step(28, 13, 'actions/checkout@d632683dd7b4114ad314bca15554477dd762a938'),
        step(30, 13, 'actions/setup-python@f677139bbe7f9c59b41e40162b753c062f5d49a3'),
      ],
      scheduled: false,
    },
  },
  {
    name: 'commented-out `uses:` lines are not read; comments between the keys of `on:`',
    corpus: 'actions/003__11ty__eleventy__.github~workflows~scorecard.yml',
    path: '.github/workflows/scorecard.yml',
    text: text(
      '# This workflow uses actions that are not certified by GitHub. They are provided',
      '# by a third-party and are governed by separate terms of service, privacy',
      '# policy, and support documentation.',
      '',
      'name: Scorecard supply-chain security',
      'on:',
      '  # For Branch-Protection check. Only the default branch is supported. See',
      '  # https://github.com/ossf/scorecard/blob/main/docs/checks.md#branch-protection',
      '  branch_protection_rule:',
      '  # To guarantee Maintained check is occasionally updated. See',
      '  # https://github.com/ossf/scorecard/blob/main/docs/checks.md#maintained',
      '  schedule:',
      "    - cron: '35 7 * * 2'",
      '  push:',
      '    branches: [ "main" ]',
      '',
      '# Declare default permissions as read only.',
      'permissions: read-all',
      '',
      'jobs:',
      '  analysis:',
      '    name: Scorecard analysis',
      '    runs-on: ubuntu-latest',
      '    permissions:',
      '      # Needed to upload the results to code-scanning dashboard.',
      '      security-events: write',
      '      # Needed to publish results and get a badge (see publish_results below).',
      '      id-token: write',
      '      # Uncomment the permissions below if installing in a private repository.',
      '      # contents: read',
      '      # actions: read',
      '',
      '    steps:',
      '      - name: "Checkout code"',
      '        uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1',
      '        with:',
      '          persist-credentials: false',
      '',
      '      - name: "Run analysis"',
      '        uses: ossf/scorecard-action@4eaacf0543bb3f2c246792bd56e8cdeffafb205a # v2.4.3',
      '        with:',
      '          results_file: results.sarif',
      '          results_format: sarif',
      '          # (Optional) "write" PAT token. Uncomment the `repo_token` line below if:',
      '          # - you want to enable the Branch-Protection check on a *public* repository, or',
      '          # - you are installing Scorecard on a *private* repository',
      '          # To create the PAT, follow the steps in https://github.com/ossf/scorecard-action?tab=readme-ov-file#authentication-with-fine-grained-pat-optional.',
      '          # repo_token: ${{ secrets.SCORECARD_TOKEN }}',
      '',
      '          # Public repositories:',
      '          #   - Publish results to OpenSSF REST API for easy access by consumers',
      '          #   - Allows the repository to include the Scorecard badge.',
      '          #   - See https://github.com/ossf/scorecard-action#publishing-results.',
      '          # For private repositories:',
      '          #   - `publish_results` will always be set to `false`, regardless',
      '          #     of the value entered here.',
      '          publish_results: true',
      '',
      '      # Upload the results as artifacts (optional). Commenting out will disable uploads of run results in SARIF',
      '      # format to the repository Actions tab.',
      '      # - name: "Upload artifact"',
      '      #   uses: actions/upload-artifact@97a0fba1372883ab732affbe8f94b823f91727db # v3.pre.node20',
      '      #   with:',
      '      #     name: SARIF file',
      '      #     path: results.sarif',
      '      #     retention-days: 5',
      '',
      "      # Upload the results to GitHub's code scanning dashboard (optional).",
      "      # Commenting out will disable upload of results to your repo's Code Scanning dashboard",
      '      # - name: "Upload to code-scanning"',
      '      #   uses: github/codeql-action/upload-sarif@v3',
      '      #   with:',
      '      #     sarif_file: results.sarif',
    ),
    value: {
      uses: [
        step(35, 15, 'actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11'),
        step(40, 15, 'ossf/scorecard-action@4eaacf0543bb3f2c246792bd56e8cdeffafb205a'),
      ],
      scheduled: true,
    },
  },
  {
    name: 'step actions and a job’s reusable workflow by tag; `schedule` below comments in `on:`',
    fixture: '7-slsa-generator-by-tag/.github/workflows/release.yml',
    path: '.github/workflows/release.yml',
    text: text(
      '# source: slsa-framework/slsa-verifier .github/workflows/release.yml@aaf98fd77ddc1963c0f34f34c46bd84d7a08c260 (trimmed: args, builder and the first verification steps)',
      'name: Verifier releaser',
      '',
      'on:',
      '  # For manual tests.',
      '  workflow_dispatch:',
      '  push:',
      '    tags:',
      '      - "*" # triggers only if push new tag version, like `0.8.4`.',
      '  # Run daily as a dry-run/test.',
      '  schedule:',
      '    - cron: "0 1 * * *"',
      '',
      'permissions: read-all',
      '',
      'jobs:',
      '  # Generate ldflags dynamically.',
      '  args:',
      '    runs-on: ubuntu-latest',
      '    outputs:',
      '      version: ${{ steps.ldflags.outputs.version }}',
      '    steps:',
      '      - id: checkout',
      '        uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
      '        with:',
      '          fetch-depth: 0',
      '      - id: ldflags',
      '        run: |',
      '          echo "version=$(git describe --tags --always --dirty | cut -c2-)" >> "$GITHUB_OUTPUT"',
      '',
      '  builder:',
      '    name: builder-${{matrix.os}}-${{matrix.arch}}',
      '    needs: [args]',
      '    strategy:',
      '      matrix:',
      '        os:',
      '          - linux',
      '          - windows',
      '          - darwin',
      '        arch:',
      '          - amd64',
      '          - arm64',
      '    permissions:',
      '      actions: read # For the detection of GitHub Actions environment.',
      '      id-token: write # For signing.',
      '      contents: write # For asset uploads.',
      '    uses: slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@v2.0.0 # always use a tag @X.Y.Z for for slsa builders, not SHA!',
    ),
    value: {
      uses: [
        step(24, 15, 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683'),
        job(47, 11, 'slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@v2.0.0'),
      ],
      scheduled: true,
    },
  },
  // mastodon/mastodon .github/actions/setup-javascript/action.yml@12fd2dae571986df624482b27322b544c823964f (first 26 lines):
  // the composite action that corpus file 016 calls as `./.github/actions/setup-javascript`.
  {
    name: 'a composite action: `runs.steps`, a comment line between steps',
    path: '.github/actions/setup-javascript/action.yml',
    text: text(
      "name: 'Setup Javascript'",
      "description: 'Setup a Javascript environment ready to run the Mastodon code'",
      'inputs:',
      '  onlyProduction:',
      '    description: Only install production dependencies',
      "    default: 'false'",
      '',
      'runs:',
      "  using: 'composite'",
      '  steps:',
      '    - name: Set up Node.js',
      '      uses: actions/setup-node@6044e13b5dc448c55e2357c09f80417699197238 # v6',
      '      with:',
      "        node-version-file: '.nvmrc'",
      '',
      '    # The following is needed because we can not use `cache: true` for `setup-node`, as it does not support Corepack yet and mess up with the cache location if ran after Node is installed',
      '    - name: Enable corepack',
      '      shell: bash',
      '      run: corepack enable',
      '',
      '    - name: Get yarn cache directory path',
      '      id: yarn-cache-dir-path',
      '      shell: bash',
      '      run: echo "dir=$(yarn config get cacheFolder)" >> $GITHUB_OUTPUT',
      '',
      '    - uses: actions/cache@668228422ae6a00e4ad889ee87cd7109ec5666a7 # v5',
    ),
    value: {
      uses: [
        step(12, 13, 'actions/setup-node@6044e13b5dc448c55e2357c09f80417699197238'),
        step(26, 13, 'actions/cache@668228422ae6a00e4ad889ee87cd7109ec5666a7'),
      ],
      scheduled: false,
    },
  },
];

/** Files that are not valid YAML: GitHub refuses them, and their `uses:` are still found line by line. */
const malformed: Case[] = [
  {
    name: 'a step written as `- name:` then `uses:` in a file that is not valid YAML',
    corpus: 'actions/023__Gblack98__dbt-advanced-patterns__.github~workflows~dbt_ci.yml',
    path: '.github/workflows/dbt_ci.yml',
    text: text(
      'name: dbt Slim CI',
      '',
      'on:',
      '  push:',
      '    branches: [main]',
      '  pull_request:',
      '    branches: [main]',
      '',
      'jobs:',
      '  dbt-ci:',
      '    runs-on: ubuntu-latest',
      '',
      '    steps:',
      '      - name: Checkout code',
      '        uses: actions/checkout@v4',
      '',
      '      - name: Setup Python',
      '        uses: actions/setup-python@v5',
      '        with:',
      "          python-version: '3.12'",
      '',
      '      - name: Install dependencies',
      '        run: pip install dbt-core==1.9.9 dbt-duckdb==1.9.6',
      '',
      '      - name: Créer profiles.yml pour CI',
      '        run: |',
      '          mkdir -p dbt_fintech',
      "          cat > dbt_fintech/profiles.yml << 'EOF'",
      'dbt_fintech:',
      '  target: ci',
      '  outputs:',
      '    ci:',
      '      type: duckdb',
      "      path: ':memory:'",
      '      threads: 1',
      'EOF',
      '',
      '      - name: Télécharger le manifest de référence (si existant)',
      '        uses: actions/download-artifact@v4',
      '        with:',
    ),
    value: {
      uses: [step(15, 15, 'actions/checkout@v4'), step(18, 15, 'actions/setup-python@v5'), step(39, 15, 'actions/download-artifact@v4')],
      scheduled: false,
    },
    error: { line: 36, message: 'not valid YAML, so GitHub will not run it: Implicit keys need to be on a single line' },
  },
  {
    // The engine skips templates before parsing; read directly, the Jinja lines make it invalid YAML.
    name: 'a cookiecutter template whose `{% raw %}` lines break the YAML',
    fixture:
      "2-core-cookiecutter-template/tooling/template/{{ cookiecutter.css_short_name + '.dashboards_store' }}/.github/workflows/build_docker.yml",
    path: '.github/workflows/build_docker.yml',
    text: text(
      "# source: Sciance-Inc/core.dashboards_store tooling/template/{{ cookiecutter.css_short_name + '.dashboards_store' }}/.github/workflows/build_docker.yml@83f6d506887c289afc3f3e89e67d076083ae876a (trimmed)",
      'name: Build the ETL',
      '',
      'on:',
      '  push:',
      '    branches:',
      '      - master',
      '      - staging',
      'env:',
      '  CSS_NAME: {{ cookiecutter.css_short_name }}',
      '{% raw %}',
      '  # Shared',
      '  REGISTRY: ghcr.io',
      '  REPOSITORY_NAME: ${{ github.repository }}',
      '',
      'jobs:',
      '  extract_metadata:',
      '    runs-on: ubuntu-latest',
      '    outputs:',
      '      target_branch: ${{ steps.branch-name-parsed.outputs.target_branch }}',
      '    steps:',
      '      - name: Extract the branch name to bind the docker to the dag.',
      '        id: branch-name',
      '        uses: tj-actions/branch-names@v6',
      '',
      "      - name: Replace the / with - in the branch's name",
      '        id: branch-name-parsed',
      '        run: |',
      '          ref="${github_ref////-}"',
      '          echo $ref',
      '          echo "target_branch=$ref" >> $GITHUB_OUTPUT',
      '{% endraw %}',
    ),
    value: { uses: [step(24, 15, 'tj-actions/branch-names@v6')], scheduled: false },
    error: { line: 11, message: `${NOT_YAML}Plain value cannot start with directive indicator character %` },
  },
];

/** The stale workflow made unreadable: what each changes is in its name. */
const malformedVariants: Case[] = [
  {
    name: 'tabs for indentation: not YAML, the `uses:` lines are still found',
    path: '.github/workflows/stale.yml',
    text: STALE.replace('    runs-on', '\truns-on'),
    value: { uses: [step(17, 13, 'actions/stale@v4')], scheduled: true },
    error: { line: 13, message: `${NOT_YAML}Tabs are not allowed as indentation` },
  },
  {
    // Too deep to parse at all, so `on:` is not read either; the `uses:` lines are scanned regardless.
    name: 'flow collections nested deeper than the parser is allowed to go',
    path: '.github/workflows/stale.yml',
    text: STALE.replace('  pull-requests: write', `  pull-requests: ${'['.repeat(MAX_FLOW_DEPTH + 1)}`),
    value: { uses: [step(17, 13, 'actions/stale@v4')], scheduled: false },
    error: { line: 8, message: `${NOT_YAML}collections are nested more than ${MAX_FLOW_DEPTH} levels deep, which Shipshape does not read` },
  },
];

/** Variants of the files above: what each changes is in its name. */
const edgeCases: Case[] = [
  { name: 'an empty file', path: '.github/workflows/ci.yml', text: '', value: { uses: [], scheduled: false } },
  {
    name: 'CRLF line endings',
    path: '.github/workflows/stale.yml',
    text: crlf(STALE),
    value: { uses: [step(17, 13, 'actions/stale@v4')], scheduled: true },
  },
  {
    // Unlike dbt, GitHub refuses a key written twice even with the same value.
    name: '`runs-on` written twice with the same value',
    path: '.github/workflows/stale.yml',
    text: STALE.replace('    runs-on: ubuntu-latest\n', '    runs-on: ubuntu-latest\n    runs-on: ubuntu-latest\n'),
    value: { uses: [step(18, 13, 'actions/stale@v4')], scheduled: true },
    error: {
      line: 14,
      message: `${NOT_YAML}\`jobs.stale.runs-on\` is written twice, at .github/workflows/stale.yml:13 and .github/workflows/stale.yml:14; keep one`,
    },
  },
  {
    name: 'a quoted `uses:` value: its column is the opening quote',
    path: '.github/workflows/stale.yml',
    text: STALE.replace('uses: actions/stale@v4', 'uses: "actions/stale@v4"'),
    value: { uses: [step(17, 13, 'actions/stale@v4')], scheduled: true },
  },
  {
    name: '`on: [push, schedule]` is no schedule (a schedule needs its cron)',
    path: '.github/workflows/stale.yml',
    text: STALE.replace('on:\n  schedule:\n  - cron: "0 0 * * *"\n', 'on: [push, schedule]\n\n\n'),
    value: { uses: [step(17, 13, 'actions/stale@v4')], scheduled: false },
  },
];

describe('workflow format', () => {
  describe('real files', () => {
    it.each(realFiles)('$name', ({ text: input, path, value, error }) => {
      expect(workflowFormat.parse(input, path)).toEqual({ value, error });
    });
  });

  describe('files that are not valid YAML', () => {
    it.each([...malformed, ...malformedVariants])(
      '$name: the error, and each `uses:` line, column and value',
      ({ text: input, path, value, error }) => {
        const parsed = workflowFormat.parse(input, path);
        expect(parsed.error).toEqual(error);
        expect(parsed.value.scheduled).toBe(value.scheduled);
        expect(parsed.value.uses.map(({ where, ...place }) => place)).toEqual(value.uses.map(({ where, ...place }) => place));
      },
    );

    // The line-by-line fallback calls a `uses:` that is not on its step's `- ` line a job's reusable
    // workflow, so actions-pinned reports "reusable workflow `actions/checkout`" for plain steps.
    it.failing.each([...malformed, ...malformedVariants])('$name: a step’s `uses:` is a step', ({ text: input, path, value }) => {
      expect(workflowFormat.parse(input, path).value.uses).toEqual(value.uses);
    });
  });

  describe('edge cases', () => {
    it.each(edgeCases)('$name', ({ text: input, path, value, error }) => {
      expect(workflowFormat.parse(input, path)).toEqual({ value, error });
    });
  });

  it('extractUses reports the YAML error as it is (the format adds what it means to GitHub)', () => {
    expect(extractUses(STALE.replace('    runs-on', '\truns-on'), '.github/workflows/stale.yml').error).toEqual({
      line: 13,
      message: 'Tabs are not allowed as indentation',
    });
  });

  it.each([
    ['.github/workflows/ci.yml', true],
    ['.github/workflows/tests.yaml', true],
    ['.github/actions/setup-javascript/action.yml', true],
    ['action.yaml', true],
    ['.github/workflows/nested/ci.yml', false],
    ['.github/workflow-templates/ci.yml', false],
  ])('reads %s: %s', (path, read) => {
    expect(covers(workflowFormat, path)).toBe(read);
  });

  checkVerbatim([...realFiles, ...malformed]);
});

describeWithShared('every line LABELS.tsv flags in the workflow corpus is a `uses:` the parser reports', () => {
  const files = labelledLines('actions');
  /** The one corpus workflow that is not valid YAML (GitHub refuses it too), and the line of its error. */
  const notYaml: Record<string, number> = { 'actions/023__Gblack98__dbt-advanced-patterns__.github~workflows~dbt_ci.yml': 36 };

  it('covers the 25 workflows', () => {
    expect(files).toHaveLength(25);
  });

  it.each(files)('%s', (file, flagged) => {
    const { value, error } = workflowFormat.parse(corpusText(file), '.github/workflows/x.yml');
    expect(error?.line).toBe(notYaml[file]);
    const uses = new Set(value.uses.map((u) => u.line));
    expect(flagged.filter((line) => !uses.has(line))).toEqual([]);
  });
});
