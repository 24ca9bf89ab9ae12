/**
 * What the rules would like to know online, derived from the parsed files before they run: which git refs
 * to resolve (tag or branch?) and which repositories' tags to list. Pure; src/github/ref-facts.ts answers.
 */
import type { ShipshapeConfig } from '../config/schema.js';
import { classifyRevision, FULL_SHA, githubRepoOf, HAS_JINJA, sameRepo, type GitHubRepoRef } from './formats/refs.js';
import type { ParsedFiles } from './parsed.js';

export interface Lookups {
  refs: Array<{ owner: string; repo: string; ref: string }>;
  tagLists: Array<{ owner: string; repo: string }>;
}

export function lookupsFor(files: ParsedFiles, config: ShipshapeConfig): Lookups {
  const refs = new Map<string, Lookups['refs'][number]>();
  const tagLists = new Map<string, Lookups['tagLists'][number]>();
  const rulesOn = (id: keyof ShipshapeConfig['rules']) => config.rules[id] !== 'off';
  if (!rulesOn('dbt-packages-pinned') && !rulesOn('core-pinned')) return { refs: [], tagLists: [] };
  for (const file of files.of('dbt-packages')) {
    for (const pkg of file.value) {
      if (pkg.kind !== 'git') continue;
      const gh = githubRepoOf(pkg.url.value);
      if (!gh) continue;
      const rev = pkg.revision?.value.trim();
      if (rev && !FULL_SHA.test(rev) && !HAS_JINJA.test(rev)) refs.set(`${gh.owner}/${gh.repo}@${rev}`.toLowerCase(), { ...gh, ref: rev });
      // A pin that will likely need fixing: its repository's tags give the fix (its newest release).
      const kind = rev && !HAS_JINJA.test(rev) ? classifyRevision(rev) : 'branch';
      if (rulesOn('dbt-packages-pinned') && (kind === 'branch' || kind === 'short-sha'))
        tagLists.set(`${gh.owner}/${gh.repo}`.toLowerCase(), gh);
      if (rulesOn('core-pinned') && sameRepo(gh, config.core.repository)) {
        const [owner, repo] = config.core.repository.split('/') as [string, string];
        tagLists.set(config.core.repository.toLowerCase(), { owner, repo });
      }
    }
  }
  return { refs: [...refs.values()], tagLists: [...tagLists.values()] };
}

/** A git package pinned to a fixed point (a version tag or a full commit SHA): `ref` names one tree for good. */
export interface PackagePin extends GitHubRepoRef {
  ref: string;
}

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
 * Where the dashboards a store enables through the whole core package are written: the core's repository
 * at the pin of each dbt project that enables a package other than itself as a whole (or a whole domain
 * of it), only where the core's URL is on the GitHub the app reads (`host`). Read online with one query;
 * offline a note says they cannot be known.
 */
export function corePackageLookups(files: ParsedFiles, config: ShipshapeConfig, host = 'github.com'): PackagePin[] {
  if (config.rules['dashboards-versioned'] === 'off') return [];
  const out = new Map<string, PackagePin>();
  for (const project of files.of('dbt-project')) {
    if (project.malformed || !project.value.wholeDomains.some((w) => w.package !== project.value.name)) continue;
    const dir = project.path.slice(0, project.path.lastIndexOf('/') + 1);
    for (const pin of packagePinsOf(files, dir, host))
      if (sameRepo(pin, config.core.repository)) out.set(`${pin.owner}/${pin.repo}@${pin.ref}`.toLowerCase(), pin);
  }
  return [...out.values()];
}
