/**
 * A snapshot with every file parsed by its formats, once: rules and lookups read typed entries from here,
 * and the engine reads from here which files could not be read at all.
 */
import picomatch from 'picomatch';
import type { FileSnapshot } from '../core/files.js';
import { TextCache } from '../core/memo.js';
import { FORMATS, type FormatId, type ValueOf } from './formats/index.js';
import type { Format, FormatError } from './formats/format.js';

/** Vendored or generated trees whose files are not the repository's own policy surface. */
export const IGNORED = picomatch(['**/node_modules/**', '**/dbt_packages/**', '**/dbt_modules/**', '**/target/**', '**/.venv/**', '**/venv/**'], { dot: true });

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
  readonly paths: readonly string[];
  /** Every file of the format, parsed (once per snapshot, on first use). */
  of<Id extends FormatId>(id: Id): ReadonlyArray<ParsedFile<ValueOf<Id>>>;
}

/** Parsed values by format, path and text, shared by the checks of one process (values are read-only). */
const parseCache = new TextCache<{ value: unknown; error?: FormatError }>(512);

const matchers = new WeakMap<Format, (path: string) => boolean>();
export function covers(format: Format, path: string): boolean {
  let m = matchers.get(format);
  if (!m) {
    const glob = picomatch(format.files as string[], { dot: true });
    m = (p: string) => !IGNORED(p) && glob(p);
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
  private readonly parsed = new Map<string, ParsedFile<unknown>[]>();
  private readonly problemsByPath = new Map<string, FileProblem>();

  constructor(
    private readonly snapshot: FileSnapshot,
    private readonly formats: readonly Format[] = FORMATS,
  ) {
    this.paths = snapshot.paths;
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

  private parse(format: Format): ParsedFile<unknown>[] {
    const out: ParsedFile<unknown>[] = [];
    for (const path of this.paths) {
      if (!covers(format, path)) continue;
      const content = this.snapshot.content(path);
      if (content?.kind !== 'text') {
        if (!this.problemsByPath.has(path)) this.problemsByPath.set(path, unreadable(path, content));
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
