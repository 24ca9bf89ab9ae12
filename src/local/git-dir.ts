/**
 * Finding a checked directory's git data without running git, as git finds it: the nearest `.git` in DIR
 * or a folder above it, up to the filesystem root (and, as git does by default, not across a filesystem
 * boundary). `.git` is a directory, or a file (`gitdir: …`, written by `git worktree add` and submodules)
 * naming the real one, whose `commondir` holds the objects and refs a linked worktree shares. DIR is
 * then a folder of that work tree (`prefix`). Git metadata is read through a guarded reader confined to
 * those git directories, so it too is read only as regular, size-capped files; nothing is written.
 */
import { lstatSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { GuardedReader, describeRead } from './guarded-read.js';
import { parseIndex, type IndexEntry } from './git-index.js';

export interface GitDir {
  /** The git directory of this work tree (HEAD, index). */
  gitdir: string;
  /** Where objects and shared refs live (the same as `gitdir` except in a linked worktree). */
  commondir: string;
  reader: GuardedReader;
  oidBytes: number;
}

/** An index holds ~100 bytes per file; this admits work trees of a few million files. */
const INDEX_CAP = 512 * 1024 * 1024;
const SMALL_CAP = 64 * 1024;

export type GitDirLookup =
  | { kind: 'none' }
  /** `workTree`: the real path of the work tree's top; `prefix`: DIR inside it, `''` or ending in `/`. */
  | { kind: 'git'; git: GitDir; workTree: string; prefix: string }
  | { kind: 'unusable'; reason: string };

/** `dir` is a real path (the guarded reader's root). */
export function findGitDir(dir: string): GitDirLookup {
  let current = dir;
  const device = lstatSync(dir).dev;
  for (;;) {
    const stat = lstatOrUndefined(join(current, '.git'));
    // A `.git` directory without HEAD is not a repository: git goes on looking above it.
    if (stat && !(stat.isDirectory() && !lstatOrUndefined(join(current, '.git', 'HEAD')))) {
      const prefix = relative(current, dir).split(sep).join('/');
      // Inside a git directory itself (DIR = repo/.git/…) there is no work tree to list.
      if (prefix.split('/').includes('.git')) return { kind: 'none' };
      const shown = current === dir ? '.git' : join(current, '.git');
      const lookup = openGitDir(current, stat, shown);
      return lookup.kind === 'git' ? { ...lookup, workTree: current, prefix: prefix ? `${prefix}/` : '' } : lookup;
    }
    const parent = dirname(current);
    if (parent === current || lstatOrUndefined(parent)?.dev !== device) return { kind: 'none' };
    current = parent;
  }
}

function openGitDir(
  workTree: string,
  stat: NonNullable<ReturnType<typeof lstatOrUndefined>>,
  shown: string,
): { kind: 'git'; git: GitDir } | { kind: 'unusable'; reason: string } {
  let gitdir: string;
  if (stat.isDirectory()) gitdir = join(workTree, '.git');
  else if (stat.isFile()) {
    const read = new GuardedReader(workTree).read('.git', SMALL_CAP);
    if (read.kind !== 'file') return { kind: 'unusable', reason: describeRead(shown, read, SMALL_CAP) };
    const m = /^gitdir: *(.+?)\s*$/m.exec(read.bytes.toString('utf8'));
    if (!m) return { kind: 'unusable', reason: `${shown} is a file without a \`gitdir:\` line` };
    gitdir = resolve(workTree, m[1]!);
  } else return { kind: 'unusable', reason: `${shown} is neither a directory nor a \`gitdir:\` file (a symbolic link is not followed)` };
  let probe: GuardedReader;
  try {
    probe = new GuardedReader(gitdir);
  } catch {
    return { kind: 'unusable', reason: `${shown} names ${gitdir}, which does not exist` };
  }
  const common = probe.read('commondir', SMALL_CAP);
  const commondir = common.kind === 'file' ? resolve(probe.root, common.bytes.toString('utf8').trim()) : probe.root;
  let reader: GuardedReader;
  try {
    reader = new GuardedReader(probe.root, commondir === probe.root ? [] : [commondir]);
  } catch {
    return { kind: 'unusable', reason: `the git directory's commondir ${commondir} does not exist` };
  }
  const config = reader.read(join(reader.roots.at(-1)!, 'config'), SMALL_CAP);
  const sha256 = config.kind === 'file' && /^\s*objectformat\s*=\s*sha256\s*$/im.test(config.bytes.toString('utf8'));
  return { kind: 'git', git: { gitdir: probe.root, commondir: reader.roots.at(-1)!, reader, oidBytes: sha256 ? 32 : 20 } };
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** The index's entries; an absent index (a repository with nothing added yet) tracks nothing. */
export function trackedEntries(git: GitDir): IndexEntry[] {
  const read = git.reader.read(join(git.gitdir, 'index'), INDEX_CAP);
  if (read.kind === 'absent') return [];
  if (read.kind !== 'file') throw new Error(describeRead('.git/index', read, INDEX_CAP));
  return parseIndex(read.bytes, git.oidBytes);
}

/** `info/exclude`, which git applies like a top-level .gitignore (it lives in the common directory). */
export function infoExclude(git: GitDir): string | undefined {
  const read = git.reader.read(join(git.commondir, 'info', 'exclude'), SMALL_CAP * 16);
  return read.kind === 'file' ? read.bytes.toString('utf8') : undefined;
}
