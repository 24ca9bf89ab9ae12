import { dashboardsVersioned } from '../../../src/policy/rules/dashboards-versioned.js';
import { MemorySnapshot } from '../../../src/core/files.js';
import { defaultConfig, mergeLayers, withDefaults } from '../../../src/config/load.js';
import { runPolicy } from '../../../src/policy/engine.js';
import { packageLookups } from '../../../src/policy/needs.js';
import { ParsedRepo } from '../../../src/policy/parsed.js';
import { offlineFacts, type PackageFacts, type RefFacts } from '../../../src/policy/types.js';
import { fakeFacts, testRule } from '../../helpers/rule-tester.js';

const project = (dashboards: string) => `name: store\nmodels:\n  core_dashboards_store:\n    dashboards:\n${dashboards}`;
const PBIT = { kind: 'binary' as const };
const enabledAbsenteeism = project('      emp:\n        absenteeism:\n          +enabled: true\n');

testRule(dashboardsVersioned, {
  valid: [
    {
      name: 'enabled dashboard with its .pbit committed',
      files: { 'dbt_project.yml': enabledAbsenteeism, 'reporting/emp/absenteeism/absenteeism.pbit': PBIT },
    },
    {
      name: 'a JSON dashboard definition counts',
      files: { 'dbt_project.yml': enabledAbsenteeism, 'reporting/emp/absenteeism/def.json': '{}' },
    },
    {
      name: 'disabled dashboards need nothing',
      files: { 'dbt_project.yml': project('      emp:\n        absenteeism:\n          +enabled: false\n') },
    },
    {
      name: 'a custom reports layout',
      files: { 'dbt_project.yml': enabledAbsenteeism, 'powerbi/emp-absenteeism.pbit/x.pbit': PBIT },
      config: { dashboards: { reports: 'powerbi/{domain}-{dashboard}.pbit/**' } },
    },
    {
      name: 'require-version with a raised version on a PR',
      files: {
        'dbt_project.yml': enabledAbsenteeism,
        'reporting/emp/absenteeism/a.pbit': PBIT,
        'reporting/emp/absenteeism/dashboard.yml': 'version: 1.3.0\n',
      },
      config: { dashboards: { 'require-version': true } },
    },
    { name: 'a dbt project without dashboards', files: { 'dbt_project.yml': 'name: x\nmodels:\n  x:\n    +materialized: view\n' } },
  ],
  invalid: [
    {
      name: 'deployed without report: error on the enabling line',
      files: { 'dbt_project.yml': enabledAbsenteeism },
      errors: [
        {
          path: 'dbt_project.yml',
          line: 7,
          code: 'no-report',
          severity: 'error',
          message: /`emp\/absenteeism` is deployed.*reporting\/emp\/absenteeism\//,
        },
      ],
    },
    {
      name: '+enabled inherited from the domain, overridden by false',
      files: {
        'dbt_project.yml': project(
          '      emp:\n        +enabled: true\n        absenteeism: {}\n        turnover:\n          +enabled: false\n',
        ),
        'reporting/emp/turnover/t.pbit': PBIT,
      },
      errors: [
        { path: 'dbt_project.yml', line: 7, code: 'no-report' },
        { path: 'reporting/emp/turnover/t.pbit', line: 1, code: 'report-not-deployed', severity: 'warning' },
      ],
    },
    {
      name: 'a whole domain enables the folders found in the store',
      files: {
        'dbt_project.yml': project('      emp:\n        +enabled: true\n'),
        'models/dashboards/emp/absenteeism/a.sql': 'select 1',
        'models/dashboards/emp/overtime/o.sql': 'select 1',
        'reporting/emp/absenteeism/a.pbit': PBIT,
      },
      errors: [{ line: 6, code: 'no-report', message: /emp\/overtime/ }],
    },
    {
      name: 'dashboards.deployed without report',
      files: { '.github/shipshape.yml': 'dashboards:\n  deployed:\n    - finance/budget\n' },
      config: { dashboards: { deployed: ['finance/budget'] } },
      errors: [{ path: '.github/shipshape.yml', line: 3, code: 'no-report' }],
    },
    {
      name: '.pbix embeds data',
      files: { 'dbt_project.yml': enabledAbsenteeism, 'reporting/emp/absenteeism/a.pbix': PBIT },
      errors: [{ path: 'reporting/emp/absenteeism/a.pbix', line: 1, code: 'pbix', severity: 'warning' }],
    },
    {
      name: 'require-version without a version',
      files: { 'dbt_project.yml': enabledAbsenteeism, 'reporting/emp/absenteeism/a.pbit': PBIT },
      config: { dashboards: { 'require-version': true } },
      errors: [{ line: 7, code: 'no-version' }],
    },
    {
      name: 'require-version with a bad version in dbt meta',
      files: {
        'dbt_project.yml': project(
          '      emp:\n        absenteeism:\n          +enabled: true\n          +meta:\n            version: one\n',
        ),
        'reporting/emp/absenteeism/a.pbit': PBIT,
      },
      config: { dashboards: { 'require-version': true } },
      errors: [{ line: 9, code: 'bad-version' }],
    },
    {
      name: "a malformed dbt_project.yml is the engine's finding, and reports are not called stale",
      files: { 'dbt_project.yml': 'models: [\n', 'reporting/emp/absenteeism/a.pbit': PBIT },
      errors: [{ rule: 'malformed-file', code: 'malformed', line: 1 }],
    },
  ],
});

describe('dashboards-versioned on a change', () => {
  const files = {
    'dbt_project.yml': enabledAbsenteeism,
    'reporting/emp/absenteeism/a.pbit': PBIT,
    'reporting/emp/absenteeism/dashboard.yml': 'version: 1.2.0\n',
  };
  const run = (changed: string[], baseVersion?: string) => {
    const base = new MemorySnapshot(
      baseVersion
        ? { ...files, 'reporting/emp/absenteeism/dashboard.yml': `version: ${baseVersion}\n` }
        : { 'dbt_project.yml': 'name: store\n' },
    );
    return runPolicy(new MemorySnapshot(files), withVersion(), offlineFacts('test'), [dashboardsVersioned], { changedPaths: changed, base })
      .findings;
  };
  it('a changed dashboard whose version is unchanged is a finding on the version line', () => {
    expect(run(['reporting/emp/absenteeism/a.pbit'], '1.2.0')).toMatchObject([
      {
        path: 'reporting/emp/absenteeism/dashboard.yml',
        line: 1,
        code: 'version-not-raised',
        message: expect.stringContaining('stays 1.2.0'),
      },
    ]);
  });
  it('a lowered version too', () =>
    expect(run(['models/dashboards/emp/absenteeism/x.sql'], '1.3.0')).toMatchObject([{ code: 'version-not-raised' }]));
  it('a raised version passes', () => expect(run(['reporting/emp/absenteeism/a.pbit'], '1.1.9')).toEqual([]));
  it('an untouched dashboard passes', () => expect(run(['README.md'], '1.2.0')).toEqual([]));
  it('a new dashboard passes with any valid version', () => expect(run(['reporting/emp/absenteeism/a.pbit'])).toEqual([]));
});

function withVersion() {
  return withDefaults(mergeLayers({ dashboards: { 'require-version': true } }));
}

describe('the whole core package enabled: its dashboards read online at the pin (CDPVD/cdpvd_dashboards_store shape)', () => {
  // 1 name … 4 `+enabled: true` on the whole core; 8 the core's emp/turnover off; 13 the store's own emp/absenteeism off.
  const STORE =
    'name: store\nmodels:\n  core_dashboards_store:\n    +enabled: true\n    dashboards:\n      emp:\n        turnover:\n          +enabled: false\n  store:\n    dashboards:\n      emp:\n        absenteeism:\n          +enabled: false\n';
  const PACKAGES = 'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: v0.19.3+20260108\n';
  const CORE = { name: 'core_dashboards_store', dashboards: ['emp/absenteeism', 'emp/overtime', 'emp/turnover', 'finance/budget'] };
  const files = {
    'dbt_project.yml': STORE,
    'packages.yml': PACKAGES,
    'reporting/emp/absenteeism/a.pbit': PBIT, // the core's absenteeism: on (the store turned off only its own)
    'reporting/emp/overtime/o.pbit': PBIT, // the core's
    'reporting/emp/turnover/t.pbit': PBIT, // the core's, turned off by the store
    'reporting/hr/legacy/l.pbit': PBIT, // in neither
  };
  const online = (pkg: PackageFacts | null | undefined, pinned = 'v0.19.3+20260108'): RefFacts => ({
    ...fakeFacts({}),
    packageAt: (owner, repo, ref) =>
      `${owner}/${repo}`.toLowerCase() === 'sciance-inc/core.dashboards_store' && ref === pinned ? pkg : undefined,
  });
  const run = (facts: RefFacts, over: Record<string, string | typeof PBIT> = files) => {
    const result = runPolicy(new MemorySnapshot(over), defaultConfig(), facts, [dashboardsVersioned]);
    return { findings: result.findings.map((f) => `${f.path}:${f.line} ${f.code} ${f.severity}`), result };
  };

  it('online: the core dashboards it holds at the pin are deployed; reports of the others are "not enabled"; no note of the unknown', () => {
    const { findings, result } = run(online(CORE));
    expect(findings).toEqual([
      'dbt_project.yml:4 no-report error',
      'reporting/emp/turnover/t.pbit:1 report-not-deployed warning',
      'reporting/hr/legacy/l.pbit:1 report-not-deployed warning',
    ]);
    expect(result.findings[0]!.message).toBe(
      'dashboard `finance/budget` is deployed (enabled through the whole package `core_dashboards_store`, which holds it at `Sciance-Inc/core.dashboards_store@v0.19.3+20260108`) but its report definition is not committed under `reporting/finance/budget/`',
    );
    expect(result.notes).toEqual([
      'dbt_project.yml:4 enables every dashboard of the package `core_dashboards_store`: the 4 it holds at `Sciance-Inc/core.dashboards_store@v0.19.3+20260108` were read from there',
    ]);
  });

  it('offline, or when the core could not be read at the pin: never "not enabled" for what the core may hold, and a note says so', () => {
    for (const facts of [offlineFacts('offline'), online(null), online(CORE, 'v0.18.0')]) {
      const { findings, result } = run(facts);
      // Only the dashboard the store turned off for the core itself is known to be off.
      expect(findings).toEqual(['reporting/emp/turnover/t.pbit:1 report-not-deployed warning']);
      expect(result.notes).toEqual([
        expect.stringMatching(/^dbt_project\.yml:4 enables every dashboard .* \(this cannot be known here\)$/),
      ]);
    }
  });

  it('a package read at the pin under another dbt name is not the one enabled: still unknown', () => {
    const { findings } = run(online({ ...CORE, name: 'some_other_package' }));
    expect(findings).toEqual(['reporting/emp/turnover/t.pbit:1 report-not-deployed warning']);
  });

  it('a whole domain of the core covers only that domain of what the core holds', () => {
    const domain = 'name: store\nmodels:\n  core_dashboards_store:\n    dashboards:\n      emp:\n        +enabled: true\n';
    const { findings } = run(online(CORE), { ...files, 'dbt_project.yml': domain });
    expect(findings).toEqual(['reporting/hr/legacy/l.pbit:1 report-not-deployed warning']);
    const { findings: budget } = run(online(CORE), {
      ...files,
      'dbt_project.yml': domain.replace('emp:', 'finance:'),
      'reporting/finance/budget/b.pbit': PBIT,
    });
    expect(budget).toEqual([
      'reporting/emp/absenteeism/a.pbit:1 report-not-deployed warning',
      'reporting/emp/overtime/o.pbit:1 report-not-deployed warning',
      'reporting/emp/turnover/t.pbit:1 report-not-deployed warning',
      'reporting/hr/legacy/l.pbit:1 report-not-deployed warning',
    ]);
  });

  it('only a core on the GitHub the app reads is asked for; on GitHub Enterprise Server the pin names that host', () => {
    const parsed = (over: Record<string, string | typeof PBIT>) => new ParsedRepo(new MemorySnapshot(over));
    const config = defaultConfig();
    const pin = { owner: 'Sciance-Inc', repo: 'core.dashboards_store', ref: 'v0.19.3+20260108' };
    expect(packageLookups(parsed(files), config)).toEqual([pin]);
    // A github.com URL is not read through another server, where a repository of the same name may be another one.
    expect(packageLookups(parsed(files), config, 'ghe.example.com')).toEqual([]);
    const onGhe = { ...files, 'packages.yml': PACKAGES.replace('github.com', 'ghe.example.com') };
    expect(packageLookups(parsed(onGhe), config, 'ghe.example.com')).toEqual([pin]);
    expect(run({ ...online(CORE), host: 'ghe.example.com' }, onGhe).findings).toEqual(run(online(CORE)).findings);
    // Nothing to ask when no project enables a package as a whole, or with the rule off.
    expect(packageLookups(parsed({ ...files, 'dbt_project.yml': enabledAbsenteeism }), config)).toEqual([]);
    config.rules['dashboards-versioned'] = 'off';
    expect(packageLookups(parsed(files), config)).toEqual([]);
  });

  it('the pin of a project in a sub-folder is its own packages.yml', () => {
    const moved = Object.fromEntries(Object.entries(files).map(([p, c]) => [`store/${p}`, c]));
    expect(run(online(CORE), moved).findings).toEqual([
      'store/dbt_project.yml:4 no-report error',
      'store/reporting/emp/turnover/t.pbit:1 report-not-deployed warning',
      'store/reporting/hr/legacy/l.pbit:1 report-not-deployed warning',
    ]);
  });
});
