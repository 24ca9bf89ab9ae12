/** Where things are, for tests and the benchmark (no test-framework globals here). */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = resolve(repoRoot, '../shared');
export const hasShared = existsSync(resolve(sharedDir, 'corpus/LABELS.tsv'));
