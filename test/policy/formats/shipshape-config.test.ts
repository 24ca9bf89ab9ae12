/**
 * .github/shipshape.yml → where each setting is written (dotted key, and each scalar with its line), so
 * findings about a setting point at it. Validity is the configuration loader's job: this format never
 * reports an error, and reads what it can of a broken file.
 */
import { CONFIG_FILE, settingLine, shipshapeConfigFormat, type SettingPosition } from '../../../src/policy/formats/shipshape-config.js';
import { covers } from '../../../src/policy/parsed.js';
import { checkVerbatim, crlf, text, type Copied } from './real-files.js';

interface Case extends Copied {
  value: SettingPosition[];
}

/** A key's own line, or (with `value`) one scalar written under it. */
const at = (line: number, key: string, value?: string): SettingPosition => (value === undefined ? { key, line } : { key, value, line });

const EXAMPLE = text(
  'tool: css42 dashboards store',
  'rules:',
  '  actions-pinned: error',
  'release:',
  '  service-owners: [css42-owner]',
  '  platform-maintainers: ["@css42/platform"]',
);
const EXAMPLE_VALUE = [
  at(1, 'tool'),
  at(1, 'tool', 'css42 dashboards store'),
  at(2, 'rules'),
  at(3, 'rules.actions-pinned'),
  at(3, 'rules.actions-pinned', 'error'),
  at(4, 'release'),
  at(5, 'release.service-owners'),
  at(5, 'release.service-owners', 'css42-owner'),
  at(6, 'release.platform-maintainers'),
  at(6, 'release.platform-maintainers', '@css42/platform'),
];

const realFiles: Case[] = [
  {
    name: 'the example store’s configuration: flow lists, a quoted team',
    own: 'examples/css42.dashboards_store/.github/shipshape.yml',
    text: EXAMPLE,
    value: EXAMPLE_VALUE,
  },
  // README.md, the block documenting every key with its default (comments after values, a comment-only continuation line).
  {
    name: 'the documented defaults: comments after values, empty lists, a flow mapping, quoted globs',
    text: text(
      '# .github/shipshape.yml — every key is optional; these are the defaults',
      'enabled: true                      # false: this repository is not checked',
      'tool: <repository name>            # the name used in release issue titles',
      'rules:                             # each: error | warning | off',
      '  dbt-packages-pinned: error',
      '  core-pinned: error',
      '  dockerfile-pinned: error',
      '  actions-pinned: warning',
      '  python-pinned: warning',
      '  dashboards-versioned: error',
      '  required-files: error',
      '  no-plaintext-secrets: error',
      'core:',
      '  repository: Sciance-Inc/core.dashboards_store',
      '  image: ghcr.io/sciance-inc/core.dashboards_store',
      '  allow-behind: 2                  # releases the core pin may lag the newest before a warning',
      'dashboards:',
      '  reports: "reporting/{domain}/{dashboard}/**"   # where a dashboard\'s report definition is committed',
      '  deployed: []                     # extra dashboards deployed besides those enabled in dbt_project.yml',
      '  require-version: false           # true: each dashboard carries a semver that a change must raise',
      'dockerfile:',
      '  require-digest: false            # true: every FROM must carry @sha256:…',
      'required-files: [Dockerfile, README.md, ".github/workflows/*.y*ml"]   # at any depth; README-like names and Dockerfile names match any case',
      'ignore: []                         # globs never checked, added to the built-in node_modules/, dbt_packages/,',
      '                                   # target/, .venv/, venv/; templates (Jinja/cookiecutter markup) are skipped',
      'actions-pinned: { allow: [] }      # actions that must be used by tag (the SLSA generator is built in)',
      'release:',
      '  tag-pattern: semver',
      '  service-owners: []',
      '  platform-maintainers: []',
    ),
    value: [
      at(2, 'enabled'),
      at(2, 'enabled', 'true'),
      at(3, 'tool'),
      at(3, 'tool', '<repository name>'),
      at(4, 'rules'),
      at(5, 'rules.dbt-packages-pinned'),
      at(5, 'rules.dbt-packages-pinned', 'error'),
      at(6, 'rules.core-pinned'),
      at(6, 'rules.core-pinned', 'error'),
      at(7, 'rules.dockerfile-pinned'),
      at(7, 'rules.dockerfile-pinned', 'error'),
      at(8, 'rules.actions-pinned'),
      at(8, 'rules.actions-pinned', 'warning'),
      at(9, 'rules.python-pinned'),
      at(9, 'rules.python-pinned', 'warning'),
      at(10, 'rules.dashboards-versioned'),
      at(10, 'rules.dashboards-versioned', 'error'),
      at(11, 'rules.required-files'),
      at(11, 'rules.required-files', 'error'),
      at(12, 'rules.no-plaintext-secrets'),
      at(12, 'rules.no-plaintext-secrets', 'error'),
      at(13, 'core'),
      at(14, 'core.repository'),
      at(14, 'core.repository', 'Sciance-Inc/core.dashboards_store'),
      at(15, 'core.image'),
      at(15, 'core.image', 'ghcr.io/sciance-inc/core.dashboards_store'),
      at(16, 'core.allow-behind'),
      // The number as written, not as parsed.
      at(16, 'core.allow-behind', '2'),
      at(17, 'dashboards'),
      at(18, 'dashboards.reports'),
      at(18, 'dashboards.reports', 'reporting/{domain}/{dashboard}/**'),
      at(19, 'dashboards.deployed'),
      at(20, 'dashboards.require-version'),
      at(20, 'dashboards.require-version', 'false'),
      at(21, 'dockerfile'),
      at(22, 'dockerfile.require-digest'),
      at(22, 'dockerfile.require-digest', 'false'),
      at(23, 'required-files'),
      at(23, 'required-files', 'Dockerfile'),
      at(23, 'required-files', 'README.md'),
      at(23, 'required-files', '.github/workflows/*.y*ml'),
      at(24, 'ignore'),
      at(26, 'actions-pinned'),
      at(26, 'actions-pinned.allow'),
      at(27, 'release'),
      at(28, 'release.tag-pattern'),
      at(28, 'release.tag-pattern', 'semver'),
      at(29, 'release.service-owners'),
      at(30, 'release.platform-maintainers'),
    ],
  },
];

/** Variants of the example: what each changes is in its name. */
const edgeCases: Case[] = [
  { name: 'an empty file', text: '', value: [] },
  { name: 'CRLF line endings', text: crlf(EXAMPLE), value: EXAMPLE_VALUE },
  {
    name: 'a block list under a nested key, one position per item',
    text: text('dashboards:', '  deployed:', '    - finance/budget', '    - emp/absenteeism'),
    value: [
      at(1, 'dashboards'),
      at(2, 'dashboards.deployed'),
      at(3, 'dashboards.deployed', 'finance/budget'),
      at(4, 'dashboards.deployed', 'emp/absenteeism'),
    ],
  },
  {
    name: 'not valid YAML: what can be read is still placed, and no error is reported',
    text: text('tool: css42 dashboards store', 'rules: [actions-pinned'),
    value: [at(1, 'tool'), at(1, 'tool', 'css42 dashboards store'), at(2, 'rules'), at(2, 'rules', 'actions-pinned')],
  },
  {
    name: 'a key written twice: both copies are placed',
    text: text('tool: css42 dashboards store', 'tool: css42 store'),
    value: [at(1, 'tool'), at(1, 'tool', 'css42 dashboards store'), at(2, 'tool'), at(2, 'tool', 'css42 store')],
  },
  { name: 'a top-level list has no settings', text: text('- tool'), value: [] },
];

describe('shipshape-config format', () => {
  describe('real files', () => {
    it.each(realFiles)('$name', ({ text: input, value }) => {
      expect(shipshapeConfigFormat.parse(input, CONFIG_FILE)).toEqual({ value });
    });
  });

  describe('edge cases', () => {
    it.each(edgeCases)('$name', ({ text: input, value }) => {
      expect(shipshapeConfigFormat.parse(input, CONFIG_FILE)).toEqual({ value });
    });
  });

  describe('settingLine', () => {
    it.each([
      ['the line holding that value', 'release.service-owners', 'css42-owner', 5],
      ['the key’s line when no item holds the value', 'release.service-owners', 'someone-else', 5],
      ['the key’s line when no value is asked', 'rules', undefined, 2],
      ['line 1 (the file as a whole) for a key not written', 'dashboards.deployed', undefined, 1],
    ])('%s', (_what, key, value, line) => {
      expect(settingLine(EXAMPLE_VALUE, key, value)).toBe(line);
    });

    it('line 1 without a configuration file', () => {
      expect(settingLine(undefined, 'dashboards.deployed', 'finance/budget')).toBe(1);
    });

    it('the first copy of a key written twice', () => {
      expect(settingLine([at(1, 'tool'), at(2, 'tool')], 'tool')).toBe(1);
    });
  });

  it.each([
    ['.github/shipshape.yml', true],
    ['.github/shipshape.yaml', false],
    ['shipshape.yml', false],
    ['examples/css42.dashboards_store/.github/shipshape.yml', false],
  ])('reads %s: %s', (path, read) => {
    expect(covers(shipshapeConfigFormat, path)).toBe(read);
  });

  checkVerbatim(realFiles);
});
