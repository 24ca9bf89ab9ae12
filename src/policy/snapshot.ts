/** Snapshots live on the ground floor (src/core/files.ts); re-exported for the disk and git readers. */
export { contentFromBytes, MAX_FILE_BYTES, MemorySnapshot } from '../core/files.js';
