/**
 * The git packages of the dbt packages files, as the rules' needs and checks read them: where each one's
 * repository is, its revision, and the ones pinned to a fixed point.
 */
import { classifyRevision, FULL_SHA, githubRepoOf, HAS_JINJA, sameRepo, type GitHubRepoRef } from './formats/refs.js';
import type { ParsedFiles } from './parsed.js';
import type { PackagePin } from './types.js';

export interface GitPackage {
  /** The packages file that names it. */
  path: string;
  gh: GitHubRepoRef;
  /** `revision:` as written, trimmed; undefined when there is none. */
  rev?: string;
}

/** Every git package whose URL is on `host` (github.com, or a GitHub Enterprise Server host). */
export function gitPackagesOn(files: ParsedFiles, host = 'github.com'): GitPackage[] {
  const out: GitPackage[] = [];
  for (const file of files.of('dbt-packages'))
    for (const pkg of file.value) {
      const gh = pkg.kind === 'git' ? githubRepoOf(pkg.url.value, host) : undefined;
      if (gh && pkg.kind === 'git') out.push({ path: file.path, gh, rev: pkg.revision?.value.trim() });
    }
  return out;
}

/** A revision to resolve online (a tag or a branch?): written, not a full commit SHA, not Jinja. */
export const resolvable = (rev: string | undefined): rev is string => !!rev && !FULL_SHA.test(rev) && !HAS_JINJA.test(rev);

/**
 * The git packages on `host` (the GitHub the app reads: github.com, or a GitHub Enterprise Server host) of
 * the dbt project in folder `dir` (its own packages.yml / dependencies.yml), pinned to a fixed point.
 */
export function packagePinsOf(files: ParsedFiles, dir: string, host = 'github.com'): PackagePin[] {
  const own = new Set([`${dir}packages.yml`, `${dir}dependencies.yml`]);
  const pins: PackagePin[] = [];
  for (const { path, gh, rev } of gitPackagesOn(files, host)) {
    if (!own.has(path) || !rev || HAS_JINJA.test(rev)) continue;
    const kind = classifyRevision(rev);
    if (kind === 'version-tag' || kind === 'commit') pins.push({ ...gh, ref: rev });
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
