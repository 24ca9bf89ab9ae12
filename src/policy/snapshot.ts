/** In-memory snapshots: what tests build and what the GitHub and disk loaders fill. */
import type { FileContent, FileSnapshot } from './types.js';

export const MAX_FILE_BYTES = 1024 * 1024;

/** Decide how a file's bytes are seen by the rules: text, binary (a NUL byte or invalid UTF-8), or too large. */
export function contentFromBytes(bytes: Uint8Array): FileContent {
  if (bytes.byteLength > MAX_FILE_BYTES) return { kind: 'too-large', size: bytes.byteLength };
  if (bytes.includes(0)) return { kind: 'binary' };
  try {
    return { kind: 'text', text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { kind: 'binary' };
  }
}

export class MemorySnapshot implements FileSnapshot {
  readonly paths: string[];
  private readonly contents: Map<string, FileContent>;

  constructor(files: Record<string, string | FileContent>, extraPaths: string[] = []) {
    this.contents = new Map(Object.entries(files).map(([p, c]) => [p, typeof c === 'string' ? textContent(c) : c]));
    this.paths = [...new Set([...this.contents.keys(), ...extraPaths])].sort();
  }

  content(path: string): FileContent | undefined {
    return this.contents.get(path);
  }
}

function textContent(text: string): FileContent {
  return text.length > MAX_FILE_BYTES ? { kind: 'too-large', size: Buffer.byteLength(text) } : text.includes('\0') ? { kind: 'binary' } : { kind: 'text', text };
}
