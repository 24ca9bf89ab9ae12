/** `../shared` (the product's labelled corpus) exists in CI and on developer machines, not in every clone. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = resolve(repoRoot, '../shared');
export const hasShared = existsSync(resolve(sharedDir, 'corpus/LABELS.tsv'));

/** `describe` when ../shared exists, otherwise a skipped block with a visible note. */
export const describeWithShared: jest.Describe = hasShared
  ? describe
  : (((name: string) => {
      // The body reads ../shared, so it is not even collected; one skipped test keeps the note visible.
      console.warn(`NOTE: "${name}" skipped: ../shared/corpus is not present beside this clone`);
      return describe(name, () => it.skip('needs ../shared/corpus beside the clone', () => undefined));
    }) as unknown as jest.Describe);
