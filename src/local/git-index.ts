/**
 * Git's index (`.git/index`, "DIRC" versions 2, 3 and 4) read as data: which paths git tracks, with the
 * object id and stat data it recorded. Read by hand because the index is all the CLI needs to list a
 * work tree and it must start fast (isomorphic-git, used for `--base`, costs ~90 ms to load and does
 * not read version 4). Format: https://git-scm.com/docs/index-format
 */

export interface IndexEntry {
  /** The path as git stores it (bytes, `/`-separated), decoded for display; `raw` keeps the bytes. */
  path: string;
  raw: Buffer;
  oid: string;
  mode: number;
  size: number;
  mtimeSeconds: number;
  mtimeNanoseconds: number;
  /** Sparse checkout: git does not expect the file in the work tree. */
  skipWorktree: boolean;
}

const MODE_GITLINK = 0o160000;
const MODE_DIRECTORY = 0o040000;

export class IndexFormatError extends Error {}

/** The entries at stage 0 (or the first stage of a conflicted path), in index order; submodules and
 * sparse-index directory entries are left out, since neither is a file of this work tree. */
export function parseIndex(data: Buffer, oidBytes = 20): IndexEntry[] {
  if (data.length < 12 || data.toString('latin1', 0, 4) !== 'DIRC') throw new IndexFormatError('not a git index (no DIRC header)');
  const version = data.readUInt32BE(4);
  if (version < 2 || version > 4) throw new IndexFormatError(`git index version ${version} is not supported`);
  const count = data.readUInt32BE(8);
  const entries: IndexEntry[] = [];
  const seen = new Set<string>();
  let offset = 12;
  let previous: Buffer = Buffer.alloc(0);
  for (let i = 0; i < count; i++) {
    const start = offset;
    const fixed = 40 + oidBytes + 2;
    if (offset + fixed > data.length) throw new IndexFormatError('the git index is truncated');
    const mtimeSeconds = data.readUInt32BE(offset + 8);
    const mtimeNanoseconds = data.readUInt32BE(offset + 12);
    const mode = data.readUInt32BE(offset + 24);
    const size = data.readUInt32BE(offset + 36);
    const oid = data.toString('hex', offset + 40, offset + 40 + oidBytes);
    const flags = data.readUInt16BE(offset + 40 + oidBytes);
    offset += fixed;
    let extended = 0;
    if (version >= 3 && flags & 0x4000) {
      extended = data.readUInt16BE(offset);
      offset += 2;
    }
    let raw: Buffer;
    if (version === 4) {
      // Prefix compression: strip N bytes from the previous path, then a NUL-terminated suffix.
      let byte = data[offset++]!;
      let strip = byte & 0x7f;
      while (byte & 0x80) {
        byte = data[offset++]!;
        strip = ((strip + 1) << 7) | (byte & 0x7f);
      }
      const end = data.indexOf(0, offset);
      if (end < 0 || strip > previous.length) throw new IndexFormatError('a path in the git index is malformed');
      raw = Buffer.concat([previous.subarray(0, previous.length - strip), data.subarray(offset, end)]);
      offset = end + 1;
    } else {
      const end = data.indexOf(0, offset);
      if (end < 0) throw new IndexFormatError('a path in the git index is malformed');
      raw = data.subarray(offset, end);
      // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
      offset = start + Math.ceil((end - start + 1) / 8) * 8;
    }
    previous = raw;
    const type = mode & 0o170000;
    if (type === MODE_GITLINK || type === MODE_DIRECTORY) continue;
    const path = raw.toString('utf8');
    if (seen.has(path)) continue;
    seen.add(path);
    entries.push({ path, raw: Buffer.from(raw), oid, mode, size, mtimeSeconds, mtimeNanoseconds, skipWorktree: (extended & 0x4000) !== 0 });
  }
  return entries;
}
