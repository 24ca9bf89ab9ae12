/**
 * Finding a checked directory's git data without running git: `DIR/.git` as a directory, or as a file
 * (`gitdir: …`, written by `git worktree add` and submodules) naming the real one, whose `commondir`
 * holds the objects and refs a linked worktree shares. Only DIR itself is looked at: a directory inside
 * someone else's work tree is checked as a plain directory. Git metadata is read through a guarded reader
 * confined to those git directories, so it too is read only as regular, size-capped files.
 */
import { join, resolve } from 'node:path';
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

export type GitDirLookup = { kind: 'none' } | { kind: 'git'; git: GitDir } | { kind: 'unusable'; reason: string };

export function findGitDir(work: GuardedReader): GitDirLookup {
  const stat = work.lstat('.git');
  if (!stat) return { kind: 'none' };
  let gitdir: string;
  if (stat.isDirectory()) gitdir = join(work.root, '.git');
  else if (stat.isFile()) {
    const read = work.read('.git', SMALL_CAP);
    if (read.kind !== 'file') return { kind: 'unusable', reason: describeRead('.git', read, SMALL_CAP) };
    const m = /^gitdir: *(.+?)\s*$/m.exec(read.bytes.toString('utf8'));
    if (!m) return { kind: 'unusable', reason: '.git is a file without a `gitdir:` line' };
    gitdir = resolve(work.root, m[1]!);
  } else return { kind: 'unusable', reason: '.git is neither a directory nor a `gitdir:` file (a symbolic link is not followed)' };
  let probe: GuardedReader;
  try {
    probe = new GuardedReader(gitdir);
  } catch {
    return { kind: 'unusable', reason: `.git names ${gitdir}, which does not exist` };
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
