/**
 * The files the CLI checks are the files the app sees: in a git work tree, what git tracks (whatever
 * .gitignore says) plus untracked files that are not ignored, exactly as `git ls-files` lists them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskSnapshot } from '../../src/local/disk-snapshot.js';
import { parseIndex } from '../../src/local/git-index.js';
import { gitIn, gitListing, gitRepo, writeFiles } from '../helpers/git.js';

const dirs: string[] = [];
const track = (d: string) => (dirs.push(d), d);
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// A real store's shape: packages.yml listed in .gitignore, yet tracked (it was committed before the line was added).
const STORE = {
  '.gitignore': 'target/\ndbt_packages/\nlogs/\npackages.yml\n.env\n',
  'packages.yml': 'packages:\n  - git: "https://github.com/Sciance-Inc/core.dashboards_store.git"\n    revision: develop\n',
  'dbt_project.yml': 'name: css42_store\n',
  'README.md': '# store\n',
};

describe('in a git work tree', () => {
  it('a tracked packages.yml listed in .gitignore is read; an untracked ignored file is not', () => {
    const dir = track(gitRepo(STORE));
    writeFiles(dir, { '.env': 'PASSWORD=x\n', 'logs/dbt.log': 'x\n', 'models/new.sql': 'select 1\n' });
    const snapshot = new DiskSnapshot(dir);
    expect(snapshot.paths).toContain('packages.yml');
    expect(snapshot.paths).not.toContain('.env');
    expect(snapshot.paths).toEqual(gitListing(dir));
    expect(snapshot.content('packages.yml')).toEqual({ kind: 'text', text: STORE['packages.yml'] });
  });

  it('dbt-labs/dbt-utils shape: a tracked integration_tests/profiles.yml that integration_tests/.gitignore lists', () => {
    const dir = track(
      gitRepo({
        '.gitignore': 'target/\ndbt_packages/\n',
        'integration_tests/.gitignore': 'target/\ndbt_packages/\nlogs/\nprofiles.yml\n',
        'integration_tests/profiles.yml':
          'integration_tests:\n  target: postgres\n  outputs:\n    postgres:\n      type: postgres\n      password: "{{ env_var(\'POSTGRES_PASSWORD\') }}"\n',
        'integration_tests/dbt_project.yml': "name: 'dbt_utils_integration_tests'\n",
      }),
    );
    const snapshot = new DiskSnapshot(dir);
    expect(snapshot.paths).toContain('integration_tests/profiles.yml');
    expect(snapshot.paths).toEqual(gitListing(dir));
  });

  it('agrees with git on nested .gitignore files, negations, info/exclude, and ignored folders holding tracked files', () => {
    const dir = track(gitRepo({ '.gitignore': '*.log\nbuild/\n', 'build/keep.txt': 'tracked inside an ignored folder\n', 'a.txt': 'a\n' }));
    writeFiles(dir, {
      'debug.log': 'x',
      'sub/.gitignore': '!important.log\n*.tmp\n',
      'sub/important.log': 'x',
      'sub/x.tmp': 'x',
      'sub/deeper/y.tmp': 'x',
      'build/new.txt': 'untracked in an ignored folder',
      'secret.local': 'x',
      'docs/guide.md': 'x',
    });
    writeFileSync(join(dir, '.git/info/exclude'), '*.local\n');
    expect(new DiskSnapshot(dir).paths).toEqual(gitListing(dir));
  });

  it('a tracked file deleted from the work tree is not listed; an untracked nested repository is opaque, as for git', () => {
    const dir = track(gitRepo({ 'a.txt': 'a', 'b.txt': 'b' }));
    rmSync(join(dir, 'b.txt'));
    const nested = join(dir, 'vendor/lib');
    mkdirSync(nested, { recursive: true });
    gitIn(nested, 'init', '-q');
    writeFileSync(join(nested, 'Dockerfile'), 'FROM python\n');
    const paths = new DiskSnapshot(dir).paths;
    expect(paths).toEqual(['a.txt']);
  });

  it('reads the index of a linked worktree (.git is a `gitdir:` file) and of every index version', () => {
    const dir = track(gitRepo(STORE));
    const linked = join(track(mkdtempSync(join(tmpdir(), 'shipshape-wt-'))), 'wt');
    gitIn(dir, 'worktree', 'add', '-q', linked);
    expect(readFileSync(join(linked, '.git'), 'utf8')).toMatch(/^gitdir: /);
    expect(new DiskSnapshot(linked).paths).toEqual(gitListing(linked));
    for (const version of ['2', '3', '4']) {
      gitIn(dir, 'update-index', '--index-version', version);
      if (version === '3') {
        writeFiles(dir, { 'models/later.sql': 'select 2\n' });
        gitIn(dir, 'add', '-N', 'models/later.sql'); // intent-to-add: an extended-flags entry
      }
      const entries = parseIndex(readFileSync(join(dir, '.git/index')));
      const fromGit = gitIn(dir, 'ls-files', '-s')
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/));
      expect(entries.map((e) => [e.mode.toString(8), e.oid, e.path])).toEqual(fromGit.map(([mode, oid, , path]) => [mode, oid, path]));
      expect(new DiskSnapshot(dir).paths).toEqual(gitListing(dir));
    }
  });
});

describe('a folder inside a git work tree (DIR has no .git of its own)', () => {
  // A monorepo holding a store in `store/`: git is found by walking up, as git itself does.
  const MONOREPO = {
    '.gitignore': '*.env\nlogs/\n',
    'store/.gitignore': 'packages.yml\n',
    'store/packages.yml': STORE['packages.yml'],
    'store/dbt_project.yml': STORE['dbt_project.yml'],
    'store/README.md': STORE['README.md'],
    'service/Dockerfile': 'FROM python:3.12\n',
  };

  it('lists what git lists there: tracked files under the folder (ignored or not), untracked ones no .gitignore above excludes', () => {
    const dir = track(gitRepo(MONOREPO));
    writeFiles(dir, { 'store/secret.env': 'PASSWORD=x\n', 'store/logs/dbt.log': 'x\n', 'store/models/new.sql': 'select 1\n' });
    writeFileSync(join(dir, '.git/info/exclude'), '*.local\n');
    writeFiles(dir, { 'store/notes.local': 'x' });
    const snapshot = new DiskSnapshot(join(dir, 'store'));
    expect(snapshot.paths).toEqual(gitListing(join(dir, 'store')));
    expect(snapshot.paths).toEqual(['.gitignore', 'README.md', 'dbt_project.yml', 'models/new.sql', 'packages.yml']);
    expect(snapshot.content('packages.yml')).toEqual({ kind: 'text', text: STORE['packages.yml'] });
    expect(snapshot.tracked('packages.yml')?.path).toBe('packages.yml');
  });

  it('two levels down, with .gitignore files in between and a folder the parent ignores', () => {
    const dir = track(
      gitRepo({
        '.gitignore': 'build/\n*.tmp\n',
        'apps/.gitignore': '!keep.tmp\n',
        'apps/stores/a/dbt_project.yml': 'name: a\n',
        'apps/stores/a/build/keep.txt': 'tracked in an ignored folder\n',
      }),
    );
    writeFiles(dir, {
      'apps/stores/a/build/new.txt': 'x',
      'apps/stores/a/x.tmp': 'x',
      'apps/stores/a/keep.tmp': 'x',
      'apps/stores/b/y.yml': 'x',
      'build/out/c/z.yml': 'x',
    });
    for (const folder of ['apps/stores/a', 'apps/stores', 'apps', 'build/out/c'])
      expect([folder, new DiskSnapshot(join(dir, folder)).paths]).toEqual([folder, gitListing(join(dir, folder))]);
    expect(new DiskSnapshot(join(dir, 'build/out/c')).paths).toEqual([]);
  });

  it('a folder inside a linked worktree (a `gitdir:` file above it)', () => {
    const dir = track(gitRepo(MONOREPO));
    const linked = join(track(mkdtempSync(join(tmpdir(), 'shipshape-wt-'))), 'wt');
    gitIn(dir, 'worktree', 'add', '-q', linked);
    writeFiles(linked, { 'store/secret.env': 'PASSWORD=x\n' });
    expect(new DiskSnapshot(join(linked, 'store')).paths).toEqual(gitListing(join(linked, 'store')));
  });

  it("a folder inside a submodule is read from the submodule's git data (`gitdir:` into the parent's .git/modules)", () => {
    const lib = track(
      gitRepo({ 'store/dbt_project.yml': 'name: lib\n', 'store/.gitignore': 'packages.yml\n', 'store/packages.yml': 'packages: []\n' }),
    );
    const dir = track(gitRepo(MONOREPO));
    gitIn(dir, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', lib, 'vendor/lib');
    expect(readFileSync(join(dir, 'vendor/lib/.git'), 'utf8')).toMatch(/^gitdir: \.\.\/\.\.\/\.git\/modules\//);
    writeFiles(dir, { 'vendor/lib/store/new.env': 'x', 'vendor/lib/store/new.sql': 'x' });
    const snapshot = new DiskSnapshot(join(dir, 'vendor/lib/store'));
    expect(snapshot.paths).toEqual(gitListing(join(dir, 'vendor/lib/store')));
    expect(snapshot.paths).toEqual(['.gitignore', 'dbt_project.yml', 'new.env', 'new.sql', 'packages.yml']);
  });

  it('a `.git` folder without HEAD is no repository: the search goes on above it, as git does', () => {
    const dir = track(gitRepo(MONOREPO));
    mkdirSync(join(dir, 'store/.git'));
    writeFiles(dir, { 'store/secret.env': 'x' });
    expect(new DiskSnapshot(join(dir, 'store')).paths).toEqual(['.gitignore', 'README.md', 'dbt_project.yml', 'packages.yml']);
  });

  // Git refuses a repository another user owns (safe.directory), since it would run that user's config;
  // Shipshape runs nothing and only reads, so the folder is read as git would list it for its owner.
  (process.getuid?.() === 0 ? it : it.skip)('a work tree above DIR owned by another user is read all the same (read only)', () => {
    const dir = track(gitRepo(MONOREPO));
    writeFiles(dir, { 'store/secret.env': 'x', 'store/new.sql': 'x' });
    const expected = gitListing(join(dir, 'store'));
    execFileSync('chown', ['-R', '65534:65534', dir]);
    expect(() => gitIn(join(dir, 'store'), 'ls-files')).toThrow(/dubious ownership/);
    expect(new DiskSnapshot(join(dir, 'store')).paths).toEqual(expected);
  });

  it('tracked files elsewhere in the repository are not in scope, even through a link', () => {
    const dir = track(gitRepo(MONOREPO));
    symlinkSync('../service/Dockerfile', join(dir, 'store/Dockerfile'));
    gitIn(dir, 'add', 'store/Dockerfile');
    const snapshot = new DiskSnapshot(join(dir, 'store'));
    expect(snapshot.paths).not.toContain('service/Dockerfile');
    expect(snapshot.content('Dockerfile')).toBeUndefined();
    expect(snapshot.notes).toContain(
      `Dockerfile is a symbolic link that leads out of the checked directory (to ${join(realpathSync(dir), 'service/Dockerfile')}); Shipshape never follows links out of it, so it was not read`,
    );
  });
});

describe('outside git', () => {
  it('lists the files on disk honouring .gitignore, skipping links out of the directory with a note', () => {
    const dir = track(mkdtempSync(join(tmpdir(), 'shipshape-plain-')));
    const outside = track(mkdtempSync(join(tmpdir(), 'shipshape-outside-')));
    writeFiles(dir, { '.gitignore': 'build/\n', 'build/Dockerfile': 'FROM python\n', Dockerfile: 'FROM python:3.12\n' });
    writeFileSync(join(outside, 'Dockerfile'), 'FROM ubuntu\n');
    symlinkSync(join(outside, 'Dockerfile'), join(dir, 'linked.Dockerfile'));
    symlinkSync('Dockerfile', join(dir, 'inside.Dockerfile'));
    const snapshot = new DiskSnapshot(dir);
    expect(snapshot.paths).toEqual(['.gitignore', 'Dockerfile', 'inside.Dockerfile']);
    expect(snapshot.notes).toEqual(['linked.Dockerfile is a symbolic link that leads out of the checked directory; it was not read']);
  });

  it('a .gitignore that is a directory, a FIFO or 50 MB is not applied, with a note, and nothing hangs', () => {
    const dir = track(mkdtempSync(join(tmpdir(), 'shipshape-hostile-')));
    writeFiles(dir, { 'a/keep.txt': 'x', 'b/keep.txt': 'x', 'c/keep.txt': 'x' });
    mkdirSync(join(dir, 'a/.gitignore'));
    execFileSync('mkfifo', [join(dir, 'b/.gitignore')]);
    writeFileSync(join(dir, 'c/.gitignore'), 'x'.repeat(50 * 1024 * 1024));
    const started = Date.now();
    const snapshot = new DiskSnapshot(dir);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(snapshot.paths).toEqual(['a/keep.txt', 'b/keep.txt', 'c/.gitignore', 'c/keep.txt']);
    expect(snapshot.notes).toEqual([
      'a/.gitignore is a directory, not a regular file, so it was not read; its patterns were not applied',
      'b/.gitignore is a named pipe (FIFO), not a regular file, so it was not read; its patterns were not applied',
      'c/.gitignore is 50 MB, over the 256 KB that Shipshape reads, so it was not read; its patterns were not applied',
    ]);
  });

  it('lists and reads files under a directory whose name is not UTF-8', () => {
    const dir = track(mkdtempSync(join(tmpdir(), 'shipshape-bytes-')));
    const folder = Buffer.concat([Buffer.from(`${dir}/r`), Buffer.from([0xe9]), Buffer.from('p')]);
    mkdirSync(folder);
    writeFileSync(Buffer.concat([folder, Buffer.from('/requirements.txt')]), 'pandas\n');
    const snapshot = new DiskSnapshot(dir);
    expect(snapshot.paths).toEqual(['r\uFFFDp/requirements.txt']);
    expect(snapshot.content('r\uFFFDp/requirements.txt')).toEqual({ kind: 'text', text: 'pandas\n' });
  });
});
