/**
 * A file snapshot of a local directory for the CLI: the files the app would see. In a git work tree
 * (a `.git` in DIR or a folder above it), the files git tracks under DIR (from the index, whatever
 * .gitignore says) plus untracked files there that no .gitignore (the work tree's top, the folders down to
 * DIR, DIR's own and nested ones) nor info/exclude excludes; outside git, the files on disk honouring
 * .gitignore. Paths are relative to DIR. Every file checked is read through the guarded reader: regular
 * files inside DIR, size-capped; tracked files elsewhere in the work tree are out of scope.
 */
import { isUtf8 } from 'node:buffer';
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { contentFromBytes, MAX_FILE_BYTES } from '../core/files.js';
import type { FileContent, FileSnapshot } from '../core/files.js';
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
  /** DIR inside the git work tree (`''` at its top, else ending in `/`), as index and tree paths start. */
  readonly prefix: string = '';
  /** Why a `.git` that was found could not be used, when it could not. */
  readonly unusableGit: string | undefined;
  private readonly workTree: string | undefined;
  private readonly listed = new Map<string, Listed>();
  private readonly cache = new Map<string, FileContent | undefined>();

  constructor(root: string) {
    this.reader = new GuardedReader(root);
    const lookup = findGitDir(this.reader.root);
    if (lookup.kind === 'unusable') {
      this.unusableGit = lookup.reason;
      this.notes.push(`not read as a git work tree: ${lookup.reason}; files on disk are checked, honouring .gitignore`);
    }
    this.git = lookup.kind === 'git' ? lookup.git : undefined;
    if (lookup.kind === 'git') {
      this.prefix = lookup.prefix;
      this.workTree = lookup.workTree;
      if (this.prefix)
        this.notes.push(
          `read as the folder ${this.prefix} of the git work tree at ${this.workTree}: the files git tracks there and the untracked ones no .gitignore excludes`,
        );
      const prefix = Buffer.from(this.prefix);
      for (const entry of trackedEntries(lookup.git))
        if (entry.raw.subarray(0, prefix.length).equals(prefix))
          this.addTracked({ ...entry, path: entry.path.slice(this.prefix.length), raw: entry.raw.subarray(prefix.length) });
    }
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
      // DIR below the work tree's top: the .gitignore files of the folders above it apply too, and an
      // ignored folder on the way down hides every untracked file under it (git does not descend into it).
      if (!this.outerRules(rootRules)) return;
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
        if (isIgnored(layers, this.prefix + path, isDir)) continue;
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

  /** Adds the layers of the folders from the work tree's top down to DIR; false when one of them is ignored. */
  private outerRules(layers: Layer[]): boolean {
    if (!this.prefix || !this.workTree) return true;
    const tree = new GuardedReader(this.workTree);
    let folder = '';
    for (const name of this.prefix.slice(0, -1).split('/')) {
      const shown = join(this.workTree, `${folder}.gitignore`);
      const read = tree.read(`${folder}.gitignore`, GITIGNORE_CAP);
      if (read.kind === 'file') layers.push(this.layer(folder, read.bytes.toString('utf8'), shown));
      else if (read.kind === 'outside')
        this.notes.push(`${shown} is a symbolic link that leads out of the git work tree; its patterns were not applied`);
      else if (read.kind !== 'absent') this.notes.push(`${describeRead(shown, read, GITIGNORE_CAP)}; its patterns were not applied`);
      folder += `${name}/`;
      if (isIgnored(layers, folder.slice(0, -1), true)) return false;
    }
    return true;
  }

  private gitignore(dir: Buffer, prefix: string): Layer | undefined {
    const raw = dir.length ? Buffer.concat([dir, Buffer.from('/.gitignore')]) : Buffer.from('.gitignore');
    const read = this.reader.read(raw, GITIGNORE_CAP);
    if (read.kind === 'absent') return undefined;
    if (read.kind !== 'file') {
      this.notes.push(`${describeRead(`${prefix}.gitignore`, read, GITIGNORE_CAP)}; its patterns were not applied`);
      return undefined;
    }
    return this.layer(this.prefix + prefix, read.bytes.toString('utf8'), `${prefix}.gitignore`);
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
  /** The folder of the .gitignore, relative to the work tree's top (DIR outside git), ending in `/` (empty at the top). */
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
