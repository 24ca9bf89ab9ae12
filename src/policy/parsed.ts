/**
 * A snapshot with every file parsed by its formats, once: rules and lookups read typed entries from here,
 * and the engine reads from here which files could not be read at all. Ignored files (built-in and
 * `ignore:`) and templates are out of scope: not parsed, not in `paths`, so they satisfy nothing either.
 */
import picomatch from 'picomatch';
import type { FileSnapshot } from '../core/files.js';
import { TextCache } from '../core/memo.js';
import { FORMATS, type FormatId, type ValueOf } from './formats/index.js';
import type { Format, FormatError } from './formats/format.js';
import { BUILT_IN_IGNORED, hasTemplateLines, ignoreMatcher, templateFolder } from './scope.js';

export interface ParsedFile<T> {
  path: string;
  value: T;
  /** The format could not read the whole file (the engine reports it); `value` holds what could be read. */
  malformed: boolean;
}

/** Why a file a format covers could not be checked: not valid for its format, binary, too large or absent. */
export interface FileProblem {
  path: string;
  code: 'malformed' | 'unreadable';
  line: number;
  message: string;
}

export interface ParsedFiles {
  /** The repository's own files: ignored files and templates left out. */
  readonly paths: readonly string[];
  /** Every file of the format, parsed (once per snapshot, on first use). */
  of<Id extends FormatId>(id: Id): ReadonlyArray<ParsedFile<ValueOf<Id>>>;
}

/** Parsed values by format, path and text, shared by the checks of one process (values are read-only). */
const parseCache = new TextCache<{ value: unknown; error?: FormatError }>(512);

const matchers = new WeakMap<Format, (path: string) => boolean>();
/** Whether a format reads `path` by its name (case-insensitive, any depth, built-in ignores left out). */
export function covers(format: Format, path: string): boolean {
  let m = matchers.get(format);
  if (!m) {
    const glob = picomatch(format.files as string[], { dot: true, nocase: true });
    m = (p: string) => !BUILT_IN_IGNORED(p) && glob(p);
    matchers.set(format, m);
  }
  return m(path);
}

/** The paths whose contents the formats read: what the GitHub side must fetch. */
export function pathsToRead(paths: readonly string[], formats: readonly Format[] = FORMATS): string[] {
  return paths.filter((p) => formats.some((f) => covers(f, p)));
}

export class ParsedRepo implements ParsedFiles {
  readonly paths: readonly string[];
  /** Templates left out, once each: a template folder (`…/{{ cookiecutter.x }}/`) or a file. */
  readonly skipped: readonly string[];
  private readonly parsed = new Map<string, ParsedFile<unknown>[]>();
  private readonly problemsByPath = new Map<string, FileProblem>();

  constructor(
    private readonly snapshot: FileSnapshot,
    private readonly formats: readonly Format[] = FORMATS,
    readonly ignore: readonly string[] = [],
  ) {
    const ignored = ignoreMatcher(ignore);
    const skipped = new Set<string>();
    this.paths = snapshot.paths.filter((p) => {
      if (ignored(p)) return false;
      const folder = templateFolder(p);
      if (folder) return !skipped.add(folder);
      const content = formats.some((f) => covers(f, p)) ? snapshot.content(p) : undefined;
      if (content?.kind === 'text' && hasTemplateLines(content.text)) return !skipped.add(p);
      return true;
    });
    this.skipped = [...skipped];
  }

  /** The same snapshot with the repository's `ignore:` globs applied (this one when they are the same). */
  scoped(ignore: readonly string[]): ParsedRepo {
    return ignore.length === this.ignore.length && ignore.every((g, i) => g === this.ignore[i])
      ? this
      : new ParsedRepo(this.snapshot, this.formats, ignore);
  }

  of<Id extends FormatId>(id: Id): ReadonlyArray<ParsedFile<ValueOf<Id>>> {
    let files = this.parsed.get(id);
    if (!files) {
      const format = this.formats.find((f) => f.id === id);
      files = format ? this.parse(format) : [];
      this.parsed.set(id, files);
    }
    return files as ReadonlyArray<ParsedFile<ValueOf<Id>>>;
  }

  /** Parse every format's files and return the problems, one per file (the first format to fail names it). */
  problems(): FileProblem[] {
    for (const f of this.formats) this.of(f.id as FormatId);
    return [...this.problemsByPath.values()];
  }

  /** Paths read by the given formats (for "N files checked"). */
  pathsOf(ids: readonly string[]): string[] {
    return this.paths.filter((p) => this.formats.some((f) => ids.includes(f.id) && covers(f, p)));
  }

  /** Number of lines of a text file, so findings never point past its end. */
  lineCount(path: string): number | undefined {
    const c = this.snapshot.content(path);
    if (c?.kind !== 'text') return undefined;
    const lines = c.text.split('\n').length;
    return c.text.endsWith('\n') ? Math.max(1, lines - 1) : lines;
  }

  /** Whether the snapshot holds `path` at all (ignored or not). */
  has(path: string): boolean {
    return this.snapshot.paths.includes(path);
  }

  private parse(format: Format): ParsedFile<unknown>[] {
    const out: ParsedFile<unknown>[] = [];
    for (const path of this.paths) {
      if (!covers(format, path)) continue;
      const content = this.snapshot.content(path);
      if (content?.kind !== 'text') {
        // The secret scan reads every text file under the size cap: a larger one is skipped, not reported.
        const quiet = format.textOnly && content?.kind === 'too-large';
        if (!quiet && !this.problemsByPath.has(path)) this.problemsByPath.set(path, unreadable(path, content));
        continue;
      }
      const { value, error } = parseCache.get(`${format.id}\0${path}`, content.text, () => format.parse(content.text, path));
      if (error && !this.problemsByPath.has(path)) this.problemsByPath.set(path, malformed(path, format, error));
      out.push({ path, value, malformed: !!error });
    }
    return out;
  }
}

function malformed(path: string, format: Format, error: FormatError): FileProblem {
  return { path, code: 'malformed', line: error.line, message: `${path} cannot be read as a ${format.description}: ${error.message}` };
}

function unreadable(path: string, content: ReturnType<FileSnapshot['content']>): FileProblem {
  const message =
    content?.kind === 'binary'
      ? `${path} is not a text file, so it could not be checked`
      : content?.kind === 'too-large'
        ? `${path} is ${(content.size / 1048576).toFixed(1)} MB, over the 1 MB that Shipshape reads, so it could not be checked`
        : `${path} could not be read, so it could not be checked`;
  return { path, code: 'unreadable', line: 1, message };
}
