/** Fixture repositories are folders under test/fixtures; tests read them into path → text maps. */
import { resolve } from 'node:path';
import { readTree } from '../../sim/tree.js';
import { repoRoot } from './paths.js';

export function readFixture(name: string): Record<string, string> {
  return readTree(resolve(repoRoot, 'test/fixtures', name));
}
