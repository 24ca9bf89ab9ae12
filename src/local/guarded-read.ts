/**
 * The one way the CLI reads a file from disk. A path is read only when it resolves (symbolic links
 * included) to a regular file inside one of the allowed roots, and only up to a size cap, so nothing in
 * a checked directory can point the CLI at a file outside it, at a FIFO or device that never ends
 * (`/dev/zero`), or at a file too large to hold in memory. Opening uses O_NONBLOCK (a FIFO does not
 * block the open) and O_NOFOLLOW (the final component cannot be swapped for a link after the check),
 * and the kind of file is decided on the open descriptor, not on the name.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';

/** A path as the OS gave it: a string, or the raw bytes of a name that is not valid UTF-8. */
export type DiskPath = string | Buffer;

export type GuardedRead =
  | { kind: 'file'; bytes: Buffer }
  | { kind: 'absent' }
  | { kind: 'outside'; target: string }
  | { kind: 'not-a-file'; what: string }
  | { kind: 'too-large'; size: number }
  | { kind: 'error'; message: string };

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

export class GuardedReader {
  /** Real paths of the roots a read may resolve into (the first one is where relative paths start). */
  readonly roots: readonly string[];

  constructor(root: string, extraRoots: readonly string[] = []) {
    this.roots = [root, ...extraRoots].map((r) => realpathSync.native(r));
  }

  get root(): string {
    return this.roots[0]!;
  }

  /** The real path of `path` when it exists and lies inside a root; `outside` or `absent` otherwise. */
  resolve(path: DiskPath): { kind: 'inside'; real: DiskPath } | { kind: 'absent' } | { kind: 'outside'; target: string } {
    const full = this.full(path);
    let real: DiskPath;
    try {
      // The native realpath takes and gives bytes, so names that are not UTF-8 resolve as they are.
      real = Buffer.isBuffer(full) ? realpathSync.native(full, { encoding: 'buffer' }) : realpathSync.native(full);
    } catch {
      // A dangling link or a missing file: nothing to read either way.
      return { kind: 'absent' };
    }
    const text = Buffer.isBuffer(real) ? real.toString('utf8') : real;
    return this.roots.some((r) => text === r || text.startsWith(r.endsWith(sep) ? r : r + sep))
      ? { kind: 'inside', real }
      : { kind: 'outside', target: text };
  }

  /** Reads a regular file inside the roots, at most `cap` bytes; every other case is a value, never a throw. */
  read(path: DiskPath, cap: number): GuardedRead {
    const where = this.resolve(path);
    if (where.kind !== 'inside') return where;
    let fd: number;
    try {
      fd = openSync(where.real, OPEN_FLAGS);
    } catch (err) {
      return failure(err);
    }
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return { kind: 'not-a-file', what: kindOf(stat) };
      if (stat.size > cap) return { kind: 'too-large', size: stat.size };
      // Read to the cap plus one byte: a file that grows while being read is still caught.
      const buffer = Buffer.alloc(Math.min(stat.size, cap) + 1);
      let length = 0;
      for (;;) {
        const n = readSync(fd, buffer, length, buffer.length - length, null);
        if (n === 0) break;
        length += n;
        if (length > cap) return { kind: 'too-large', size: Math.max(stat.size, length) };
        if (length === buffer.length) break;
      }
      return { kind: 'file', bytes: buffer.subarray(0, length) };
    } catch (err) {
      return failure(err);
    } finally {
      closeSync(fd);
    }
  }

  /** What a path is, without following a final symbolic link (for listings). */
  lstat(path: DiskPath): ReturnType<typeof lstatSync> | undefined {
    try {
      return lstatSync(this.full(path));
    } catch {
      return undefined;
    }
  }

  full(path: DiskPath): DiskPath {
    if (Buffer.isBuffer(path)) return path[0] === 0x2f ? path : Buffer.concat([Buffer.from(this.root + sep), path]);
    return isAbsolute(path) ? path : join(this.root, path);
  }
}

/** One line for a read that did not give a file, as the CLI prints it. */
export function describeRead(path: string, read: Exclude<GuardedRead, { kind: 'file' }>, cap: number): string {
  switch (read.kind) {
    case 'absent':
      return `${path} does not exist`;
    case 'outside':
      return `${path} is a symbolic link that leads out of the checked directory (to ${read.target}); Shipshape never follows links out of it, so it was not read`;
    case 'not-a-file':
      return `${path} is ${read.what}, not a regular file, so it was not read`;
    case 'too-large':
      return `${path} is ${megabytes(read.size)}, over the ${megabytes(cap)} that Shipshape reads, so it was not read`;
    case 'error':
      return `${path} could not be read (${read.message})`;
  }
}

const megabytes = (n: number) => (n >= 1048576 ? `${(n / 1048576).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.ceil(n / 1024)} KB`);

function kindOf(stat: ReturnType<typeof fstatSync>): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

function failure(err: unknown): GuardedRead {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return { kind: 'absent' };
  if (e.code === 'ELOOP') return { kind: 'not-a-file', what: 'a symbolic link' };
  if (e.code === 'EISDIR') return { kind: 'not-a-file', what: 'a directory' };
  return { kind: 'error', message: e.code ?? e.message };
}
