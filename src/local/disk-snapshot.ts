/**
 * A file snapshot of a local directory for the CLI: the files the app would see. In a git work tree
 * (DIR/.git), the files git tracks (from the index, whatever .gitignore says) plus untracked files that
 * .gitignore and info/exclude do not exclude; outside git, the files on disk honouring .gitignore. Every
 * read, .gitignore included, goes through the guarded reader: regular files inside DIR, size-capped.
 */
import { isUtf8 } from 'node:buffer';
import { readdirSync, statSync, type Dirent } from 'node:fs';
import ignore, { type Ignore } from 'ignore';
import { contentFromBytes, MAX_FILE_BYTES } from '../policy/snapshot.js';
import type { FileContent, FileSnapshot } from '../policy/types.js';
import { findGitDir, infoExclude, trackedEntries, type GitDir } from './git-dir.js';
import type { IndexEntry } from './git-index.js';
import { GuardedReader, describeRead, type DiskPath } from './guarded-read.js';

/** Real .gitignore files are a few KB; past this one is not applied (and a note says so). */
export const GITIGNORE_CAP = 256 * 1024;

interface Listed {
  raw: DiskPath;
  tracked?: IndexEntry;
}

export class DiskSnapshot implements FileSnapshot {
  readonly paths: string[];
  /** Things the user should know about the listing (an unreadable .gitignore, an unusable .git). */
  readonly notes: string[] = [];
  readonly reader: GuardedReader;
  readonly git: GitDir | undefined;
  private readonly listed = new Map<string, Listed>();
  private readonly cache = new Map<string, FileContent | undefined>();

  constructor(root: string) {
    this.reader = new GuardedReader(root);
    const lookup = findGitDir(this.reader);
    if (lookup.kind === 'unusable')
      this.notes.push(`not read as a git work tree: ${lookup.reason}; files on disk are checked, honouring .gitignore`);
    this.git = lookup.kind === 'git' ? lookup.git : undefined;
    if (this.git) for (const entry of trackedEntries(this.git)) this.addTracked(entry);
    this.walk();
    this.paths = [...this.listed.keys()].sort();
  }

  content(path: string): FileContent | undefined {
    if (!this.cache.has(path)) this.cache.set(path, this.read(path));
    return this.cache.get(path);
  }

  /** The index entry of a tracked path (its object id and the stat data git recorded). */
  tracked(path: string): IndexEntry | undefined {
    return this.listed.get(path)?.tracked;
  }

  rawPath(path: string): DiskPath | undefined {
    return this.listed.get(path)?.raw;
  }

  private read(path: string): FileContent | undefined {
    const raw = this.listed.get(path)?.raw;
    if (raw === undefined) return undefined;
    const read = this.reader.read(raw, MAX_FILE_BYTES);
    if (read.kind === 'file') return contentFromBytes(read.bytes);
    if (read.kind === 'too-large') return { kind: 'too-large', size: read.size };
    if (read.kind !== 'absent') this.notes.push(describeRead(path, read, MAX_FILE_BYTES));
    return undefined;
  }

  private addTracked(entry: IndexEntry): void {
    // A tracked file deleted from the work tree (or left out by a sparse checkout) is not there to check.
    const stat = this.reader.lstat(entry.raw);
    if (!stat || !(stat.isFile() || stat.isSymbolicLink())) return;
    this.listed.set(entry.path, { raw: isUtf8(entry.raw) ? entry.path : entry.raw, tracked: entry });
  }

  /** Untracked files (or, outside git, every file) not excluded by the .gitignore files above them. */
  private walk(): void {
    const rootRules: Layer[] = [];
    if (this.git) {
      const exclude = infoExclude(this.git);
      if (exclude !== undefined) rootRules.push(this.layer('', exclude, '.git/info/exclude'));
    }
    const visit = (dir: Buffer, prefix: string, outer: Layer[]) => {
      const layers = [...outer];
      const own = this.gitignore(dir, prefix);
      if (own) layers.push(own);
      let entries: Dirent<Buffer>[];
      try {
        entries = readdirSync(dir.length ? this.reader.full(dir) : this.reader.root, { withFileTypes: true, encoding: 'buffer' });
      } catch (err) {
        this.notes.push(
          `${prefix || '.'} could not be listed (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); its files were not checked`,
        );
        return;
      }
      for (const entry of entries) {
        const nameRaw = entry.name;
        const name = nameRaw.toString('utf8');
        if (name === '.git') continue;
        const raw = dir.length ? Buffer.concat([dir, Buffer.from('/'), nameRaw]) : nameRaw;
        const path = prefix + name;
        if (this.listed.has(path)) continue; // tracked: listed from the index
        const isDir = entry.isDirectory();
        if (isIgnored(layers, path, isDir)) continue;
        if (isDir) {
          // An untracked nested repository is one opaque entry to git, not files of this one.
          if (this.git && this.reader.lstat(Buffer.concat([raw, Buffer.from('/.git')]))) continue;
          visit(raw, `${path}/`, layers);
        } else if (entry.isFile() || entry.isSymbolicLink()) {
          // A link is listed when it leads to a regular file inside DIR; links to directories are not followed.
          if (entry.isSymbolicLink() && !this.linkToFileInside(raw, path)) continue;
          this.listed.set(path, { raw: isUtf8(nameRaw) && isUtf8(dir) ? path : raw });
        }
      }
    };
    visit(Buffer.alloc(0), '', rootRules);
  }

  private linkToFileInside(raw: Buffer, path: string): boolean {
    const where = this.reader.resolve(raw);
    if (where.kind === 'outside') this.notes.push(`${path} is a symbolic link that leads out of the checked directory; it was not read`);
    if (where.kind !== 'inside') return false;
    try {
      return statSync(where.real).isFile();
    } catch {
      return false;
    }
  }

  private gitignore(dir: Buffer, prefix: string): Layer | undefined {
    const raw = dir.length ? Buffer.concat([dir, Buffer.from('/.gitignore')]) : Buffer.from('.gitignore');
    const read = this.reader.read(raw, GITIGNORE_CAP);
    if (read.kind === 'absent') return undefined;
    if (read.kind !== 'file') {
      this.notes.push(`${describeRead(`${prefix}.gitignore`, read, GITIGNORE_CAP)}; its patterns were not applied`);
      return undefined;
    }
    return this.layer(prefix, read.bytes.toString('utf8'), `${prefix}.gitignore`);
  }

  private layer(prefix: string, text: string, name: string): Layer {
    try {
      return { prefix, ig: ignore().add(text) };
    } catch (err) {
      this.notes.push(`${name} could not be parsed (${(err as Error).message}); its patterns were not applied`);
      return { prefix, ig: ignore() };
    }
  }
}

interface Layer {
  /** The folder of the .gitignore, relative to DIR, ending in `/` (empty at the top). */
  prefix: string;
  ig: Ignore;
}

/** Git's precedence: the deepest .gitignore that decides (ignores or re-includes with `!`) wins. */
function isIgnored(layers: readonly Layer[], path: string, isDir: boolean): boolean {
  let ignored = false;
  for (const { prefix, ig } of layers) {
    const rel = path.slice(prefix.length);
    let r: { ignored: boolean; unignored: boolean };
    try {
      r = ig.test(isDir ? `${rel}/` : rel);
    } catch {
      continue; // a name the matcher cannot take as a relative path (none that git would ignore)
    }
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}
