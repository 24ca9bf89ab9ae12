/**
 * A file format (Renovate's "manager" shape): which files it reads, and how one file's text becomes typed
 * entries with their positions. The engine parses each matching file once per check and hands the entries
 * to the rules; a file a format cannot read is reported once, by the engine, as `malformed-file`.
 */
export interface FormatError {
  line: number;
  message: string;
}

export interface Parsed<T> {
  /** What could be read; partial (often empty) when `error` is set. */
  value: T;
  /** Set when the file is not valid for its format: the engine reports it, whatever rules are on. */
  error?: FormatError;
}

export interface Format<Id extends string = string, T = unknown> {
  id: Id;
  /** What the files are, for messages and docs: `dbt packages file`, `Dockerfile`. */
  description: string;
  /** Globs (picomatch, dot files included, names case-insensitive) of the paths the format reads. */
  files: readonly string[];
  /** Scans every text file under the size cap: an oversized file it covers is skipped, not reported. */
  textOnly?: boolean;
  parse(text: string, path: string): Parsed<T>;
}

export const defineFormat = <Id extends string, T>(format: Format<Id, T>): Format<Id, T> => format;
