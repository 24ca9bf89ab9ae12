/** The built CLI as a user runs it: a child process on fixture folders; stdout, JSON and exit codes. */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  ftruncateSync,
  mkdtempSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gitIn } from '../helpers/git.js';
import { built, repoRoot } from '../helpers/paths.js';

const bin = built('bin/shipshape.js');
const fixture = resolve(repoRoot, 'test/fixtures/css01.dashboards_store');

function shipshape(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd });
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
  writeFileSync(
    join(dir, 'packages.yml'),
    'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: develop\n',
  );
  writeFileSync(join(dir, 'requirements.txt'), 'pandas\n');
  const r = shipshape(['check', dir, '--format', 'json']);
  expect(r.code).toBe(1);
  const { findings } = JSON.parse(r.stdout);
  expect(findings).toEqual(
    [
      { rule: 'dbt-packages-pinned', severity: 'error', file: 'packages.yml', line: 3, message: expect.stringContaining('`develop`') },
      { rule: 'core-pinned', severity: 'error', file: 'packages.yml', line: 3, message: expect.stringContaining('branch `develop`') },
      { rule: 'python-pinned', severity: 'warning', file: 'requirements.txt', line: 1, message: 'requirement `pandas` has no version' },
    ].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule)),
  );
  rmSync(dir, { recursive: true });
});

it('GitHub Actions annotation lines; warnings alone exit 0', () => {
  const dir = copyOfStore();
  writeFileSync(join(dir, 'requirements.txt'), 'pandas>=2\n');
  const r = shipshape(['check', dir, '--format', 'github']);
  expect(r.code).toBe(0);
  expect(r.stdout.trim()).toBe(
    '::warning file=requirements.txt,line=1,title=python-pinned::requirement `pandas` allows a range (`>=2`)%0AFix: pin one exact version: `pandas==X.Y.Z`',
  );
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

it('an invalid configuration exits 2 naming file, line and fix, in every format, and checks nothing', () => {
  const dir = copyOfStore();
  writeFileSync(join(dir, '.github/shipshape.yml'), 'rules:\n  dockerfile-pined: error\nfoo: 1\n');
  writeFileSync(join(dir, 'requirements.txt'), 'pandas\n');
  const message = 'unknown key `dockerfile-pined` in rules; did you mean `dockerfile-pinned`?';
  const text = shipshape(['check', dir]);
  expect(text.code).toBe(2);
  expect(text.stdout).toContain(`.github/shipshape.yml:2  error  ${message}  (shipshape-config)`);
  expect(text.stdout).not.toContain('python-pinned');
  expect(text.stderr).toContain('the configuration is invalid; nothing was checked');
  // "Did you mean" only for a typo: `foo` is not close to `tool`.
  expect(text.stdout).toMatch(/shipshape.yml:3 {2}error {2}unknown key `foo` in the top level; known keys: /);
  const json = shipshape(['check', dir, '--format', 'json']);
  expect(json.code).toBe(2);
  expect(JSON.parse(json.stdout).findings).toEqual([
    { rule: 'shipshape-config', severity: 'error', file: '.github/shipshape.yml', line: 2, message },
    {
      rule: 'shipshape-config',
      severity: 'error',
      file: '.github/shipshape.yml',
      line: 3,
      message: expect.stringContaining('unknown key `foo`'),
    },
  ]);
  const github = shipshape(['check', dir, '--format', 'github']);
  expect(github.code).toBe(2);
  expect(github.stdout.split('\n')[0]).toBe(`::error file=.github/shipshape.yml,line=2,title=shipshape-config::${message}`);
  rmSync(dir, { recursive: true });
});

it('a key written twice in shipshape.yml is a config error naming both lines, in every format', () => {
  const dir = copyOfStore();
  writeFileSync(join(dir, '.github/shipshape.yml'), 'rules:\n  python-pinned: error\nrules:\n  python-pinned: off\n');
  writeFileSync(join(dir, 'requirements.txt'), 'pandas\n');
  const message = '`rules` is written twice, at .github/shipshape.yml:1 and .github/shipshape.yml:3; keep one (YAML keys must be unique)';
  const text = shipshape(['check', dir]);
  expect(text.code).toBe(2);
  expect(text.stdout).toContain(`.github/shipshape.yml:3  error  ${message}  (shipshape-config)`);
  expect(text.stdout).not.toContain('python-pinned:');
  const json = shipshape(['check', dir, '--format', 'json']);
  expect(json.code).toBe(2);
  expect(JSON.parse(json.stdout).findings).toEqual([
    { rule: 'shipshape-config', severity: 'error', file: '.github/shipshape.yml', line: 3, message },
  ]);
  const github = shipshape(['check', dir, '--format', 'github']);
  expect(github.code).toBe(2);
  expect(github.stdout.split('\n')[0]).toBe(`::error file=.github/shipshape.yml,line=3,title=shipshape-config::${message}`);
  rmSync(dir, { recursive: true });
});

it('usage errors exit 2', () => {
  expect(shipshape(['frobnicate']).code).toBe(2);
  expect(shipshape(['check', '/nonexistent-dir']).code).toBe(2);
  expect(shipshape(['check', '--format', 'xml']).code).toBe(2);
  expect(shipshape(['explain', 'no-such-rule']).code).toBe(2);
  expect(shipshape(['explain', 'core-pined']).stderr).toContain('unknown rule `core-pined`; did you mean `core-pinned`?');
  expect(shipshape(['explain', 'foo']).stderr).toMatch(/^shipshape: unknown rule `foo` \(rules: [^?]*\)\n$/);
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
  const g = (...args: string[]) =>
    execFileSync('git', ['-C', dir, '-c', 'user.email=t@example.org', '-c', 'user.name=t', ...args], { stdio: 'pipe' });
  g('init', '-q');
  g('add', '-A');
  g('commit', '-qm', 'base');
  writeFileSync(join(dir, 'reporting/emp/absenteeism/absenteeism.pbit'), 'PK\u0003\u0004changed\u0000');
  const unchanged = shipshape(['check', dir, '--base', 'HEAD', '--format', 'json']);
  expect(unchanged.code).toBe(1);
  expect(JSON.parse(unchanged.stdout).findings).toMatchObject([
    { rule: 'dashboards-versioned', file: 'reporting/emp/absenteeism/dashboard.yml', line: 1 },
  ]);
  writeFileSync(join(dir, 'reporting/emp/absenteeism/dashboard.yml'), 'version: 1.2.1\n');
  expect(shipshape(['check', dir, '--base', 'HEAD']).code).toBe(0);
  expect(shipshape(['check', dir, '--base', 'no-such-ref']).code).toBe(2);
  rmSync(dir, { recursive: true });
});

describe('the files the app would see (git work trees)', () => {
  it('a tracked packages.yml that .gitignore lists is checked (a real store that tracks it anyway)', () => {
    const dir = copyOfStore();
    writeFileSync(
      join(dir, 'packages.yml'),
      'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: develop\n',
    );
    gitIn(dir, 'init', '-q');
    gitIn(dir, 'add', '-A');
    gitIn(dir, 'commit', '-qm', 'store');
    writeFileSync(join(dir, '.gitignore'), 'target/\ndbt_packages/\npackages.yml\n');
    const r = shipshape(['check', dir, '--format', 'json']);
    expect(JSON.parse(r.stdout).findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: 'core-pinned', file: 'packages.yml', line: 3 })]),
    );
    expect(r.code).toBe(1);
    rmSync(dir, { recursive: true });
  });

  it('--base in a repository whose .git/config sets core.fsmonitor = touch <file> creates no file', () => {
    const dir = copyOfStore();
    gitIn(dir, 'init', '-q');
    gitIn(dir, 'add', '-A');
    gitIn(dir, 'commit', '-qm', 'store');
    const marker = join(dir, 'fsmonitor-ran');
    writeFileSync(join(dir, '.git/config'), `${readFileSync(join(dir, '.git/config'), 'utf8')}[core]\n\tfsmonitor = touch ${marker}\n`);
    const r = shipshape(['check', dir, '--base', 'HEAD']);
    expect(r.code).toBe(0);
    expect(existsSync(marker)).toBe(false);
    rmSync(dir, { recursive: true });
  });

  it('--base outside a git repository says so', () => {
    const dir = copyOfStore();
    const r = shipshape(['check', dir, '--base', 'main']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--base main needs a git repository, and ${dir} is not in one (no .git in it or in any folder above it)`);
    rmSync(dir, { recursive: true });
  });

  it('a folder of a git work tree is read as git sees it: a monorepo store in `store/`', () => {
    const repo = mkdtempSync(join(tmpdir(), 'shipshape-mono-'));
    cpSync(fixture, join(repo, 'store'), { recursive: true });
    writeFileSync(join(repo, '.gitignore'), '*.env\n');
    writeFileSync(join(repo, 'store/.gitignore'), 'packages.yml\n');
    writeFileSync(
      join(repo, 'store/packages.yml'),
      'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: develop\n',
    );
    gitIn(repo, 'init', '-q');
    gitIn(repo, 'add', '-A', '-f');
    gitIn(repo, 'commit', '-qm', 'monorepo');
    // Untracked, and excluded by the parent's .gitignore: git does not list it, so neither does the CLI.
    writeFileSync(join(repo, 'store/secret.env'), 'DB_PASSWORD=q8Zr3Lk2Vw9Tn5Xy7Bm4Hs6Jd1Fp0Gc\n');
    const r = shipshape(['check', join(repo, 'store'), '--format', 'json']);
    const findings = JSON.parse(r.stdout).findings as Array<{ rule: string; file: string | null; line: number | null }>;
    expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'core-pinned', file: 'packages.yml', line: 3 })]));
    expect(findings.filter((f) => f.file === 'secret.env')).toEqual([]);
    expect(r.code).toBe(1);
    // The same from the repository's top with a relative path, and from inside the folder.
    expect(shipshape(['check', 'store', '--format', 'json'], repo)).toEqual(r);
    expect(shipshape(['check', '.', '--format', 'json'], join(repo, 'store'))).toEqual(r);
    expect(r.stderr).toContain(`note: read as the folder store/ of the git work tree at ${realpathSync(repo)}`);
    rmSync(repo, { recursive: true });
  });

  it("the README's `check examples/css42.dashboards_store` from the repository's top is the same run as from inside it", () => {
    const example = 'examples/css42.dashboards_store';
    const fromTop = shipshape(['check', example], repoRoot);
    expect(fromTop).toEqual(shipshape(['check', '.'], resolve(repoRoot, example)));
    expect([fromTop.code, fromTop.stdout]).toEqual([0, 'No findings. 0 error(s), 0 warning(s) in 8 file(s) checked\n']);
    // In a git checkout of Shipshape, the example is read from its git data (it is tracked there).
    if (existsSync(resolve(repoRoot, '.git')))
      expect(fromTop.stderr).toContain(`note: read as the folder ${example}/ of the git work tree`);
  });
});

describe('hostile folders: one line and an exit code of their own, never a hang or a stack trace', () => {
  const outside = mkdtempSync(join(tmpdir(), 'shipshape-outside-'));
  writeFileSync(join(outside, 'shipshape.yml'), 'enabled: false\n');
  afterAll(() => rmSync(outside, { recursive: true }));

  it.each([
    [
      'a link out of DIR',
      (p: string) => symlinkSync(join(outside, 'shipshape.yml'), p),
      /is a symbolic link that leads out of the checked directory \(to .*\); Shipshape never follows links out of it, so it was not read/,
    ],
    ['a link to /dev/zero', (p: string) => symlinkSync('/dev/zero', p), /leads out of the checked directory \(to \/dev\/zero\)/],
    ['a FIFO', (p: string) => execFileSync('mkfifo', [p]), /is a named pipe \(FIFO\), not a regular file/],
    ['a directory', (p: string) => mkdirSync(p), /is a directory, not a regular file/],
    ['3 GB', (p: string) => truncateFile(p, 3 * 1024 ** 3), /is 3072 MB, over the 1 MB that Shipshape reads/],
  ])('a .github/shipshape.yml that is %s is not read, and says so in every format (exit 2)', (_what, make, expected) => {
    const dir = copyOfStore();
    rmSync(join(dir, '.github/shipshape.yml'));
    make(join(dir, '.github/shipshape.yml'));
    const started = Date.now();
    const text = shipshape(['check', dir]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect([text.code, text.stdout]).toEqual([2, expect.stringMatching(expected)]);
    const json = shipshape(['check', dir, '--format', 'json']);
    expect(JSON.parse(json.stdout).findings).toEqual([
      { rule: 'shipshape-config', severity: 'error', file: '.github/shipshape.yml', line: 1, message: expect.stringMatching(expected) },
    ]);
    expect(shipshape(['check', dir, '--format', 'github']).stdout).toMatch(
      /^::error file=\.github\/shipshape\.yml,line=1,title=shipshape-config::/,
    );
    rmSync(dir, { recursive: true });
  });

  it('a 50 MB .gitignore, a FIFO .gitignore and a folder whose name is not UTF-8: checked quickly, with notes', () => {
    const dir = copyOfStore();
    writeFileSync(join(dir, '.gitignore'), `${'#'.repeat(100)}\n`.repeat(500_000));
    mkdirSync(join(dir, 'etl'));
    execFileSync('mkfifo', [join(dir, 'etl/.gitignore')]);
    const odd = Buffer.concat([Buffer.from(`${dir}/r`), Buffer.from([0xe9, 0xff]), Buffer.from('p')]);
    mkdirSync(odd);
    writeFileSync(Buffer.concat([odd, Buffer.from('/requirements.txt')]), 'pandas\n');
    const started = Date.now();
    const r = shipshape(['check', dir]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.stdout).toContain('r\uFFFD\uFFFDp/requirements.txt:1  warning  requirement `pandas` has no version');
    expect(r.stderr).toContain(
      'note: .gitignore is 48.2 MB, over the 256 KB that Shipshape reads, so it was not read; its patterns were not applied',
    );
    expect(r.stderr).toContain(
      'note: etl/.gitignore is a named pipe (FIFO), not a regular file, so it was not read; its patterns were not applied',
    );
    expect(r.code).toBe(0);
    rmSync(dir, { recursive: true });
  });

  it('a failure of Shipshape itself exits 3 with one line (a corrupt git index), never 1', () => {
    const dir = copyOfStore();
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git/HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(dir, '.git/index'), 'DIRC\u0000\u0000\u0000\u0009garbage');
    const r = shipshape(['check', dir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'shipshape: internal error: git index version 9 is not supported (exit 3: Shipshape failed, nothing was decided)\n',
    );
    rmSync(dir, { recursive: true });
  });

  it('names holding control or bidirectional-override characters are printed escaped', () => {
    const dir = copyOfStore();
    writeFileSync(join(dir, 'requirements\u202Etxt.txt'), 'pandas\n');
    const r = shipshape(['check', dir]);
    expect(r.stdout).toContain('requirements\\u{202e}txt.txt:1  warning');
    expect(r.stdout).not.toContain('\u202E');
    rmSync(dir, { recursive: true });
  });
});

function truncateFile(path: string, size: number): void {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
}

it('starts light: cli.ts imports only node:path and node:util up front, the rest when a command needs it', () => {
  const source = readFileSync(resolve(repoRoot, 'src/cli.ts'), 'utf8');
  const eager = [...source.matchAll(/^import (?!type )[^;]*? from '([^']+)';$/gm)].map((m) => m[1]);
  expect(eager).toEqual(['node:path', 'node:util']);
});
