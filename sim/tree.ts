/** A folder on disk as a repository's files (path → text), to seed the simulator: the demo and the tests. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export function readTree(root: string): Record<string, string> {
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
