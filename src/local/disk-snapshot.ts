/**
 * A file snapshot of a local directory for the CLI: honours .gitignore files (the `ignore` package
 * implements git's rules), skips .git, never follows a symbolic link out of the directory, and reads
 * only the files the rules need, refusing anything over the size limit before reading it.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { contentFromBytes, MAX_FILE_BYTES } from '../policy/snapshot.js';
import type { FileContent, FileSnapshot } from '../policy/types.js';

export class DiskSnapshot implements FileSnapshot {
  readonly paths: string[];
  private readonly cache = new Map<string, FileContent | undefined>();
  private readonly realRoot: string;

  constructor(private readonly root: string) {
    this.realRoot = realpathSync(root);
    this.paths = this.walk().sort();
  }

  content(path: string): FileContent | undefined {
    if (!this.cache.has(path)) this.cache.set(path, this.read(path));
    return this.cache.get(path);
  }

  private read(path: string): FileContent | undefined {
    const full = join(this.root, path);
    if (!this.insideRoot(full)) return undefined;
    const { size } = statSync(full);
    if (size > MAX_FILE_BYTES) return { kind: 'too-large', size };
    return contentFromBytes(readFileSync(full));
  }

  private insideRoot(full: string): boolean {
    try {
      const real = realpathSync(full);
      return real === this.realRoot || real.startsWith(this.realRoot + sep);
    } catch {
      return false;
    }
  }

  private walk(): string[] {
    const out: string[] = [];
    const visit = (dir: string, rules: Array<{ base: string; ig: Ignore }>) => {
      const gitignore = join(dir, '.gitignore');
      const here = existsSync(gitignore) ? [...rules, { base: dir, ig: ignore().add(readFileSync(gitignore, 'utf8')) }] : rules;
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === '.git') continue;
        const full = join(dir, entry.name);
        const ignored = here.some(({ base, ig }) => {
          const rel = relative(base, full).split(sep).join('/');
          return ig.ignores(entry.isDirectory() ? `${rel}/` : rel);
        });
        if (ignored) continue;
        const stat = lstatSync(full);
        if (stat.isSymbolicLink()) {
          // A link to a file inside the directory is read like the file; links to directories are not followed.
          if (this.insideRoot(full) && statSync(full).isFile()) out.push(relative(this.root, full).split(sep).join('/'));
          continue;
        }
        if (stat.isDirectory()) visit(full, here);
        else if (stat.isFile()) out.push(relative(this.root, full).split(sep).join('/'));
      }
    };
    visit(this.root, []);
    return out;
  }
}
