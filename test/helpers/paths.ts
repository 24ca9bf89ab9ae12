/** Where things are, for tests and the benchmark (no test-framework globals here). */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = resolve(repoRoot, '../shared');
export const hasShared = existsSync(resolve(sharedDir, 'corpus/LABELS.tsv'));

/**
 * The build the tests run: the one jest's globalSetup made for this run (test/build-once.js), or, outside
 * jest (the benchmark), the checkout's own `npm run build`.
 */
export const buildRoot = process.env.SHIPSHAPE_BUILD ?? repoRoot;
export const built = (path: string): string => resolve(buildRoot, path);
