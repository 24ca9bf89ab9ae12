/** Real git repositories for the CLI's tests. Tests may run git to build a fixture; the CLI never does. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Runs git in `dir` with a fixed identity and no user or system configuration. */
export function gitIn(dir: string, ...args: string[]): string {
  return execFileSync(
    'git',
    [
      '-C',
      dir,
      '-c',
      'user.email=t@example.org',
      '-c',
      'user.name=t',
      '-c',
      'init.defaultBranch=main',
      '-c',
      'commit.gpgsign=false',
      ...args,
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
    },
  );
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** A fresh repository holding `files`, committed; `git add -f` so ignored files can be tracked. */
export function gitRepo(files: Record<string, string>, prefix = 'shipshape-git-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  gitIn(dir, 'init', '-q');
  writeFiles(dir, files);
  gitIn(dir, 'add', '-A', '-f');
  gitIn(dir, 'commit', '-qm', 'initial');
  return dir;
}

/** What git itself lists: tracked files plus untracked files that are not ignored. */
export function gitListing(dir: string): string[] {
  const tracked = gitIn(dir, 'ls-files', '-z').split('\0');
  const untracked = gitIn(dir, 'ls-files', '-z', '--others', '--exclude-standard').split('\0');
  return [...new Set([...tracked, ...untracked])].filter(Boolean).sort();
}
