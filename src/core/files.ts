/**
 * Files as every layer sees them, the same whether they came from GitHub, the disk or a test: a list of
 * paths and the contents of the ones that were read.
 */
export const MAX_FILE_BYTES = 1024 * 1024;

export type FileContent = { kind: 'text'; text: string } | { kind: 'binary' } | { kind: 'too-large'; size: number };

export interface FileSnapshot {
  /** Every file path in the repository (forward slashes, no leading slash). */
  readonly paths: readonly string[];
  /** Contents of the files the formats read; absent when the path was not fetched. */
  content(path: string): FileContent | undefined;
}

/** Decide how a file's bytes are seen: text, binary (a NUL byte or invalid UTF-8), or too large. */
export function contentFromBytes(bytes: Uint8Array): FileContent {
  if (bytes.byteLength > MAX_FILE_BYTES) return { kind: 'too-large', size: bytes.byteLength };
  if (bytes.includes(0)) return { kind: 'binary' };
  try {
    return { kind: 'text', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { kind: 'binary' };
  }
}

/** In-memory snapshots: what tests build and what the GitHub and disk loaders fill. */
export class MemorySnapshot implements FileSnapshot {
  readonly paths: string[];
  private readonly contents: Map<string, FileContent>;

  constructor(files: Record<string, string | FileContent> | Map<string, FileContent>, extraPaths: readonly string[] = []) {
    const entries =
      files instanceof Map ? [...files] : Object.entries(files).map(([p, c]) => [p, typeof c === 'string' ? textContent(c) : c] as const);
    this.contents = new Map(entries);
    this.paths = [...new Set([...this.contents.keys(), ...extraPaths])].sort();
  }

  content(path: string): FileContent | undefined {
    return this.contents.get(path);
  }
}

function textContent(text: string): FileContent {
  return text.length > MAX_FILE_BYTES
    ? { kind: 'too-large', size: Buffer.byteLength(text) }
    : text.includes('\0')
      ? { kind: 'binary' }
      : { kind: 'text', text };
}
