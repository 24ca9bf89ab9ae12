/** `../shared` (the product's labelled corpus) exists in CI and on developer machines, not in every clone. */
import { hasShared } from './paths.js';

export { hasShared, repoRoot, sharedDir } from './paths.js';

/** `describe` when ../shared exists, otherwise a skipped block with a visible note. */
export const describeWithShared: jest.Describe = hasShared
  ? describe
  : (((name: string) => {
      // The body reads ../shared, so it is not even collected; one skipped test keeps the note visible.
      console.warn(`NOTE: "${name}" skipped: ../shared/corpus is not present beside this clone`);
      describe(name, () => it.skip('needs ../shared/corpus beside the clone', () => undefined));
    }) as unknown as jest.Describe);
