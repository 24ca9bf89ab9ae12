/** The git packages a dbt project pins to a fixed point: read by the rules that look into a pinned package. */
import { classifyRevision, githubRepoOf, HAS_JINJA } from './formats/refs.js';
import type { ParsedFiles } from './parsed.js';
import type { PackagePin } from './types.js';

/**
 * The git packages on `host` (the GitHub the app reads: github.com, or a GitHub Enterprise Server host) of
 * the dbt project in folder `dir` (its own packages.yml / dependencies.yml), pinned to a fixed point.
 */
export function packagePinsOf(files: ParsedFiles, dir: string, host = 'github.com'): PackagePin[] {
  const own = new Set([`${dir}packages.yml`, `${dir}dependencies.yml`]);
  const pins: PackagePin[] = [];
  for (const file of files.of('dbt-packages')) {
    if (!own.has(file.path)) continue;
    for (const pkg of file.value) {
      const gh = pkg.kind === 'git' ? githubRepoOf(pkg.url.value, host) : undefined;
      const ref = pkg.kind === 'git' ? pkg.revision?.value.trim() : undefined;
      if (!gh || !ref || HAS_JINJA.test(ref)) continue;
      const kind = classifyRevision(ref);
      if (kind === 'version-tag' || kind === 'commit') pins.push({ ...gh, ref });
    }
  }
  return pins;
}
