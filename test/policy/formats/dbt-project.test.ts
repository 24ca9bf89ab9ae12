/**
 * dbt_project.yml → the project's name, the dashboards its `models:` tree enables or disables (with the
 * line that decides) and the domains enabled as a whole. Real files from test/fixtures/realrepos (each
 * keeps its source header on line 1), then variants of them that a sloppy or hostile file brings.
 */
import { MAX_FLOW_DEPTH } from '../../../src/core/yaml.js';
import { dbtProjectFormat, type DashboardNode, type DbtProject } from '../../../src/policy/formats/dbt-project.js';
import type { FormatError } from '../../../src/policy/formats/format.js';
import { covers } from '../../../src/policy/parsed.js';
import { checkVerbatim, crlf, text, type Copied } from './real-files.js';

interface Case extends Copied {
  path?: string;
  value: Omit<DbtProject, 'error'>;
  error?: FormatError;
}

const CORE = 'core_dashboards_store';
/** A dashboard of the core package, as the parser reports it. */
const board = (domain: string, dashboard: string, enabled: boolean, line: number, pkg = CORE): DashboardNode => ({
  package: pkg,
  domain,
  dashboard,
  enabled,
  line,
});

/** Sciance-Inc/core.dashboards_store dbt_project.yml as test/fixtures/realrepos/2-core-cookiecutter-template holds it. */
const CORE_ROOT = [
  '# source: Sciance-Inc/core.dashboards_store dbt_project.yml@83f6d506887c289afc3f3e89e67d076083ae876a (reduced to one dashboard, educ_serv/effectif_css, which the core itself disables)',
  'name: "core_dashboards_store"',
  'version: "0.9.0"',
  'config-version: 2',
  'profile: "nightly_profile"',
  '',
  'models:',
  '  core_dashboards_store:',
  '    +enabled: False',
  '    dashboards:',
  '      educ_serv:',
  '        effectif_css:',
  '          +schema: dashboard_effectif_css',
];

const realFiles: Case[] = [
  {
    name: 'a store that enables the whole core, turns one core dashboard off, and lists its own (disabled) ones',
    fixture: '1b-cdpvd-whole-core-enabled-reporting/dbt_project.yml',
    text: text(
      '# source: CDPVD/cdpvd_dashboards_store dbt_project.yml@944b248bc8d2d66ba0ca93df58c631d9e1c49c8e (lines 1-5, 41-57, 76-82, 105-135 kept; note the real file repeats name/version: PyYAML/dbt accept duplicate keys)',
      'name: "cdpvd_dashboards_store"',
      'version: "0.0.0"',
      'name: "cdpvd_dashboards_store"',
      'version: "0.0.0"',
      'config-version: 2',
      'models:',
      '    ### WARN : !IMPORTANT : overriding must be redefined in the cssXX project, as dbt does not support config inheritance.',
      '    # >>> BEGIN',
      '    core_dashboards_store:',
      '        +enabled: true # By default, all models in the core schould be enabled',
      '        marts:',
      '            human_resources:',
      '                features:',
      '                staging:',
      '',
      '            educ_serv:',
      '                features:',
      '                staging:',
      '        dashboards:',
      '            educ_serv:',
      '                absenteeism:',
      '                    +enabled: false',
      '    ### <<< END',
      '',
      '    # This code block can be safely overriden in the cssXX_dashboards_store.',
      '    # There is no need for code duplication here',
      '    cdpvd_dashboards_store:',
      '        +enabled: false',
      '        +materialized: table',
      '        dashboards:',
      '            #+enabled: true',
      '            educ_serv:',
      '                absenteeism:',
      '                    +tags: ["absenteeism"]',
      '                    +schema: "dashboard_absenteeism"',
      '                    pbi_tables:',
      '                        +post-hook:',
      '                            [',
      '                                "{{ core_dashboards_store.stamp_model(\'dashboard_absenteeism\') }}",',
      '                            ]        ',
      '            human_resources:',
      '                retirement:',
      '                    +tags: ["retirement"]',
      '                    +schema: "dashboard_retirement"',
      '                    pbi_tables:',
      '                        +post-hook:',
      '                            - "{{ core_dashboards_store.stamp_model(\'dashboard_retirement\') }}"',
      '',
      '                endb:',
      '                ',
      '            educ_serv_adultes:',
      '                portrait_css_fpfga:',
      '            direction_generale:',
      '                +tags:',
      '                    - "direction_generale"',
      '                suivi_etc:',
      '                    +tags: ["suivi_etc"]',
      '                    +schema: "dashboard_suivi_etc"',
      '                    +post-hook:',
      '                            - "{{ core_dashboards_store.stamp_model(\'dashboard_suivi_etc\') }}"',
    ),
    // The repeated name and version hold the same values: harmless, so no error (dbt reads the last copy).
    value: {
      name: 'cdpvd_dashboards_store',
      dashboards: [
        board('educ_serv', 'absenteeism', false, 23),
        // Disabled by the package's `+enabled: false` (line 29); a dashboard not enabled by its own line points at its key.
        board('educ_serv', 'absenteeism', false, 34, 'cdpvd_dashboards_store'),
        board('human_resources', 'retirement', false, 43, 'cdpvd_dashboards_store'),
        board('human_resources', 'endb', false, 50, 'cdpvd_dashboards_store'),
        board('educ_serv_adultes', 'portrait_css_fpfga', false, 53, 'cdpvd_dashboards_store'),
        board('direction_generale', 'suivi_etc', false, 57, 'cdpvd_dashboards_store'),
      ],
      // `+enabled: true` on the core package (line 11) enables all its dashboards, and each domain listed under it.
      wholeDomains: [
        { package: CORE, domain: '*', line: 11 },
        { package: CORE, domain: 'educ_serv', line: 11 },
      ],
    },
  },
  {
    name: 'a nightly project that enables the core with `+enabled: True` and no dashboards tree',
    fixture: '1c-core-nightly-subfolder-project/tooling/nightly/dbt/dbt_project.yml',
    path: 'tooling/nightly/dbt/dbt_project.yml',
    text: text(
      '# source: Sciance-Inc/core.dashboards_store tooling/nightly/dbt/dbt_project.yml@83f6d506887c289afc3f3e89e67d076083ae876a (trimmed: tests, hooks and vars removed)',
      'name: "nightly_store"',
      'version: "0.0.1"',
      'config-version: 2',
      '',
      'profile: "nightly_profile"',
      'models:',
      '  +pre-hook:',
      '    - "{{ core_dashboards_store.drop_tmp_table_for_current_model(model_name=this.name) }}" # Cleanup all temps table related to the model being run before actually running the model.',
      '  core_dashboards_store:',
      '    +enabled: True',
    ),
    value: { name: 'nightly_store', dashboards: [], wholeDomains: [{ package: CORE, domain: '*', line: 11 }] },
  },
  {
    name: 'the core itself: its dashboards tree under `+enabled: False`, with +tags/+schema and folders below each',
    fixture: '1d-core-root-reporting-and-lookalike-image/dbt_project.yml',
    text: text(
      '# source: Sciance-Inc/core.dashboards_store dbt_project.yml@83f6d506887c289afc3f3e89e67d076083ae876a (trimmed to models: core_dashboards_store: +enabled: False and the dashboards tree)',
      'name: "core_dashboards_store"',
      'version: "0.9.0"',
      'config-version: 2',
      '',
      'profile: "nightly_profile" #"Make sure you a runing DBT from the cssXX repository, not the core.dashboards_store repository."',
      'models:',
      '  +materialized: table',
      '  core_dashboards_store:',
      '    +enabled: False',
      '    dashboards:',
      '      educ_serv:',
      '        +tags: ["educ_serv"]',
      '        effectif_css:',
      '          +tags: ["effectif_css"]',
      '          +schema: dashboard_effectif_css',
      '          pbi_tables:',
      '        res_epreuves:',
      '          +tags: ["res_epreuves"]',
      '          +schema: "dashboard_res_epreuves"',
      '          pbi_tables:',
      '        suivi_resultats:',
      '          +tags: ["suivi_resultats"]',
      '          +schema: "dashboard_suivi_resultats"',
      '          pbi_tables:',
    ),
    value: {
      name: CORE,
      dashboards: [
        board('educ_serv', 'effectif_css', false, 14),
        board('educ_serv', 'res_epreuves', false, 18),
        board('educ_serv', 'suivi_resultats', false, 22),
      ],
      wholeDomains: [],
    },
  },
  {
    name: 'one core dashboard, disabled by the package',
    fixture: '2-core-cookiecutter-template/dbt_project.yml',
    text: text(...CORE_ROOT),
    value: { name: CORE, dashboards: [board('educ_serv', 'effectif_css', false, 12)], wholeDomains: [] },
  },
  {
    name: 'a package disabled as a whole, with no dashboards tree: nothing enabled',
    fixture: '8-readme-lowercase/dbt_project.yml',
    text: text(
      '# source: Sciance-Inc/csspi.dashboards_store.snowflake dbt_project.yml@c5e65d93aed5252375689f1858bdca2dfad4ea6b (trimmed: models root only)',
      'name: "csspi_dashboards_store_snowflake"',
      'version: "1.0.0"',
      'config-version: 2',
      '',
      'profile: "dev"',
      'models:',
      '  csspi_dashboards_store_snowflake:',
      '    +materialized: table',
      '  core_dashboards_store_snowflake:',
      '    +enabled: false',
    ),
    value: { name: 'csspi_dashboards_store_snowflake', dashboards: [], wholeDomains: [] },
  },
  {
    // The engine skips such templates before any format reads them; read directly, it is not YAML.
    name: 'a cookiecutter template with Jinja statements between keys is not YAML',
    fixture: "2-core-cookiecutter-template/tooling/template/{{ cookiecutter.css_short_name + '.dashboards_store' }}/dbt_project.yml",
    text: text(
      "# source: Sciance-Inc/core.dashboards_store tooling/template/{{ cookiecutter.css_short_name + '.dashboards_store' }}/dbt_project.yml@83f6d506887c289afc3f3e89e67d076083ae876a (trimmed)",
      "name: {{ cookiecutter.css_short_name + '_dashboards_store' }}",
      "profile: {{ cookiecutter.css_short_name + '_dashboards_store' }}",
      '',
      'version: "1.0.0"',
      'config-version: 2',
      '{% raw %}',
      'on-run-start:',
      '  - "{{ core_dashboards_store.init_metadata_table() }}"',
      'on-run-end:',
      '  - "{{ core_dashboards_store.purge_metadata_table() }}"',
      '{% endraw %}',
    ),
    value: { dashboards: [], wholeDomains: [] },
    error: { line: 7, message: 'Plain value cannot start with directive indicator character %' },
  },
];

/** Variants of Sciance-Inc/core.dashboards_store's dbt_project.yml (CORE_ROOT above): what each adds is in its name. */
const edgeCases: Case[] = [
  { name: 'an empty file', text: '', value: { dashboards: [], wholeDomains: [] } },
  {
    name: 'CRLF line endings do not move lines',
    text: crlf(text(...CORE_ROOT)),
    value: { name: CORE, dashboards: [board('educ_serv', 'effectif_css', false, 12)], wholeDomains: [] },
  },
  {
    name: 'a store turning the dashboard on, with `+meta: { version }` (an unquoted 1.10 stays "1.10")',
    text: text(...CORE_ROOT, '          +enabled: true', '          +meta:', '            version: 1.10'),
    value: {
      name: CORE,
      dashboards: [{ ...board('educ_serv', 'effectif_css', true, 14), metaVersion: { value: '1.10', line: 16 } }],
      wholeDomains: [],
    },
  },
  {
    name: '`meta:` without the plus, as a flow mapping',
    text: text(...CORE_ROOT, '          meta: { version: "2.0.0" }'),
    value: {
      name: CORE,
      dashboards: [{ ...board('educ_serv', 'effectif_css', false, 12), metaVersion: { value: '2.0.0', line: 14 } }],
      wholeDomains: [],
    },
  },
  {
    // DashboardNode's comment says `line` is the inherited `+enabled` then; the parser (and the
    // dashboards-versioned rule's tests) point at the dashboard's own key instead.
    name: '`+enabled: true` on the dashboards folder enables every domain and dashboard below it',
    text: text(...CORE_ROOT.slice(0, 10), '      +enabled: true', ...CORE_ROOT.slice(10)),
    value: {
      name: CORE,
      dashboards: [board('educ_serv', 'effectif_css', true, 13)],
      wholeDomains: [
        { package: CORE, domain: '*', line: 11 },
        { package: CORE, domain: 'educ_serv', line: 11 },
      ],
    },
  },
  {
    name: '`name:` written twice with different values: the last counts, and it is reported',
    text: text(...CORE_ROOT.slice(0, 3), 'name: "core_dashboards_store_v2"'),
    value: { name: 'core_dashboards_store_v2', dashboards: [], wholeDomains: [] },
    error: {
      line: 4,
      message:
        '`name` is written twice, at dbt_project.yml:2 and dbt_project.yml:4, with different values; dbt reads only the last one, so keep the one you mean',
    },
  },
  {
    name: 'tabs for indentation',
    text: text(...CORE_ROOT.slice(0, 7), '\tcore_dashboards_store:'),
    value: { dashboards: [], wholeDomains: [] },
    error: { line: 8, message: 'Tabs are not allowed as indentation' },
  },
  {
    name: '`models:` that is not a mapping',
    text: text(...CORE_ROOT.slice(0, 6), 'models: core_dashboards_store'),
    value: { name: CORE, dashboards: [], wholeDomains: [] },
  },
  {
    name: 'a top-level list (not a dbt project at all)',
    text: text('- name: Core and Coordinated packages'),
    value: { dashboards: [], wholeDomains: [] },
  },
  {
    name: 'flow collections nested deeper than the parser is allowed to go',
    text: text(...CORE_ROOT.slice(0, 7), `  +tags: ${'['.repeat(MAX_FLOW_DEPTH + 1)}${']'.repeat(MAX_FLOW_DEPTH + 1)}`),
    value: { dashboards: [], wholeDomains: [] },
    error: { line: 8, message: `collections are nested more than ${MAX_FLOW_DEPTH} levels deep, which Shipshape does not read` },
  },
];

describe('dbt-project format', () => {
  describe('real files', () => {
    it.each(realFiles)('$name', ({ text: input, path, value, error }) => {
      expect(dbtProjectFormat.parse(input, path ?? 'dbt_project.yml')).toEqual({ value, error });
    });
  });

  describe('edge cases', () => {
    it.each(edgeCases)('$name', ({ text: input, path, value, error }) => {
      expect(dbtProjectFormat.parse(input, path ?? 'dbt_project.yml')).toEqual({ value, error });
    });
  });

  // dbt reads dbt_project.yml with PyYAML (YAML 1.1), where `yes` is true: the dashboard is deployed.
  // The parser only knows `true`/`false`, so it falls back to the package's `+enabled: False`.
  it.failing('`+enabled: yes` enables the dashboard, as dbt reads it', () => {
    const { value } = dbtProjectFormat.parse(text(...CORE_ROOT, '          +enabled: yes'), 'dbt_project.yml');
    expect(value.dashboards).toEqual([board('educ_serv', 'effectif_css', true, 14)]);
  });

  it.each([
    ['dbt_project.yml', true],
    ['tooling/nightly/dbt/dbt_project.yml', true],
    ['DBT_PROJECT.yml', true],
    ['dbt_project.yaml', false],
    ['dbt_packages/core_dashboards_store/dbt_project.yml', false],
  ])('reads %s: %s', (path, read) => {
    expect(covers(dbtProjectFormat, path)).toBe(read);
  });

  checkVerbatim(realFiles);
});
