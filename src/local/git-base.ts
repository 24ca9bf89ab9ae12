/**
 * `shipshape check --base <rev>`: what changed since a git revision, and the files as they were there.
 * Git data is read with isomorphic-git (pure JavaScript) through a read-only file system confined to the
 * repository's git directories: no git process runs, so nothing the checked repository configures
 * (hooks, `core.fsmonitor`, filters, `diff.external`, …) can execute. Loaded only when `--base` is given.
 */
import { createHash } from 'node:crypto';
import { lstatSync, promises as fsp } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { contentFromBytes, MAX_FILE_BYTES } from '../core/files.js';
import type { FileContent, FileSnapshot } from '../core/files.js';
import type { ChangeContext } from '../policy/types.js';
import type { DiskSnapshot } from './disk-snapshot.js';
import type { GitDir } from './git-dir.js';
import type { GuardedReader } from './guarded-read.js';

/** A usage problem with `--base` (not a git repository, no such revision): the CLI exits 2 with it. */
export class BaseError extends Error {}

/** Packfiles are read whole by isomorphic-git; past this the repository is too large to read offline. */
const OBJECT_FILE_CAP = 1024 * 1024 * 1024;

const VERSION_FILES = /(^|\/)(dashboard\.ya?ml|dbt_project\.yml)$/;

type Git = typeof import('isomorphic-git');

export async function changeSince(snapshot: DiskSnapshot, rev: string, dirShown: string): Promise<ChangeContext> {
  if (!snapshot.git)
    throw new BaseError(
      `--base ${rev} needs a git repository, and ${dirShown} is not in one (${snapshot.unusableGit ?? 'no .git in it or in any folder above it'})`,
    );
  const git = await loadGit();
  const repo = { fs: readOnlyFs(snapshot.git), gitdir: snapshot.git.gitdir, cache: {} };
  const oid = await resolveRevision(git, repo, rev, dirShown);
  const base = await treeOf(git, repo, oid, snapshot.prefix);
  const changed = new Set<string>();
  for (const path of snapshot.paths) {
    const before = base.get(path);
    if (!before || before.oid !== currentOid(snapshot, path, snapshot.git.oidBytes)) changed.add(path);
  }
  const now = new Set(snapshot.paths);
  for (const path of base.keys()) if (!now.has(path)) changed.add(path);
  const before = new RevisionSnapshot(git, repo, base);
  // As the app does for a pull request: the base's versions of the files that carry dashboard versions.
  await before.load(before.paths.filter((p) => VERSION_FILES.test(p)));
  return { changedPaths: [...changed].sort(), base: before };
}

/** Node loads isomorphic-git's ES module; a bundler may pick its CommonJS build, whose exports sit on `default`. */
async function loadGit(): Promise<Git> {
  const mod: Partial<Git> & { default?: Git } = await import('isomorphic-git');
  return typeof mod.resolveRef === 'function' ? (mod as Git) : (mod.default as Git);
}

interface Repo {
  fs: ReturnType<typeof readOnlyFs>;
  gitdir: string;
  cache: object;
}

async function resolveRevision(git: Git, repo: Repo, rev: string, dirShown: string): Promise<string> {
  const m = /^(.+?)((?:[~^]\d*)*)$/.exec(rev.trim());
  const notFound = () => new BaseError(`--base ${rev}: no such commit, branch or tag in the git repository at ${dirShown}`);
  if (!m || rev.startsWith('-')) throw notFound();
  let oid: string | undefined;
  // isomorphic-git's own errors (NotFoundError, …) carry a `code`; anything else is a bug and goes on up.
  const gitError = (err: unknown) => {
    if (!(err as { code?: unknown }).code) throw err;
    return undefined;
  };
  oid = await git.resolveRef({ ...repo, ref: m[1]! }).catch(gitError);
  if (!oid && /^[0-9a-f]{4,64}$/i.test(m[1]!)) oid = await git.expandOid({ ...repo, oid: m[1]!.toLowerCase() }).catch(gitError);
  if (!oid) throw notFound();
  try {
    let commit = await git.readCommit({ ...repo, oid });
    // `~N` follows first parents N times; `^N` takes the Nth parent (`^` alone is the first).
    for (const step of m[2]!.match(/[~^]\d*/g) ?? []) {
      const n = step.length > 1 ? Number(step.slice(1)) : 1;
      const hops = step[0] === '~' ? Array.from({ length: n }, () => 0) : n === 0 ? [] : [n - 1];
      for (const index of hops) {
        const parent = commit.commit.parent[index];
        if (!parent) throw notFound();
        commit = await git.readCommit({ ...repo, oid: parent });
      }
    }
    return commit.oid;
  } catch (err) {
    if (err instanceof BaseError || !(err as { code?: unknown }).code) throw err;
    throw new BaseError(`--base ${rev}: ${oid} is not a commit of the git repository at ${dirShown} (${(err as Error).message})`);
  }
}

interface BaseEntry {
  oid: string;
  mode: string;
}

/** Every blob of the commit's tree under `prefix` (DIR's folder in the work tree), by path relative to it;
 * submodules are not files of this repository. A folder the commit does not have holds nothing. */
async function treeOf(git: Git, repo: Repo, commitOid: string, prefix: string): Promise<Map<string, BaseEntry>> {
  const out = new Map<string, BaseEntry>();
  const visit = async (oid: string, prefix: string) => {
    const { tree } = await git.readTree({ ...repo, oid });
    for (const entry of tree) {
      if (entry.type === 'tree') await visit(entry.oid, `${prefix}${entry.path}/`);
      else if (entry.type === 'blob') out.set(`${prefix}${entry.path}`, { oid: entry.oid, mode: entry.mode });
    }
  };
  const { commit } = await git.readCommit({ ...repo, oid: commitOid });
  let tree: string | undefined = commit.tree;
  for (const name of prefix.split('/').filter(Boolean)) {
    const { tree: entries } = await git.readTree({ ...repo, oid: tree });
    tree = entries.find((e) => e.path === name && e.type === 'tree')?.oid;
    if (!tree) return out;
  }
  await visit(tree, '');
  return out;
}

/** The blob id of the file as it is now: the index's when git recorded this very file, else hashed. */
function currentOid(snapshot: DiskSnapshot, path: string, oidBytes: number): string | undefined {
  const entry = snapshot.tracked(path);
  const raw = snapshot.rawPath(path);
  if (raw === undefined) return undefined;
  let stat;
  try {
    stat = lstatSync(snapshot.reader.full(raw), { bigint: true });
  } catch {
    return undefined;
  }
  if (
    entry &&
    !stat.isSymbolicLink() &&
    Number(stat.size) === entry.size &&
    Number(stat.mtimeNs / 1_000_000_000n) === entry.mtimeSeconds &&
    Number(stat.mtimeNs % 1_000_000_000n) === entry.mtimeNanoseconds
  )
    return entry.oid;
  if (stat.isSymbolicLink()) return entry?.oid;
  const read = snapshot.reader.read(raw, MAX_FILE_BYTES * 64);
  if (read.kind !== 'file') return undefined;
  return createHash(oidBytes === 32 ? 'sha256' : 'sha1')
    .update(`blob ${read.bytes.length}\0`)
    .update(read.bytes)
    .digest('hex');
}

class RevisionSnapshot implements FileSnapshot {
  readonly paths: string[];
  private readonly cache = new Map<string, FileContent | undefined>();
  private readonly blobs = new Map<string, FileContent | undefined>();

  constructor(
    private readonly git: Git,
    private readonly repo: Repo,
    private readonly tree: Map<string, BaseEntry>,
  ) {
    this.paths = [...tree.keys()].sort();
  }

  /** Blobs are read ahead (`load`), since the rules ask for contents synchronously. */
  content(path: string): FileContent | undefined {
    return this.cache.get(path);
  }

  async load(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      const entry = this.tree.get(path);
      if (!entry || this.cache.has(path)) continue;
      let content = this.blobs.get(entry.oid);
      if (!this.blobs.has(entry.oid)) {
        const { blob } = await this.git.readBlob({ ...this.repo, oid: entry.oid }).catch(() => ({ blob: undefined }));
        content = blob ? contentFromBytes(blob) : undefined;
        this.blobs.set(entry.oid, content);
      }
      this.cache.set(path, content);
    }
  }
}

/** Paths git keeps per worktree (the rest of a linked worktree's git data is in the common directory). */
const PER_WORKTREE =
  /^(HEAD|index|ORIG_HEAD|FETCH_HEAD|MERGE_HEAD|CHERRY_PICK_HEAD|REVERT_HEAD|logs\/HEAD|refs\/(bisect|worktree|rewritten)\/.*)$/;

/**
 * The file system isomorphic-git gets: reads go through the guarded reader confined to the git
 * directories (regular files, capped); every write fails, so reading a revision cannot change anything.
 */
export function readOnlyFs(git: GitDir) {
  const reader: GuardedReader = git.reader;
  const map = (path: string): string => {
    const rel = relative(git.gitdir, path);
    if (git.commondir === git.gitdir || rel.startsWith('..') || PER_WORKTREE.test(rel.split(sep).join('/'))) return path;
    return join(git.commondir, rel);
  };
  const inside = (path: string): string => {
    const where = reader.resolve(map(path));
    if (where.kind !== 'inside') throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return where.real as string;
  };
  const denied = () => Promise.reject(Object.assign(new Error('EROFS: shipshape reads git data only'), { code: 'EROFS' }));
  const promises = {
    // Always a promise, even for a bad argument: isomorphic-git calls readFile() bare to tell a promise API.
    readFile: (path: string, options?: { encoding?: BufferEncoding } | BufferEncoding): Promise<string | Buffer> =>
      Promise.resolve().then(() => {
        const read = reader.read(map(path), OBJECT_FILE_CAP);
        if (read.kind === 'not-a-file' && read.what === 'a directory')
          throw Object.assign(new Error(`EISDIR: ${path}`), { code: 'EISDIR' });
        if (read.kind !== 'file') throw Object.assign(new Error(`ENOENT: ${path} (${read.kind})`), { code: 'ENOENT' });
        const encoding = typeof options === 'string' ? options : options?.encoding;
        return encoding ? read.bytes.toString(encoding) : read.bytes;
      }),
    stat: async (path: string) => fsp.stat(inside(path)),
    lstat: async (path: string) => fsp.lstat(inside(path)),
    readdir: async (path: string) => fsp.readdir(inside(path)),
    readlink: async (path: string) => fsp.readlink(inside(path)),
    writeFile: denied,
    mkdir: denied,
    rmdir: denied,
    unlink: denied,
    symlink: denied,
    rm: denied,
  };
  return { promises };
}
