/** Fixture repositories are folders under test/fixtures; tests read them into path → text maps. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { repoRoot } from './paths.js';

export function readFixture(name: string): Record<string, string> {
  const root = resolve(repoRoot, 'test/fixtures', name);
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[relative(root, full).split('\\').join('/')] = readFileSync(full, 'latin1');
    }
  };
  walk(root);
  return out;
}
