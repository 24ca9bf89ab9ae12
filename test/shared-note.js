// Printed before the tests: the corpus suite reads ../shared, which CI always has and a user's own
// clone may not; there the suite is skipped, and this says so where everyone sees it.
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../../shared/corpus/LABELS.tsv', import.meta.url))) {
  console.log('NOTE: ../shared/corpus is not beside this clone, so the real-world corpus suite (test/policy/corpus.test.ts) is skipped.');
}
