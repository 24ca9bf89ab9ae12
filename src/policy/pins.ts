/** The git packages a dbt project pins to a fixed point: read by the rules that look into a pinned package. */
import { classifyRevision, githubRepoOf, HAS_JINJA, sameRepo } from './formats/refs.js';
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

/**
 * Where the dashboards a store enables through a whole package are written: `repository` (the core) at
 * the pin of each dbt project that enables a package other than itself as a whole (or a whole domain of
 * it), only where the core's URL is on the GitHub the app reads (`host`). Read online with one query;
 * offline a note says they cannot be known.
 */
export function wholePackagePins(files: ParsedFiles, repository: string, host: string): PackagePin[] {
  const out: PackagePin[] = [];
  for (const project of files.of('dbt-project')) {
    if (project.malformed || !project.value.wholeDomains.some((w) => w.package !== project.value.name)) continue;
    const dir = project.path.slice(0, project.path.lastIndexOf('/') + 1);
    out.push(...packagePinsOf(files, dir, host).filter((pin) => sameRepo(pin, repository)));
  }
  return out;
}
