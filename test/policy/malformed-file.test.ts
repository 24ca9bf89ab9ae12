/**
 * The engine's own `malformed-file` finding: each file is parsed once per check, and a file that cannot be
 * read is one error on that file whatever rules are on — so switching a rule off never hides it.
 */
import { jest } from '@jest/globals';
import { defaultConfig, mergeLayers, withDefaults } from '../../src/config/load.js';
import { RULE_IDS } from '../../src/config/schema.js';
import type { FileContent } from '../../src/core/files.js';
import { MemorySnapshot } from '../../src/core/files.js';
import { conclusionOf, decidePolicy, runPolicy } from '../../src/policy/engine.js';
import { dbtPackagesFormat } from '../../src/policy/formats/dbt-packages.js';
import { FORMATS } from '../../src/policy/formats/index.js';
import { lookupsFor } from '../../src/policy/needs.js';
import { ParsedRepo } from '../../src/policy/parsed.js';
import { renderPolicyResult } from '../../src/policy/report.js';
import { offlineFacts } from '../../src/policy/types.js';

const facts = offlineFacts('test');
const configWith = (rules: Record<string, string>) => withDefaults(mergeLayers({ rules }));
const allOff = Object.fromEntries(RULE_IDS.map((id) => [id, 'off']));

describe('the false success that parse-once removes', () => {
  const files = {
    'packages.yml':
      'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: develop\n  - package: [unclosed\n',
  };

  it('with dbt-packages-pinned off, a packages.yml with a YAML error that pins the core to develop fails the check', () => {
    const config = configWith({ 'dbt-packages-pinned': 'off', 'required-files': 'off' });
    const result = runPolicy(new MemorySnapshot(files), config, facts);
    expect(result.findings).toMatchObject([
      { rule: 'malformed-file', code: 'malformed', severity: 'error', path: 'packages.yml', line: 4 },
    ]);
    const output = renderPolicyResult(result, config);
    expect(output.conclusion).toBe('failure');
    expect(output.summary).toContain('| ❌ | `malformed-file` | error | 1 |');
  });

  it('with every rule off too', () => {
    const result = runPolicy(new MemorySnapshot(files), configWith(allOff), facts);
    expect(conclusionOf(result.findings)).toBe('failure');
    expect(result.findings.map((f) => f.rule)).toEqual(['malformed-file']);
  });
});

/** For every format: input it cannot read, at a path it covers. Text-only formats are unreadable as bytes. */
const BINARY: FileContent = { kind: 'binary' };
const HUGE: FileContent = { kind: 'too-large', size: 3 * 1024 * 1024 };
const MALFORMED: Record<string, Array<[path: string, content: string | FileContent, line: number]>> = {
  'dbt-packages': [
    ['packages.yml', 'packages:\n  - git: [unclosed\n', 2],
    ['dbt/dependencies.yml', 'packages: 3\n', 1],
    ['packages.yml', BINARY, 1],
  ],
  'dbt-project': [
    ['dbt_project.yml', 'name: store\nmodels: [\n', 2],
    ['dbt_project.yml', HUGE, 1],
  ],
  dockerfile: [['docker/Dockerfile', BINARY, 1]],
  workflow: [
    ['.github/workflows/ci.yml', 'on: push\njobs:\n  build: [\n', 3],
    ['tools/action.yml', HUGE, 1],
  ],
  requirements: [['requirements.txt', BINARY, 1]],
  profiles: [['profiles.yml', 'store:\n  outputs: {\n', 2]],
  dotenv: [['.env', BINARY, 1]],
  dashboard: [['reporting/emp/a/dashboard.yml', 'version: [1\n', 1]],
  schedulers: [['k8s/cron.yaml', BINARY, 1]],
  'secret-shapes': [['deploy/key.pem', BINARY, 1]],
  'shipshape-config': [['.github/shipshape.yml', BINARY, 1]],
};

describe.each(FORMATS.map((f) => [f.id, f] as const))('format %s', (id, format) => {
  const cases = MALFORMED[id] ?? [];
  it('has malformed input to test', () => expect(cases.length).toBeGreaterThan(0));
  it.each(
    cases.map(
      ([path, content, line]) => [path, typeof content === 'string' ? JSON.stringify(content) : content.kind, content, line] as const,
    ),
  )('%s %s is one malformed-file finding under any rule configuration', (path, _shown, content, line) => {
    expect(format.files.length).toBeGreaterThan(0);
    const snapshot = new MemorySnapshot({ [path]: content });
    const configs = [defaultConfig(), configWith(allOff), ...RULE_IDS.map((only) => configWith({ ...allOff, [only]: 'error' }))];
    for (const config of configs) {
      const about = runPolicy(snapshot, config, facts).findings.filter((f) => f.path === path && f.rule === 'malformed-file');
      expect(about).toMatchObject([{ severity: 'error', line, code: typeof content === 'string' ? 'malformed' : 'unreadable' }]);
    }
  });
});

it('parses each file once per check, however many rules and lookups read it', () => {
  const parse = jest.spyOn(dbtPackagesFormat, 'parse');
  // Texts no other test parsed: parsed values are also cached across checks by text.
  const unique = `# ${Date.now()}-${Math.random()}\n`;
  const files = {
    'packages.yml': `${unique}packages:\n  - git: "https://github.com/Sciance-Inc/core.dashboards_store.git"\n    revision: v0.7.0\n`,
    'sub/packages.yml': `${unique}packages: []\n`,
  };
  const parsed = new ParsedRepo(new MemorySnapshot(files));
  const config = defaultConfig();
  expect(lookupsFor(parsed, config).tagLists).toHaveLength(1);
  decidePolicy(parsed, config, facts);
  expect(parse).toHaveBeenCalledTimes(2);
  // A second check of the same texts (the next pull request of a burst) parses nothing again.
  decidePolicy(new ParsedRepo(new MemorySnapshot(files)), config, facts);
  expect(parse).toHaveBeenCalledTimes(2);
  parse.mockRestore();
});

it('one unreadable file never switches off the checks of other files', () => {
  const files = {
    'packages.yml': 'packages: [\n',
    'etl/packages.yml': 'packages:\n  - git: https://github.com/a/b.git\n    revision: main\n',
  };
  const findings = runPolicy(new MemorySnapshot(files), configWith({ 'required-files': 'off' }), facts).findings;
  expect(findings.map((f) => `${f.path} ${f.rule}`)).toEqual(['etl/packages.yml dbt-packages-pinned', 'packages.yml malformed-file']);
});

it('a binary report (.pbit) is never itself a finding', () => {
  const findings = runPolicy(
    new MemorySnapshot({ 'reporting/emp/a/a.pbit': BINARY }),
    configWith({ 'required-files': 'off' }),
    facts,
  ).findings;
  expect(findings.filter((f) => f.rule === 'malformed-file')).toEqual([]);
});

describe('a key written twice', () => {
  const run = (files: Record<string, string>) =>
    runPolicy(new MemorySnapshot(files), configWith({ 'required-files': 'off' }), facts).findings;
  const malformedOf = (files: Record<string, string>) => run(files).filter((f) => f.rule === 'malformed-file');

  it('in packages.yml with two values is an error naming both lines, and the last value is read (as dbt reads it)', () => {
    const findings = run({
      'packages.yml':
        'packages:\n  - git: "https://github.com/Sciance-Inc/core.dashboards_store.git"\n    revision: v0.7.0\n    revision: develop\n',
    });
    expect(findings.filter((f) => f.rule === 'malformed-file')).toEqual([
      expect.objectContaining({
        path: 'packages.yml',
        line: 4,
        severity: 'error',
        message: expect.stringContaining(
          '`packages[0].revision` is written twice, at packages.yml:3 and packages.yml:4, with different values',
        ),
      }),
    ]);
    expect(findings.some((f) => f.rule === 'dbt-packages-pinned' && f.line === 4 && f.message.includes('`develop`'))).toBe(true);
  });

  it('in dependencies.yml (a second `packages:` list) is an error naming both lines', () =>
    expect(
      malformedOf({ 'dbt/dependencies.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.1.1\npackages: []\n' }),
    ).toEqual([
      expect.objectContaining({ line: 4, message: expect.stringContaining('at dbt/dependencies.yml:1 and dbt/dependencies.yml:4') }),
    ]));

  it('in dbt_project.yml with the same value twice is harmless: CDPVD/cdpvd_dashboards_store repeats name and version', () =>
    expect(
      malformedOf({ 'dbt_project.yml': 'name: "store"\nversion: "0.0.0"\nname: "store"\nversion: "0.0.0"\nconfig-version: 2\n' }),
    ).toEqual([]));

  it('in dbt_project.yml with two values is an error naming both lines', () =>
    expect(malformedOf({ 'dbt_project.yml': 'name: store\nmodels:\n  store:\n    +enabled: true\n    +enabled: false\n' })).toEqual([
      expect.objectContaining({
        line: 5,
        message: expect.stringContaining('`models.store.+enabled` is written twice, at dbt_project.yml:4 and dbt_project.yml:5'),
      }),
    ]));

  it('in a workflow is an error even with the same value: GitHub refuses the file', () =>
    expect(
      malformedOf({
        '.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    runs-on: ubuntu-latest\n    steps: []\n',
      }),
    ).toEqual([
      expect.objectContaining({
        line: 5,
        message: expect.stringMatching(
          /GitHub will not run it: `jobs\.a\.runs-on` is written twice, at \.github\/workflows\/ci\.yml:4 and \.github\/workflows\/ci\.yml:5/,
        ),
      }),
    ]));

  it('in profiles.yml and dashboard.yml with two values is an error naming both lines', () => {
    expect(malformedOf({ 'profiles.yml': 'store:\n  target: dev\n  target: prod\n  outputs: {}\n' })).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringContaining('at profiles.yml:2 and profiles.yml:3') }),
    ]);
    expect(malformedOf({ 'reporting/emp/a/dashboard.yml': 'version: 1.0.0\nversion: 1.1.0\n' })).toEqual([
      expect.objectContaining({
        line: 2,
        message: expect.stringContaining('at reporting/emp/a/dashboard.yml:1 and reporting/emp/a/dashboard.yml:2'),
      }),
    ]);
  });

  it('merge keys and keys in different mappings are not duplicates', () =>
    expect(
      malformedOf({
        'packages.yml':
          'base: &b {revision: v1}\nother: &o {warn-unpinned: true}\npackages:\n  - <<: *b\n    <<: *o\n    git: https://github.com/a/b.git\n  - git: https://github.com/a/c.git\n    revision: v1.0.0\n',
      }),
    ).toEqual([]));
});
