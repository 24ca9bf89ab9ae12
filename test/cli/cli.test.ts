/** The built CLI as a user runs it: a child process on fixture folders; stdout, JSON and exit codes. */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from '../helpers/shared.js';

const bin = resolve(repoRoot, 'bin/shipshape.js');
const fixture = resolve(repoRoot, 'test/fixtures/css01.dashboards_store');

beforeAll(() => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: 'pipe' });
}, 120_000);

function shipshape(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function copyOfStore(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-cli-'));
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

it('a store that follows the policy exits 0', () => {
  const r = shipshape(['check', fixture]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('0 error(s), 0 warning(s)');
  expect(r.stderr).toContain('note: offline');
});

it('findings as JSON with the documented keys, exit 1 on errors', () => {
  const dir = copyOfStore();
  writeFileSync(join(dir, 'packages.yml'), 'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: develop\n');
  writeFileSync(join(dir, 'requirements.txt'), 'pandas\n');
  const r = shipshape(['check', dir, '--format', 'json']);
  expect(r.code).toBe(1);
  const { findings } = JSON.parse(r.stdout);
  expect(findings).toEqual([
    { rule: 'dbt-packages-pinned', severity: 'error', file: 'packages.yml', line: 3, message: expect.stringContaining('`develop`') },
    { rule: 'core-pinned', severity: 'error', file: 'packages.yml', line: 3, message: expect.stringContaining('branch `develop`') },
    { rule: 'python-pinned', severity: 'warning', file: 'requirements.txt', line: 1, message: 'requirement `pandas` has no version' },
  ].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule)));
  rmSync(dir, { recursive: true });
});

it('GitHub Actions annotation lines; warnings alone exit 0', () => {
  const dir = copyOfStore();
  writeFileSync(join(dir, 'requirements.txt'), 'pandas>=2\n');
  const r = shipshape(['check', dir, '--format', 'github']);
  expect(r.code).toBe(0);
  expect(r.stdout.trim()).toBe('::warning file=requirements.txt,line=1,title=python-pinned::requirement `pandas` allows a range (`>=2`)%0AFix: pin one exact version: `pandas==X.Y.Z`');
  rmSync(dir, { recursive: true });
});

it('honours .gitignore and never follows a link out of the directory', () => {
  const dir = copyOfStore();
  mkdirSync(join(dir, 'build'));
  writeFileSync(join(dir, 'build/Dockerfile'), 'FROM python\n');
  writeFileSync(join(dir, '.gitignore'), 'build/\n');
  const outside = mkdtempSync(join(tmpdir(), 'shipshape-outside-'));
  writeFileSync(join(outside, 'Dockerfile'), 'FROM ubuntu\n');
  symlinkSync(join(outside, 'Dockerfile'), join(dir, 'linked.Dockerfile'));
  symlinkSync(outside, join(dir, 'linked-dir'));
  const r = shipshape(['check', dir, '--format', 'json']);
  expect(JSON.parse(r.stdout).findings).toEqual([]);
  expect(r.code).toBe(0);
  rmSync(dir, { recursive: true });
  rmSync(outside, { recursive: true });
});

it('an invalid configuration exits 2 naming file, line and fix, and checks nothing', () => {
  const dir = copyOfStore();
  writeFileSync(join(dir, '.github/shipshape.yml'), 'rules:\n  dockerfile-pined: error\n');
  const r = shipshape(['check', dir]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('.github/shipshape.yml:2: unknown key `dockerfile-pined` in rules; did you mean `dockerfile-pinned`?');
  expect(r.stdout).toBe('');
  rmSync(dir, { recursive: true });
});

it('usage errors exit 2', () => {
  expect(shipshape(['frobnicate']).code).toBe(2);
  expect(shipshape(['check', '/nonexistent-dir']).code).toBe(2);
  expect(shipshape(['check', '--format', 'xml']).code).toBe(2);
  expect(shipshape(['explain', 'no-such-rule']).code).toBe(2);
  expect(shipshape(['check', '--bogus']).code).toBe(2);
});

it('explain prints a failing and a fixed example; --help and --version', () => {
  const r = shipshape(['explain', 'dbt-packages-pinned']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Fails:[\s\S]*revision: main[\s\S]*Passes:[\s\S]*revision: 1\.1\.1/);
  expect(shipshape(['--help']).stdout).toContain('Usage:');
  expect(shipshape(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
});

it('--base judges dashboard versions against a git ref', () => {
  const dir = copyOfStore();
  writeFileSync(join(dir, '.github/shipshape.yml'), 'dashboards:\n  require-version: true\n');
  writeFileSync(join(dir, 'reporting/emp/absenteeism/dashboard.yml'), 'version: 1.2.0\n');
  const g = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.email=t@example.org', '-c', 'user.name=t', ...args], { stdio: 'pipe' });
  g('init', '-q');
  g('add', '-A');
  g('commit', '-qm', 'base');
  writeFileSync(join(dir, 'reporting/emp/absenteeism/absenteeism.pbit'), 'PK\u0003\u0004changed\u0000');
  const unchanged = shipshape(['check', dir, '--base', 'HEAD', '--format', 'json']);
  expect(unchanged.code).toBe(1);
  expect(JSON.parse(unchanged.stdout).findings).toMatchObject([{ rule: 'dashboards-versioned', file: 'reporting/emp/absenteeism/dashboard.yml', line: 1 }]);
  writeFileSync(join(dir, 'reporting/emp/absenteeism/dashboard.yml'), 'version: 1.2.1\n');
  expect(shipshape(['check', dir, '--base', 'HEAD']).code).toBe(0);
  expect(shipshape(['check', dir, '--base', 'no-such-ref']).code).toBe(2);
  rmSync(dir, { recursive: true });
});
