/**
 * `shipshape check --base <ref>`: what changed since a git ref, and the files as they were there. Runs
 * the machine's `git` (never anything from the checked directory) without a shell.
 */
import { execFileSync } from 'node:child_process';
import { contentFromBytes } from '../policy/snapshot.js';
import type { ChangeContext, FileContent, FileSnapshot } from '../policy/types.js';

const git = (dir: string, args: string[]): Buffer => execFileSync('git', ['-C', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });

export class GitRefSnapshot implements FileSnapshot {
  readonly paths: string[];
  private readonly cache = new Map<string, FileContent | undefined>();

  constructor(private readonly dir: string, private readonly ref: string) {
    this.paths = git(dir, ['ls-tree', '-r', '-z', '--name-only', ref]).toString('utf8').split('\0').filter(Boolean);
  }

  content(path: string): FileContent | undefined {
    if (!this.cache.has(path)) {
      let content: FileContent | undefined;
      try {
        content = contentFromBytes(git(this.dir, ['show', `${this.ref}:${path}`]));
      } catch {
        content = undefined;
      }
      this.cache.set(path, content);
    }
    return this.cache.get(path);
  }
}

/** Throws an Error whose message says what is wrong with DIR or the ref. */
export function changeSince(dir: string, ref: string): ChangeContext {
  try {
    git(dir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new Error(`--base ${ref}: not a commit of the git repository at ${dir}`);
  }
  const changed = git(dir, ['diff', '--name-only', '-z', ref, '--']).toString('utf8').split('\0').filter(Boolean);
  const untracked = git(dir, ['ls-files', '--others', '--exclude-standard', '-z']).toString('utf8').split('\0').filter(Boolean);
  return { changedPaths: [...new Set([...changed, ...untracked])], base: new GitRefSnapshot(dir, ref) };
}
