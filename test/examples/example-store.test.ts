/**
 * The example store passes, and each way of breaking it documented in the README fails with the
 * documented finding (the README quotes these exact lines; this test keeps it honest).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { built, repoRoot } from '../helpers/paths.js';

const example = resolve(repoRoot, 'examples/css42.dashboards_store');
const bin = built('bin/shipshape.js');
const readme = readFileSync(resolve(repoRoot, 'README.md'), 'utf8');

const check = (dir: string) => spawnSync(process.execPath, [bin, 'check', dir], { encoding: 'utf8' });

it('passes as committed', () => {
  const r = check(example);
  expect(r.stdout).toContain('0 error(s), 0 warning(s)');
  expect(r.status).toBe(0);
});

const BREAKAGES: Array<{ name: string; file: string; from: string; to: string; expect: string }> = [
  {
    name: 'core on a branch',
    file: 'packages.yml',
    from: 'revision: v0.7.0+20230926',
    to: 'revision: develop',
    expect: 'packages.yml:3:15  error  the core (`Sciance-Inc/core.dashboards_store`) is on branch `develop`, not a release  (core-pinned)',
  },
  {
    name: 'image of another release',
    file: 'Dockerfile',
    from: 'core.dashboards_store:v0.7.0',
    to: 'core.dashboards_store:v0.6.1',
    expect:
      'Dockerfile:3  error  `FROM ghcr.io/sciance-inc/core.dashboards_store:v0.6.1` builds on core v0.6.1, but packages.yml pins the core to v0.7.0+20230926  (core-pinned)',
  },
  {
    name: 'a deployed dashboard without report',
    file: 'dbt_project.yml',
    from: '      fin:\n',
    to: '      hr:\n        turnover:\n          +enabled: true\n      fin:\n',
    expect:
      'dbt_project.yml:16  error  dashboard `hr/turnover` is deployed but its report definition is not committed under `reporting/hr/turnover/`  (dashboards-versioned)',
  },
  {
    name: 'a literal production password',
    file: 'profiles.yml',
    from: `password: "{{ env_var('DBT_PROD_PASSWORD') }}"`,
    to: 'password: Sup3rS3cret!',
    expect:
      'profiles.yml:27  error  target `prod` of profile `css42_store` sets `password` literally (a literal value, hidden here)  (no-plaintext-secrets)',
  },
  {
    name: 'an action on a tag',
    file: '.github/workflows/ci.yml',
    from: 'actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1',
    to: 'actions/checkout@v4',
    expect:
      '.github/workflows/ci.yml:13:15  error  action `actions/checkout` is pinned to the tag `v4`, which can be moved to other code  (actions-pinned)',
  },
];

it.each(BREAKAGES.map((b) => [b.name, b] as const))('%s', (_name, b) => {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-example-'));
  cpSync(example, dir, { recursive: true });
  const text = readFileSync(join(dir, b.file), 'utf8');
  expect(text).toContain(b.from);
  writeFileSync(join(dir, b.file), text.replace(b.from, b.to));
  const r = check(dir);
  expect(r.status).toBe(1);
  expect(r.stdout.split('\n')).toContain(b.expect);
  expect(readme).toContain(b.expect);
  rmSync(dir, { recursive: true });
});
