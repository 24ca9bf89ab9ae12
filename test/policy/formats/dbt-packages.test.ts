/**
 * packages.yml / dependencies.yml → typed entries with their lines and columns, on real files: the
 * labelled corpus (its file name gives repository and path; line numbers are the corpus's), the
 * realrepos fixtures, dbt's own documentation, and the edge cases a sloppy or hostile file brings.
 */
import { MAX_FLOW_DEPTH } from '../../../src/core/yaml.js';
import { dbtPackagesFormat, type DbtPackage } from '../../../src/policy/formats/dbt-packages.js';
import type { FormatError } from '../../../src/policy/formats/format.js';
import { covers } from '../../../src/policy/parsed.js';
import { describeWithShared } from '../../helpers/shared.js';
import { checkVerbatim, corpusText, crlf, labelledLines, text, unterminated, type Copied } from './real-files.js';

interface Case extends Copied {
  /** Where the file sits in its repository (the engine passes it; it names the file in duplicate-key errors). */
  path: string;
  value: DbtPackage[];
  error?: FormatError;
}

/** A hub entry whose `package:` name sits on the entry's own line. */
const hub = (
  line: number,
  name: string,
  versionLine: number,
  versions: Array<[value: string, line: number, column: number]>,
  versionIsList = false,
): DbtPackage => ({
  kind: 'hub',
  line,
  name: { value: name, line },
  versions: versions.map(([value, l, column]) => ({ value, line: l, column })),
  versionLine,
  versionIsList,
});
/** A git entry whose URL sits on the entry's own line; `revision` as [value, line, column]. */
const git = (line: number, url: string, revision?: [string, number, number], warnUnpinnedFalse?: number): DbtPackage => ({
  kind: 'git',
  line,
  url: { value: url, line },
  revision: revision && { value: revision[0], line: revision[1], column: revision[2] },
  warnUnpinnedFalse: warnUnpinnedFalse === undefined ? undefined : { line: warnUnpinnedFalse },
});
const TWICE = ', with different values; dbt reads only the last one, so keep the one you mean';
const NOT_A_LIST = { line: 1, message: '`packages:` must be a list of packages' };

const realFiles: Case[] = [
  {
    name: 'two hub packages and a git package on a branch',
    corpus: 'dbt/001__dbt-labs__jaffle-shop__packages.yml',
    path: 'packages.yml',
    text: text(
      'packages:',
      '  - package: dbt-labs/dbt_utils',
      '    version: 1.1.1',
      '  - package: godatadriven/dbt_date',
      '    version: 0.10.0',
      '  - git: "https://github.com/dbt-labs/dbt-audit-helper.git"',
      '    revision: main',
    ),
    value: [
      hub(2, 'dbt-labs/dbt_utils', 3, [['1.1.1', 3, 14]]),
      hub(4, 'godatadriven/dbt_date', 5, [['0.10.0', 5, 14]]),
      git(6, 'https://github.com/dbt-labs/dbt-audit-helper.git', ['main', 7, 15]),
    ],
  },
  {
    name: 'a comment at column 0 inside the list, and no final newline',
    corpus: 'dbt/003__dbt-labs__rapid-onboarding-exemplar__packages.yml',
    path: 'packages.yml',
    text: unterminated(
      'packages:',
      '  - package: dbt-labs/codegen',
      '    version: 0.6.0',
      '  - package: dbt-labs/dbt_utils',
      '    version: 0.8.5',
      '# add new package',
      '  - package: calogica/dbt_expectations',
      '    version: 0.5.8',
    ),
    value: [
      hub(2, 'dbt-labs/codegen', 3, [['0.6.0', 3, 14]]),
      hub(4, 'dbt-labs/dbt_utils', 5, [['0.8.5', 5, 14]]),
      hub(7, 'calogica/dbt_expectations', 8, [['0.5.8', 8, 14]]),
    ],
  },
  {
    name: 'one-space indentation, a flow list of ranges, a trailing space',
    corpus: 'dbt/004__fivetran__dbt_stripe__packages.yml',
    path: 'packages.yml',
    text: text('packages:', ' - package: fivetran/stripe_source', '   version: [">=0.5.0", "<0.6.0"] '),
    value: [
      hub(
        2,
        'fivetran/stripe_source',
        3,
        [
          ['>=0.5.0', 3, 14],
          ['<0.6.0', 3, 25],
        ],
        true,
      ),
    ],
  },
  {
    name: 'comments, blank lines holding spaces, and Jinja putting a token into the git URL',
    corpus: 'dbt/006__211-Connect__ndp_uwsc_dbt_wrapper__packages.yml',
    path: 'packages.yml',
    text: unterminated(
      'packages:',
      '  # primarily used for "surrogate_key" function, which is used to create unique hash IDs',
      '  - package: dbt-labs/dbt_utils',
      '    version: 0.8.6',
      '',
      '  # necessary to validate column types in tests imported from next package',
      '  - package: calogica/dbt_expectations',
      '    version: [">=0.8.0", "<0.9.0"]',
      '',
      '  # contains tests for HSDS models including schema validation and data quality',
      "  - git: https://{{env_var('GITHUB_DBT_PAT')}}@github.com/211-Connect/ndp_dbt_core.git",
      '    revision: main',
      '  ',
      '  # contains tests for HSDS models including schema validation and data quality',
      "  - git: https://{{env_var('GITHUB_DBT_PAT')}}@github.com/211-Connect/hsds_dbt_common_models_n_tests.git",
      '    revision: main',
    ),
    value: [
      hub(3, 'dbt-labs/dbt_utils', 4, [['0.8.6', 4, 14]]),
      hub(
        7,
        'calogica/dbt_expectations',
        8,
        [
          ['>=0.8.0', 8, 15],
          ['<0.9.0', 8, 26],
        ],
        true,
      ),
      git(11, "https://{{env_var('GITHUB_DBT_PAT')}}@github.com/211-Connect/ndp_dbt_core.git", ['main', 12, 15]),
      git(15, "https://{{env_var('GITHUB_DBT_PAT')}}@github.com/211-Connect/hsds_dbt_common_models_n_tests.git", ['main', 16, 15]),
    ],
  },
  {
    name: 'a git package without a revision',
    corpus: 'dbt/007__Aidbox__dbt-sample-project__packages.yml',
    path: 'packages.yml',
    text: unterminated('packages:', '  - git: "https://github.com/Aidbox/dbt.git"'),
    value: [git(2, 'https://github.com/Aidbox/dbt.git')],
  },
  {
    name: 'dependencies.yml with `projects:` entries',
    corpus: 'dbt/008__3DHubs__dbt-core-network__dependencies.yml',
    path: 'dependencies.yml',
    text: text(
      'packages:',
      '  - package: dbt-labs/dbt_utils',
      '    version: 0.8.2',
      '  - package: dbt-labs/audit_helper',
      '    version: 0.5.0',
      '',
      'projects:',
      '  - name: sources_network',
      '  - name: dbt_src_external',
    ),
    value: [
      hub(2, 'dbt-labs/dbt_utils', 3, [['0.8.2', 3, 14]]),
      hub(4, 'dbt-labs/audit_helper', 5, [['0.5.0', 5, 14]]),
      { kind: 'project', line: 8 },
      { kind: 'project', line: 9 },
    ],
  },
  {
    name: 'local packages and a one-item range list',
    corpus: 'dbt/012__fivetran__dbt_hubspot__integration_tests~packages.yml',
    path: 'integration_tests/packages.yml',
    text: unterminated(
      'packages:',
      '  - local: ../',
      '  - local: ../../dbt_hubspot_source',
      '  - package: fishtown-analytics/dbt_utils',
      '    version: [">=0.4.0"]',
    ),
    value: [
      { kind: 'local', line: 2, name: '../' },
      { kind: 'local', line: 3, name: '../../dbt_hubspot_source' },
      hub(4, 'fishtown-analytics/dbt_utils', 5, [['>=0.4.0', 5, 15]], true),
    ],
  },
  {
    name: 'commented-out entries are not entries',
    corpus: 'dbt/014__b-per__dbt-expectations-tsql__integration_tests~packages.yml',
    path: 'integration_tests/packages.yml',
    text: unterminated(
      'packages:',
      '  - local: ../',
      '  # - local: ../dbt-expectations',
      '  - git: https://github.com/dbt-msft/tsql-utils',
      '    revision: main',
      '  # - local: /home/bper/dev/forks/dbt-expectations',
      '  - package: calogica/dbt_expectations',
      '    version: 0.2.8',
      '  # - package: dbt-msft/tsql_utils',
      '  #   version: 0.6.6',
      '  - git: https://github.com/b-per/dbt-date-tsql',
    ),
    value: [
      { kind: 'local', line: 2, name: '../' },
      git(4, 'https://github.com/dbt-msft/tsql-utils', ['main', 5, 15]),
      hub(7, 'calogica/dbt_expectations', 8, [['0.2.8', 8, 14]]),
      git(11, 'https://github.com/b-per/dbt-date-tsql'),
    ],
  },
  {
    name: 'a schema comment and an explicit `---` document start',
    corpus: 'dbt/016__TasmanAnalytics__tasman-identity-graph__integration_tests~packages.yml',
    path: 'integration_tests/packages.yml',
    text: text(
      '# yaml-language-server: $schema=https://raw.githubusercontent.com/dbt-labs/dbt-jsonschema/main/schemas/latest/packages-latest.json',
      '---',
      'packages:',
      '  - package: dbt-labs/dbt_utils',
      '    version: 1.1.1',
      '  - local: ../',
    ),
    value: [hub(4, 'dbt-labs/dbt_utils', 5, [['1.1.1', 5, 14]]), { kind: 'local', line: 6, name: '../' }],
  },
  {
    name: 'an unindented list; a ref glued to the URL is part of the URL, not a revision',
    corpus: 'dbt/019__meltano__demo-project__transform~packages.yml',
    path: 'transform/packages.yml',
    text: text('packages:', '- git: https://gitlab.com/meltano/dbt-tap-gitlab.git@config-version-2'),
    value: [git(2, 'https://gitlab.com/meltano/dbt-tap-gitlab.git@config-version-2')],
  },
  {
    name: 'a leading blank line, four-space indentation, the same package twice (list items, not keys)',
    corpus: 'dbt/024__dbt-labs__spark-utils__integration_tests~packages.yml',
    path: 'integration_tests/packages.yml',
    text: text(
      '',
      'packages:',
      '    - local: ../',
      '    - git: git@github.com:fishtown-analytics/dbt-utils.git',
      '      revision: feature/0-18-adapter-dispatch',
      '    - git: git@github.com:fishtown-analytics/dbt-utils.git',
      '      revision: feature/0-18-adapter-dispatch',
    ),
    value: [
      { kind: 'local', line: 3, name: '../' },
      git(4, 'git@github.com:fishtown-analytics/dbt-utils.git', ['feature/0-18-adapter-dispatch', 5, 17]),
      git(6, 'git@github.com:fishtown-analytics/dbt-utils.git', ['feature/0-18-adapter-dispatch', 7, 17]),
    ],
  },
  {
    name: '`warn-unpinned: false` twice, a quoted revision and a Jinja revision',
    corpus: 'dbt/027__tnmy44__gitlab-analytics__transform~snowflake-dbt~packages.yml',
    path: 'transform/snowflake-dbt/packages.yml',
    text: text(
      '# Update docs-packages.yml as well to have the docs site be accurate.',
      'packages:',
      '  - git: git@gitlab.com:gitlab-data/snowflake_spend.git',
      '    revision: "updates_for_dbt_1_1"',
      '    warn-unpinned: false',
      '  - git: git@gitlab.com:gitlab-data/data-tests.git',
      '    revision: "{{env_var(\'DATA_TEST_BRANCH\')}}"',
      '    warn-unpinned: false',
      '  - package: dbt-labs/audit_helper',
      '    version: 0.9.0',
    ),
    value: [
      git(3, 'git@gitlab.com:gitlab-data/snowflake_spend.git', ['updates_for_dbt_1_1', 4, 15], 5),
      git(6, 'git@gitlab.com:gitlab-data/data-tests.git', ["{{env_var('DATA_TEST_BRANCH')}}", 7, 15], 8),
      hub(9, 'dbt-labs/audit_helper', 10, [['0.9.0', 10, 14]]),
    ],
  },
  {
    name: 'dependencies.yml with `projects:` only',
    corpus: 'dbt/029__EricDeNoorman__dbt-databricks-dwh-bootcamp__dependencies.yml',
    path: 'dependencies.yml',
    text: unterminated('projects:', '  - name: DBT_Leo'),
    value: [{ kind: 'project', line: 2 }],
  },
  {
    name: 'a list whose first item is exact and second a range',
    corpus: 'dbt/030__AmSqLab__jaffle_shop_duckdb__dependencies.yml',
    path: 'dependencies.yml',
    text: text(
      'packages:',
      '  - package: dbt-labs/dbt_utils',
      '    version: [">=1.3.0", "<2.0.0"]',
      '  - package: metaplane/dbt_expectations',
      '    version: ["0.10.9", "<0.11.0"]',
    ),
    value: [
      hub(
        2,
        'dbt-labs/dbt_utils',
        3,
        [
          ['>=1.3.0', 3, 15],
          ['<2.0.0', 3, 26],
        ],
        true,
      ),
      hub(
        4,
        'metaplane/dbt_expectations',
        5,
        [
          ['0.10.9', 5, 15],
          ['<0.11.0', 5, 25],
        ],
        true,
      ),
    ],
  },
  {
    name: 'a range as one quoted string (not a list)',
    corpus: 'dbt/033__dbt-labs__quickbooks__packages.yml',
    path: 'packages.yml',
    text: unterminated('packages:', '  - package: fishtown-analytics/dbt_utils', '    version: ">=0.1.18"'),
    value: [hub(2, 'fishtown-analytics/dbt_utils', 3, [['>=0.1.18', 3, 14]])],
  },
  {
    name: 'single and double quotes mixed in one flow list',
    corpus: 'dbt/034__dbt-labs__facebook-ads__packages.yml',
    path: 'packages.yml',
    text: unterminated('packages:', ' - package: fishtown-analytics/dbt_utils', '   version: [\'>=0.1.20\', "<0.5.0"]'),
    value: [
      hub(
        2,
        'fishtown-analytics/dbt_utils',
        3,
        [
          ['>=0.1.20', 3, 14],
          ['<0.5.0', 3, 26],
        ],
        true,
      ),
    ],
  },
  {
    name: 'a version written as a block list: its items keep their own lines',
    corpus: 'dbt/036__310nutrition__310nutrition_etl_dbt__packages.yml',
    path: 'packages.yml',
    text: text(
      'packages:',
      '- package: dbt-labs/dbt_utils',
      '  version: 0.8.0',
      '- package: calogica/dbt_expectations',
      '  version:',
      "  - '>=0.8.0'",
      '  - <0.9.0',
      '- package: Saras-Daton/currency_exchange_rates',
      '  version: 1.0.2',
    ),
    value: [
      hub(2, 'dbt-labs/dbt_utils', 3, [['0.8.0', 3, 12]]),
      hub(
        4,
        'calogica/dbt_expectations',
        5,
        [
          ['>=0.8.0', 6, 5],
          ['<0.9.0', 7, 5],
        ],
        true,
      ),
      hub(8, 'Saras-Daton/currency_exchange_rates', 9, [['1.0.2', 9, 12]]),
    ],
  },
  {
    name: 'the core pinned by a tag with build metadata',
    fixture: '1b-cdpvd-whole-core-enabled-reporting/packages.yml',
    path: 'packages.yml',
    text: text(
      '# source: CDPVD/cdpvd_dashboards_store packages.yml@944b248bc8d2d66ba0ca93df58c631d9e1c49c8e',
      'packages:',
      '  - git: git@github.com:Sciance-Inc/core.dashboards_store.git',
      '    revision: v0.19.3+20260108',
    ),
    value: [git(3, 'git@github.com:Sciance-Inc/core.dashboards_store.git', ['v0.19.3+20260108', 4, 15])],
  },
  {
    name: 'the core pinned by a quoted env_var revision',
    fixture: '1c-core-nightly-subfolder-project/tooling/nightly/dbt/packages.yml',
    path: 'tooling/nightly/dbt/packages.yml',
    text: text(
      '# source: Sciance-Inc/core.dashboards_store tooling/nightly/dbt/packages.yml@83f6d506887c289afc3f3e89e67d076083ae876a',
      'packages:',
      '  - git: git@github.com:Sciance-Inc/core.dashboards_store.git',
      '    revision: "{{ env_var(\'DBT_CORE_VERSION\') }}"',
    ),
    value: [git(3, 'git@github.com:Sciance-Inc/core.dashboards_store.git', ["{{ env_var('DBT_CORE_VERSION') }}", 4, 15])],
  },
  {
    name: 'Jinja block tags inside a quoted version are kept as written',
    fixture: '5-hub-version-lists/dbt-docs-jinja-in-value/packages.yml',
    path: 'packages.yml',
    text: text(
      '# source: docs.getdbt.com reference/dbt-jinja-functions/packages.yml context ("Use builtins in your packages.yml")',
      "# Jinja block tags INSIDE a quoted value: dbt's own Jinja, not a template marker (SPEC §3) - the file must be checked, not skipped.",
      'packages:',
      '  - package: dbt-labs/dbt_utils',
      '    version: "{% if builtins is defined %}0.14.0{% else %}0.13.1{% endif %}"',
    ),
    value: [hub(4, 'dbt-labs/dbt_utils', 5, [['{% if builtins is defined %}0.14.0{% else %}0.13.1{% endif %}', 5, 14]])],
  },
  {
    name: 'a quoted local path',
    fixture: '8-readme-lowercase/packages.yml',
    path: 'packages.yml',
    text: text(
      '# source: Sciance-Inc/csspi.dashboards_store.snowflake packages.yml@c5e65d93aed5252375689f1858bdca2dfad4ea6b',
      'packages:',
      '  - local: "../core.dashboards_store.snowflake"',
    ),
    value: [{ kind: 'local', line: 3, name: '../core.dashboards_store.snowflake' }],
  },
  {
    name: 'a commented-out local entry above the core',
    fixture: "2-core-cookiecutter-template/tooling/template/{{ cookiecutter.css_short_name + '.dashboards_store' }}/packages.yml",
    path: 'packages.yml',
    text: text(
      "# source: Sciance-Inc/core.dashboards_store tooling/template/{{ cookiecutter.css_short_name + '.dashboards_store' }}/packages.yml@83f6d506887c289afc3f3e89e67d076083ae876a",
      'packages:',
      '  #- local: ../core.data.store',
      '  - git: git@github.com:Sciance-Inc/core.dashboards_store.git',
      '    revision: v0.15.1+20240508',
    ),
    value: [git(4, 'git@github.com:Sciance-Inc/core.dashboards_store.git', ['v0.15.1+20240508', 5, 15])],
  },
  // dbt-labs/docs.getdbt.com website/docs/docs/build/packages.md@29be2b0820cbe8b2fe2ee633c11faf7ae965f26a ("Git token method").
  {
    name: 'dbt docs: token-in-URL git packages with trailing comments and a stray indented comment',
    path: 'packages.yml',
    text: text(
      'packages:',
      '  # use this format when accessing your repository via a github application token',
      '  - git: "https://{{env_var(\'DBT_ENV_SECRET_GIT_CREDENTIAL\')}}@github.com/dbt-labs/awesome_repo.git" # git HTTPS URL',
      '',
      '  # use this format when accessing your repository via a classical personal access token',
      '  - git: "https://{{env_var(\'DBT_ENV_SECRET_GIT_CREDENTIAL\')}}@github.com/dbt-labs/awesome_repo.git" # git HTTPS URL',
      ' ',
      '   # use this format when accessing your repository via a fine-grained personal access token (username sometimes required)',
      '  - git: "https://GITHUB_USERNAME:{{env_var(\'DBT_ENV_SECRET_GIT_CREDENTIAL\')}}@github.com/dbt-labs/awesome_repo.git" # git HTTPS URL',
    ),
    value: [
      git(3, "https://{{env_var('DBT_ENV_SECRET_GIT_CREDENTIAL')}}@github.com/dbt-labs/awesome_repo.git"),
      git(6, "https://{{env_var('DBT_ENV_SECRET_GIT_CREDENTIAL')}}@github.com/dbt-labs/awesome_repo.git"),
      git(9, "https://GITHUB_USERNAME:{{env_var('DBT_ENV_SECRET_GIT_CREDENTIAL')}}@github.com/dbt-labs/awesome_repo.git"),
    ],
  },
  // Same page, "Git packages" (a 40-character commit) and "Internally hosted tarball URL".
  {
    name: 'dbt docs: a git package pinned to a full commit SHA',
    path: 'packages.yml',
    text: text(
      'packages:',
      '  - git: "https://github.com/dbt-labs/dbt-utils.git"',
      '    revision: 4e28d6da126e2940d17f697de783a717f2503188',
    ),
    value: [git(2, 'https://github.com/dbt-labs/dbt-utils.git', ['4e28d6da126e2940d17f697de783a717f2503188', 3, 15])],
  },
  {
    name: 'dbt docs: a tarball package (its `name` here is the tarball URL)',
    path: 'packages.yml',
    text: text('packages:', '  - tarball: https://codeload.github.com/dbt-labs/dbt-utils/tar.gz/0.9.6', "    name: 'dbt_utils'"),
    value: [{ kind: 'tarball', line: 2, name: 'https://codeload.github.com/dbt-labs/dbt-utils/tar.gz/0.9.6' }],
  },
];

/** Sloppy and hostile variants of the real files above; each says what was changed. */
const edgeCases: Case[] = [
  { name: 'an empty file', path: 'packages.yml', text: '', value: [] },
  {
    name: 'only comments (the commented-out tail of kzzzr/dbtvault_greenplum_demo packages.yml)',
    path: 'packages.yml',
    text: text('  # - git: "https://github.com/kzzzr/dbtvault.git"', '  #   revision: master', '  #   warn-unpinned: false'),
    value: [],
  },
  {
    name: 'CRLF line endings, as EricDeNoorman/dbt-databricks-dwh-bootcamp dependencies.yml has them at its source',
    path: 'dependencies.yml',
    text: crlf(unterminated('projects:', '  - name: DBT_Leo')),
    value: [{ kind: 'project', line: 2 }],
  },
  {
    name: 'CRLF line endings do not move lines or columns (dbt-labs/jaffle-shop packages.yml)',
    path: 'packages.yml',
    text: crlf(
      text(
        'packages:',
        '  - package: dbt-labs/dbt_utils',
        '    version: 1.1.1',
        '  - git: "https://github.com/dbt-labs/dbt-audit-helper.git"',
        '    revision: main',
      ),
    ),
    value: [
      hub(2, 'dbt-labs/dbt_utils', 3, [['1.1.1', 3, 14]]),
      git(4, 'https://github.com/dbt-labs/dbt-audit-helper.git', ['main', 5, 15]),
    ],
  },
  {
    name: 'a byte-order mark before the first key (dbt-labs/jaffle-shop packages.yml)',
    path: 'packages.yml',
    text: `\uFEFF${text('packages:', '  - package: dbt-labs/dbt_utils', '    version: 1.1.1')}`,
    value: [hub(2, 'dbt-labs/dbt_utils', 3, [['1.1.1', 3, 14]])],
  },
  {
    name: 'Jinja block tags left unquoted (the dbt docs example above without its quotes): not YAML',
    path: 'packages.yml',
    text: text(
      'packages:',
      '  - package: dbt-labs/dbt_utils',
      '    version: {% if builtins is defined %}0.14.0{% else %}0.13.1{% endif %}',
    ),
    value: [],
    error: { line: 3, message: 'Plain value cannot start with directive indicator character %' },
  },
  {
    name: 'tabs for indentation (dbt-labs/quickbooks packages.yml re-indented)',
    path: 'packages.yml',
    text: unterminated('packages:', '\t- package: fishtown-analytics/dbt_utils', '\t  version: ">=0.1.18"'),
    value: [],
    error: { line: 2, message: 'Tabs are not allowed as indentation' },
  },
  {
    name: 'an unclosed flow list (fivetran/dbt_stripe packages.yml without its `]`)',
    path: 'packages.yml',
    text: text('packages:', ' - package: fivetran/stripe_source', '   version: [">=0.5.0", "<0.6.0" '),
    value: [],
    error: { line: 4, message: 'Flow sequence in block collection must be sufficiently indented and end with a ]' },
  },
  {
    name: 'a revision written twice with different values: read as dbt reads it (the last), and reported',
    path: 'integration_tests/packages.yml',
    text: text(
      '',
      'packages:',
      '    - local: ../',
      '    - git: git@github.com:fishtown-analytics/dbt-utils.git',
      '      revision: feature/0-18-adapter-dispatch',
      '      revision: 0.6.2',
    ),
    value: [{ kind: 'local', line: 3, name: '../' }, git(4, 'git@github.com:fishtown-analytics/dbt-utils.git', ['0.6.2', 6, 17])],
    error: {
      line: 6,
      message: `\`packages[1].revision\` is written twice, at integration_tests/packages.yml:5 and integration_tests/packages.yml:6${TWICE}`,
    },
  },
  {
    name: 'a version written twice with the same value is harmless',
    path: 'packages.yml',
    text: text('packages:', '  - package: dbt-labs/dbt_utils', '    version: 1.1.1', '    version: 1.1.1'),
    value: [hub(2, 'dbt-labs/dbt_utils', 4, [['1.1.1', 4, 14]])],
  },
  {
    name: '`packages:` written twice (dbt-labs/dbt-project-evaluator integration_tests, split): the last one counts',
    path: 'integration_tests/packages.yml',
    text: text('packages:', '  - local: ../', 'packages:', '  - local: exclude_package/'),
    value: [{ kind: 'local', line: 4, name: 'exclude_package/' }],
    error: {
      line: 3,
      message: `\`packages\` is written twice, at integration_tests/packages.yml:1 and integration_tests/packages.yml:3${TWICE}`,
    },
  },
  {
    name: '`packages:` holding one scalar instead of a list',
    path: 'packages.yml',
    text: text('packages: dbt-labs/dbt_utils'),
    value: [],
    error: NOT_A_LIST,
  },
  {
    // dbt cannot read it either (it expects a list there).
    name: '`packages:` with nothing under it',
    path: 'packages.yml',
    text: text('packages:'),
    value: [],
    error: NOT_A_LIST,
  },
  {
    name: 'entries that are not mappings are unknown',
    path: 'packages.yml',
    text: text('packages:', '  - dbt-labs/dbt_utils'),
    value: [{ kind: 'unknown', line: 2 }],
  },
  {
    name: 'some other tool’s packages.yml (astropy/astropy-dashboard’s list shape) is nothing to judge',
    path: 'packages.yml',
    text: text('- name: Core and Coordinated packages', '', '  packages:', '', '  - repo: astropy/astropy'),
    value: [],
  },
  {
    name: 'two YAML documents (dbt’s YAML reader refuses them too)',
    path: 'integration_tests/packages.yml',
    text: text('---', 'packages:', '  - local: ../', '---', 'packages:', '  - package: dbt-labs/dbt_utils', '    version: 1.1.1'),
    value: [],
    error: { line: 4, message: 'Source contains multiple documents; please use YAML.parseAllDocuments()' },
  },
  {
    name: 'flow lists nested deeper than the parser is allowed to go',
    path: 'packages.yml',
    text: text(`packages: ${'['.repeat(MAX_FLOW_DEPTH + 1)}${']'.repeat(MAX_FLOW_DEPTH + 1)}`),
    value: [],
    error: { line: 1, message: `collections are nested more than ${MAX_FLOW_DEPTH} levels deep, which Shipshape does not read` },
  },
];

describe('dbt-packages format', () => {
  describe('real files', () => {
    it.each(realFiles)('$name', ({ text: input, path, value, error }) => {
      expect(dbtPackagesFormat.parse(input, path)).toEqual({ value, error });
    });
  });

  describe('edge cases', () => {
    it.each(edgeCases)('$name', ({ text: input, path, value, error }) => {
      expect(dbtPackagesFormat.parse(input, path)).toEqual({ value, error });
    });
  });

  // dbt reads packages.yml with PyYAML (YAML 1.1), where `no`, `off` and `No` are false: dbt then stops
  // warning about the unpinned package. The parser only knows the word `false`. (027's entry, `no` for `false`.)
  it.failing('`warn-unpinned: no` is false to dbt, so it is reported like `false`', () => {
    const input = text(
      'packages:',
      '  - git: git@gitlab.com:gitlab-data/snowflake_spend.git',
      '    revision: "updates_for_dbt_1_1"',
      '    warn-unpinned: no',
    );
    expect(dbtPackagesFormat.parse(input, 'packages.yml').value).toEqual([
      git(2, 'git@gitlab.com:gitlab-data/snowflake_spend.git', ['updates_for_dbt_1_1', 3, 15], 4),
    ]);
  });

  it.each([
    ['packages.yml', true],
    ['transform/snowflake-dbt/packages.yml', true],
    ['integration_tests/packages.yml', true],
    ['dependencies.yml', true],
    ['Packages.yml', true],
    // The file 027's first comment names: another tool's input, not dbt's.
    ['transform/snowflake-dbt/docs-packages.yml', false],
    ['packages.yaml', false],
    // Installed packages' own files are not the repository's.
    ['dbt_packages/dbt_utils/packages.yml', false],
  ])('reads %s: %s', (path, read) => {
    expect(covers(dbtPackagesFormat, path)).toBe(read);
  });

  checkVerbatim(realFiles);
});

describeWithShared('every line LABELS.tsv flags in the dbt corpus is a position the parser reports', () => {
  const files = labelledLines('dbt');

  it('covers the 40 dbt files', () => {
    expect(files).toHaveLength(40);
  });

  it.each(files)('%s', (file, flagged) => {
    const { value, error } = dbtPackagesFormat.parse(corpusText(file), file);
    expect(error).toBeUndefined();
    const positions = new Set(
      value.flatMap((p) =>
        p.kind === 'git'
          ? [p.line, p.revision?.line, p.warnUnpinnedFalse?.line]
          : p.kind === 'hub'
            ? [p.line, p.versionLine, ...p.versions.map((v) => v.line)]
            : [p.line],
      ),
    );
    expect(flagged.filter((line) => !positions.has(line))).toEqual([]);
  });
});
