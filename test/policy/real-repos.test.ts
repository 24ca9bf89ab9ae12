/**
 * Shipshape on trimmed snapshots of public repositories (test/fixtures/realrepos/*: each file names its
 * source repository, path and commit in its first line or in SOURCE.txt): the verdicts a user of those
 * repositories would expect, through the whole engine with every rule at its default level.
 */
import { defaultConfig, mergeLayers, withDefaults } from '../../src/config/load.js';
import { runPolicy, type PolicyResult } from '../../src/policy/engine.js';
import { MemorySnapshot } from '../../src/core/files.js';
import { offlineFacts, type Finding } from '../../src/policy/types.js';
import { fakeFacts } from '../helpers/rule-tester.js';
import { readFixture } from '../helpers/fixtures.js';

const PBIT = { kind: 'binary' } as const;

function check(
  name: string,
  opts: { config?: Record<string, unknown>; prefix?: string; facts?: ReturnType<typeof fakeFacts> } = {},
): PolicyResult {
  const files = Object.fromEntries(
    Object.entries(readFixture(`realrepos/${name}`)).map(([p, text]) => [
      `${opts.prefix ?? ''}${p}`,
      /\.(pbit|xlsx|rdl)$/.test(p) ? PBIT : text,
    ]),
  );
  const config = opts.config ? withDefaults(mergeLayers(opts.config)) : defaultConfig();
  return runPolicy(new MemorySnapshot(files), config, opts.facts ?? offlineFacts('test'));
}

const of = (result: PolicyResult, rule: string) => result.findings.filter((f) => f.rule === rule);
const where = (findings: Finding[]) => findings.map((f) => `${f.path}:${f.line} ${f.code}`);

describe('templates (Sciance-Inc/core.dashboards_store tooling/template/{{ cookiecutter… }}/)', () => {
  const result = check('2-core-cookiecutter-template');

  it('skips the template folder, listed once as skipped: no parse error, no core-pinned on its FROM …:develop, no secret in its profile', () => {
    expect(result.skipped).toEqual(["tooling/template/{{ cookiecutter.css_short_name + '.dashboards_store' }}/"]);
    expect(result.notes[0]).toMatch(/^1 template skipped/);
    expect(result.findings.filter((f) => f.path?.includes('{{'))).toEqual([]);
    expect(result.unreadable).toEqual([]);
  });

  it('still checks the real project beside it: its committed report for a dashboard it does not enable is a warning', () => {
    expect(where(of(result, 'dashboards-versioned'))).toEqual(['reporting/educ_serv/effectif_css/effectif_css.pbit:1 report-not-deployed']);
  });

  it('does not let the template satisfy required-files', () => {
    expect(of(result, 'required-files').map((f) => [f.path, f.message])).toEqual(
      expect.arrayContaining([
        [null, expect.stringMatching(/\.github\/workflows/)],
        [null, expect.stringMatching(/`Dockerfile`/)],
      ]),
    );
  });

  it('a YAML file whose lines carry {% %} block tags is a template even outside a {{ }} folder; Jinja inside values is not', () => {
    const files = {
      'store/dbt_project.yml': 'name: store\n{% if cookiecutter.x %}\nmodels: {}\n{% endif %}\n',
      'packages.yml':
        'packages:\n  - package: dbt-labs/dbt_utils\n    version: "{% if builtins is defined %}0.14.0{% else %}0.13.1{% endif %}"\n',
      'profiles.yml':
        'p:\n  outputs:\n    prod:\n      password: "{{ env_var(\'PW\') }}"\n    staging:\n      password: "{{ env_var(\'PW\') }}"\n',
      '.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: x\n    env:\n      T: ${{ secrets.T }}\n    steps: []\n',
    };
    const r = runPolicy(new MemorySnapshot(files), defaultConfig(), offlineFacts('test'));
    expect(r.skipped).toEqual(['store/dbt_project.yml']);
    expect(where(of(r, 'dbt-packages-pinned'))).toEqual(['packages.yml:3 unverifiable']);
    expect(r.unreadable).toEqual([]);
    expect(of(r, 'no-plaintext-secrets')).toEqual([]);
  });

  it('one unreadable dbt_project.yml does not switch off the dashboards checks of another project', () => {
    const files = {
      ...Object.fromEntries(Object.entries(readFixture('realrepos/2-core-cookiecutter-template')).filter(([p]) => !p.includes('{{'))),
      'tooling/broken/dbt_project.yml': 'models: [\n',
    };
    const r = runPolicy(new MemorySnapshot(files), defaultConfig(), offlineFacts('test'));
    expect(where(r.unreadable)).toEqual(['tooling/broken/dbt_project.yml:1 malformed']);
    expect(where(of(r, 'dashboards-versioned'))).toEqual(['reporting/educ_serv/effectif_css/effectif_css.pbit:1 report-not-deployed']);
  });
});

describe('ignore: and the built-in ignores', () => {
  it('node_modules/ is never read (TeekIt/teekit-desktop node_modules/bottleneck/.env: REDIS_PORT=6379)', () => {
    expect(check('9-noise-fixtures-vendored').findings.filter((f) => f.path?.includes('node_modules'))).toEqual([]);
  });

  it('test fixtures and parser fixtures are findings by default (probot/probot test/fixtures/test-private-key.pem, renovate 2.Dockerfile)', () => {
    const r = check('9-noise-fixtures-vendored');
    expect(where(of(r, 'no-plaintext-secrets'))).toEqual(['probot/test/fixtures/test-private-key.pem:1 secret']);
    expect(where(of(r, 'dockerfile-pinned')).length).toBe(9);
  });

  it('`ignore:` globs at any depth silence them', () => {
    const r = check('9-noise-fixtures-vendored', { config: { ignore: ['test/fixtures/**', 'renovate-parser-fixture/'] } });
    expect(r.findings.filter((f) => f.path !== null)).toEqual([]);
  });

  it('dbt_packages/, target/, .venv/, venv/ are ignored at any depth', () => {
    const bad = 'FROM python\n';
    const files = { 'a/dbt_packages/x/Dockerfile': bad, 'target/Dockerfile': bad, 'x/.venv/Dockerfile': bad, 'venv/Dockerfile': bad };
    expect(of(runPolicy(new MemorySnapshot(files), defaultConfig(), offlineFacts('t')), 'dockerfile-pinned')).toEqual([]);
  });
});

describe('facts', () => {
  it('the whole core package enabled offline: reports that may be the core\'s are not called "not enabled", a note says so (CDPVD/cdpvd_dashboards_store dbt_project.yml)', () => {
    const r = check('1b-cdpvd-whole-core-enabled-reporting');
    // retirement, diplome, emp_actif come from the core; only absenteeism is disabled in both blocks.
    expect(where(of(r, 'dashboards-versioned'))).toEqual(['reporting/educ_serv/absenteeism/absenteeism.pbit:1 report-not-deployed']);
    expect(r.notes.filter((n) => /cannot be known/.test(n))).toEqual([
      expect.stringMatching(/^dbt_project\.yml:11 enables every dashboard of the package `core_dashboards_store`/),
    ]);
  });

  it("dashboards.reports is resolved from each dbt project's own folder (the CDPVD store moved under store/)", () => {
    const r = check('1b-cdpvd-whole-core-enabled-reporting', { prefix: 'store/' });
    expect(where(of(r, 'dashboards-versioned'))).toEqual(['store/reporting/educ_serv/absenteeism/absenteeism.pbit:1 report-not-deployed']);
    const enabled = {
      'store/dbt_project.yml':
        'name: s\nmodels:\n  core_dashboards_store:\n    dashboards:\n      emp:\n        absenteeism:\n          +enabled: true\n',
      'store/reporting/emp/absenteeism/a.pbit': PBIT,
    };
    expect(of(runPolicy(new MemorySnapshot(enabled), defaultConfig(), offlineFacts('t')), 'dashboards-versioned')).toEqual([]);
  });

  it('a dbt project in a sub-folder with the whole core enabled and Jinja in its revision (core.dashboards_store tooling/nightly)', () => {
    const r = check('1c-core-nightly-subfolder-project');
    expect(r.skipped).toEqual([]);
    expect(where([...of(r, 'dbt-packages-pinned'), ...of(r, 'core-pinned')])).toEqual([
      'tooling/nightly/dbt/packages.yml:4 unverifiable',
      'tooling/nightly/dbt/packages.yml:4 unverifiable',
    ]);
    expect(of(r, 'no-plaintext-secrets').map((f) => f.code)).toEqual(['missing-target', 'missing-target']);
  });

  it('the core itself: its own package disabled, a look-alike image is not the core image (core.dashboards_store @83f6d506)', () => {
    const r = check('1d-core-root-reporting-and-lookalike-image');
    expect(of(r, 'core-pinned')).toEqual([]);
    expect(of(r, 'dashboards-versioned').every((f) => f.code === 'report-not-deployed' && f.severity === 'warning')).toBe(true);
    expect(of(r, 'dashboards-versioned').length).toBe(15);
  });

  it('ARG defaults over continuation lines with comments, and the escape directive (renovate 3.Dockerfile, 4.Dockerfile)', () => {
    const r = check('4-dockerfile-arg-continuation');
    expect(where(of(r, 'dockerfile-pinned'))).toEqual(['4.Dockerfile:16 unpinned', '4.Dockerfile:18 unpinned', '4.Dockerfile:24 unpinned']);
    expect(of(r, 'dockerfile-pinned')[2]!.message).toMatch(/^`COPY --from=image12` has no tag/);
    const digest = check('4-dockerfile-arg-continuation', { config: { dockerfile: { 'require-digest': true } } });
    expect(where(of(digest, 'dockerfile-pinned')).filter((w) => w.startsWith('3.'))).toEqual(['3.Dockerfile:6 no-digest']);
  });

  it("COPY --from=<outside image> counts like a FROM, whatever its flags' order (renovate 2.Dockerfile)", () => {
    const copies = of(check('9-noise-fixtures-vendored'), 'dockerfile-pinned').filter((f) => f.message.startsWith('`COPY'));
    expect(copies.map((f) => f.line)).toEqual([22, 24, 32, 34, 40]);
  });

  it('a one-item exact version list is exact; ranges are not (jaffle-shop packages.yml, list synthesized)', () => {
    const r = check('5-hub-version-lists');
    expect(where(of(r, 'dbt-packages-pinned'))).toEqual([
      'dbt-docs-jinja-in-value/packages.yml:5 unverifiable',
      'elementary/packages.yml:4 unpinned',
      'jaffle-shop-2024/packages.yml:6 unpinned',
      'jaffle-shop-head/packages.yml:8 unpinned',
      'one-item-exact-synthesized/packages.yml:8 unpinned',
    ]);
  });

  it('readme.md satisfies README.md (Sciance-Inc/csspi.dashboards_store.snowflake)', () => {
    const missing = of(check('8-readme-lowercase'), 'required-files')
      .filter((f) => f.code === 'missing')
      .map((f) => f.message);
    expect(missing).toEqual([expect.stringMatching(/`Dockerfile`/), expect.stringMatching(/workflows/)]);
  });
});

describe('fix hints from the data', () => {
  it('a range gets an exact version inside it, never a hard-coded one (dbt-labs/jaffle-shop packages.yml@9a5b828)', () => {
    const [range] = of(check('5-hub-version-lists'), 'dbt-packages-pinned').filter((f) => f.path === 'jaffle-shop-2024/packages.yml');
    expect(range!.fix).toMatch(/e\.g\. 0\.8\.0 \(its lowest\)/);
    expect(range!.fix).not.toMatch(/1\.1\.1/);
  });

  it('a branch gets "a release tag of owner/repo" offline and the newest release online (dbt-labs/jaffle-shop packages.yml@7be2c58)', () => {
    const offline = of(check('5-hub-version-lists'), 'dbt-packages-pinned').find((f) => f.path === 'jaffle-shop-head/packages.yml')!;
    expect(offline.fix).toMatch(/a release tag of dbt-labs\/dbt-audit-helper/);
    expect(offline.fix).not.toMatch(/v0\.7\.0/);
    const online = of(
      check('5-hub-version-lists', {
        facts: fakeFacts(
          { 'dbt-labs/dbt-audit-helper@main': 'branch' },
          { 'dbt-labs/dbt-audit-helper': ['0.12.0', '0.12.1', '0.13.0-rc1', 'latest'] },
        ),
      }),
      'dbt-packages-pinned',
    ).find((f) => f.path === 'jaffle-shop-head/packages.yml')!;
    expect(online.fix).toMatch(/`0\.12\.1`, the newest release of dbt-labs\/dbt-audit-helper/);
  });
});

describe('secrets in compose files and configs (puckel/docker-airflow)', () => {
  const r = check('6-compose-secret-key-literals');
  it('finds the FERNET_KEY and SECRET_KEY literals and the URL passwords; not POSTGRES_PASSWORD=airflow nor secret_key = temporary_key', () => {
    expect(where(of(r, 'no-plaintext-secrets'))).toEqual([
      'puckel/config/airflow.cfg:10 secret',
      'puckel/docker-compose-CeleryExecutor.yml:27 secret-value',
      'unattributed/docker-compose.yml:11 secret',
      'unattributed/docker-compose.yml:13 secret',
      'unattributed/docker-compose.yml:14 secret-value',
    ]);
  });
  it('prints no character of any value', () => {
    const text = JSON.stringify(r.findings);
    for (const secret of ['46BKJoQYlPPOexq0OhDZnIlNepKFf87WFwLbfzqDDho=', '46BK', '2g7v8w9x', 'airflow123'])
      expect(text).not.toContain(secret);
  });
});

describe('actions-pinned: actions used by tag (slsa-framework/slsa-verifier .github/workflows/release.yml)', () => {
  it("accepts the SLSA generator's reusable workflow on vX.Y.Z with a note", () => {
    const r = check('7-slsa-generator-by-tag');
    expect(of(r, 'actions-pinned')).toEqual([]);
    expect(r.notes).toEqual([
      expect.stringMatching(/accepted `slsa-framework\/slsa-github-generator\/\.github\/workflows\/builder_go_slsa3\.yml@v2\.0\.0`/),
    ]);
  });
});
