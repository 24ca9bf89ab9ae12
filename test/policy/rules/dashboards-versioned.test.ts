import { dashboardsVersioned } from '../../../src/policy/rules/dashboards-versioned.js';
import { MemorySnapshot } from '../../../src/policy/snapshot.js';
import { testRule } from '../../helpers/rule-tester.js';

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

import { mergeLayers, withDefaults } from '../../../src/config/load.js';
import { runPolicy } from '../../../src/policy/engine.js';
import { offlineFacts } from '../../../src/policy/types.js';
function withVersion() {
  return withDefaults(mergeLayers({ dashboards: { 'require-version': true } }));
}
