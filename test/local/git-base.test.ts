/**
 * `--base` reads git data without running git, so nothing the checked repository configures can run,
 * and it resolves the revisions people pass in CI (branches, tags, SHAs, `~N`, packed repositories).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DiskSnapshot } from '../../src/local/disk-snapshot.js';
import { BaseError, changeSince } from '../../src/local/git-base.js';
import { gitIn, gitRepo, writeFiles } from '../helpers/git.js';
import { repoRoot } from '../helpers/shared.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function store(): string {
  const dir = gitRepo({ 'dbt_project.yml': 'name: s\n', 'reporting/emp/a/dashboard.yml': 'version: 1.0.0\n', 'README.md': '# s\n' });
  dirs.push(dir);
  return dir;
}

it('a repository whose config runs commands (fsmonitor, hooks, filters, diff.external) runs none of them', async () => {
  const dir = store();
  const marker = (name: string) => join(dir, `ran-${name}`);
  const config = readFileSync(join(dir, '.git/config'), 'utf8');
  writeFileSync(
    join(dir, '.git/config'),
    `${config}[core]\n\tfsmonitor = touch ${marker('fsmonitor')}\n\thooksPath = hooks\n[diff]\n\texternal = touch ${marker('diff')}\n` +
      `[filter "x"]\n\tclean = touch ${marker('clean')}\n\tsmudge = touch ${marker('smudge')}\n\tprocess = touch ${marker('process')}\n` +
      `[core]\n\tsshCommand = touch ${marker('ssh')}\n\tpager = touch ${marker('pager')}\n[alias]\n\tdiff = !touch ${marker('alias')}\n`,
  );
  writeFiles(dir, {
    '.gitattributes': '* filter=x diff=x\n',
    'hooks/post-checkout': `#!/bin/sh\ntouch ${marker('hook')}\n`,
    'reporting/emp/a/a.pbit': 'changed',
  });
  const change = await changeSince(new DiskSnapshot(dir), 'HEAD', dir);
  expect(change.changedPaths).toEqual(['.gitattributes', 'hooks/post-checkout', 'reporting/emp/a/a.pbit']);
  expect(readdirSync(dir).filter((f) => f.startsWith('ran-'))).toEqual([]);
  // The attack is real: git itself, run on this repository, runs the fsmonitor command.
  try {
    gitIn(dir, 'status', '--short');
  } catch {
    // `touch` is no fsmonitor: git complains after running it.
  }
  expect(existsSync(marker('fsmonitor'))).toBe(true);
});

it('the CLI has no way to run a program: no child_process in its modules', () => {
  for (const file of ['src/cli.ts', ...readdirSync(resolve(repoRoot, 'src/local')).map((f) => `src/local/${f}`)]) {
    expect([file, readFileSync(resolve(repoRoot, file), 'utf8')]).not.toEqual([
      file,
      expect.stringMatching(/child_process|execFile|spawn\(/),
    ]);
  }
});

it('resolves branches, tags (annotated too), full and short SHAs and ~N, in a packed repository', async () => {
  const dir = store();
  const first = gitIn(dir, 'rev-parse', 'HEAD').trim();
  gitIn(dir, 'tag', '-a', 'v1.0.0', '-m', 'first release');
  writeFiles(dir, { 'reporting/emp/a/dashboard.yml': 'version: 1.1.0\n' });
  gitIn(dir, 'commit', '-qam', 'second');
  gitIn(dir, 'branch', 'release');
  gitIn(dir, 'gc', '-q', '--aggressive'); // objects and refs packed
  expect(existsSync(join(dir, '.git/packed-refs'))).toBe(true);
  const snapshot = new DiskSnapshot(dir);
  for (const rev of ['v1.0.0', first, first.slice(0, 7), 'HEAD~1', 'HEAD^', 'release~1', 'main^1']) {
    const change = await changeSince(snapshot, rev, dir);
    expect([rev, change.changedPaths]).toEqual([rev, ['reporting/emp/a/dashboard.yml']]);
    expect(change.base.content('reporting/emp/a/dashboard.yml')).toEqual({ kind: 'text', text: 'version: 1.0.0\n' });
  }
  expect((await changeSince(snapshot, 'release', dir)).changedPaths).toEqual([]);
});

it('a missing revision and a directory outside git are usage errors that say so', async () => {
  const dir = store();
  await expect(changeSince(new DiskSnapshot(dir), 'no-such-branch', 'store')).rejects.toThrow(
    new BaseError('--base no-such-branch: no such commit, branch or tag in the git repository at store'),
  );
  const plain = mkdtempSync(join(tmpdir(), 'shipshape-plain-'));
  dirs.push(plain);
  await expect(changeSince(new DiskSnapshot(plain), 'main', 'reporting')).rejects.toThrow(
    new BaseError('--base main needs a git repository, and reporting is not in one (no .git in it or in any folder above it)'),
  );
  writeFileSync(join(plain, '.git'), 'not a gitdir line\n');
  await expect(changeSince(new DiskSnapshot(plain), 'main', 'reporting')).rejects.toThrow(
    new BaseError('--base main needs a git repository, and reporting is not in one (.git is a file without a `gitdir:` line)'),
  );
});

it('works from a linked worktree, whose objects and refs live in the main repository', async () => {
  const dir = store();
  const linked = `${dir}-linked`;
  dirs.push(linked);
  gitIn(dir, 'worktree', 'add', '-q', '-b', 'feature', linked);
  writeFiles(linked, { 'reporting/emp/a/dashboard.yml': 'version: 2.0.0\n' });
  const change = await changeSince(new DiskSnapshot(linked), 'main', linked);
  expect(change.changedPaths).toEqual(['reporting/emp/a/dashboard.yml']);
  expect(change.base.content('reporting/emp/a/dashboard.yml')).toEqual({ kind: 'text', text: 'version: 1.0.0\n' });
});

it('from a folder of a monorepo: the base tree under that folder, paths relative to it, nothing run', async () => {
  const dir = gitRepo({
    'stores/css42/dbt_project.yml': 'name: s\n',
    'stores/css42/reporting/emp/a/dashboard.yml': 'version: 1.0.0\n',
    'reporting/emp/a/dashboard.yml': 'version: 9.0.0\n',
    'service/app.py': 'print(1)\n',
  });
  dirs.push(dir);
  const marker = join(dir, 'fsmonitor-ran');
  writeFileSync(join(dir, '.git/config'), `${readFileSync(join(dir, '.git/config'), 'utf8')}[core]\n\tfsmonitor = touch ${marker}\n`);
  writeFiles(dir, { 'stores/css42/reporting/emp/a/dashboard.yml': 'version: 1.1.0\n', 'service/app.py': 'print(2)\n' });
  const store = join(dir, 'stores/css42');
  const change = await changeSince(new DiskSnapshot(store), 'HEAD', store);
  expect(change.changedPaths).toEqual(['reporting/emp/a/dashboard.yml']);
  expect(change.base.paths).toEqual(['dbt_project.yml', 'reporting/emp/a/dashboard.yml']);
  expect(change.base.content('reporting/emp/a/dashboard.yml')).toEqual({ kind: 'text', text: 'version: 1.0.0\n' });
  // A folder the base commit did not have: every file in it is new.
  writeFiles(dir, { 'stores/new/dbt_project.yml': 'name: n\n' });
  const fresh = await changeSince(new DiskSnapshot(join(dir, 'stores/new')), 'HEAD', 'stores/new');
  expect([fresh.changedPaths, fresh.base.paths]).toEqual([['dbt_project.yml'], []]);
  expect(existsSync(marker)).toBe(false);
});
