/**
 * What the rules would like to know online, derived from the snapshot before they run: which git refs to
 * resolve (tag or branch?) and which repositories' tags to list. Pure; src/github/ref-facts.ts answers.
 */
import picomatch from 'picomatch';
import type { ShipshapeConfig } from '../config/schema.js';
import { DBT_PACKAGE_FILES, extractDbtPackages } from './extract/dbt-packages.js';
import { FULL_SHA, githubRepoOf, HAS_JINJA, sameRepo } from './extract/refs.js';
import type { FileSnapshot } from './types.js';

export interface Lookups {
  refs: Array<{ owner: string; repo: string; ref: string }>;
  tagLists: Array<{ owner: string; repo: string }>;
}

const isPackagesFile = picomatch(DBT_PACKAGE_FILES, { dot: true });

export function lookupsFor(snapshot: FileSnapshot, config: ShipshapeConfig): Lookups {
  const refs = new Map<string, Lookups['refs'][number]>();
  const tagLists = new Map<string, Lookups['tagLists'][number]>();
  const rulesOn = (id: keyof ShipshapeConfig['rules']) => config.rules[id] !== 'off';
  if (!rulesOn('dbt-packages-pinned') && !rulesOn('core-pinned')) return { refs: [], tagLists: [] };
  for (const path of snapshot.paths.filter((p) => isPackagesFile(p))) {
    const content = snapshot.content(path);
    if (content?.kind !== 'text') continue;
    for (const pkg of extractDbtPackages(content.text).packages) {
      if (pkg.kind !== 'git') continue;
      const gh = githubRepoOf(pkg.url.value);
      if (!gh) continue;
      const rev = pkg.revision?.value.trim();
      if (rev && !FULL_SHA.test(rev) && !HAS_JINJA.test(rev)) refs.set(`${gh.owner}/${gh.repo}@${rev}`.toLowerCase(), { ...gh, ref: rev });
      if (rulesOn('core-pinned') && sameRepo(gh, config.core.repository)) {
        const [owner, repo] = config.core.repository.split('/') as [string, string];
        tagLists.set(config.core.repository.toLowerCase(), { owner, repo });
      }
    }
  }
  return { refs: [...refs.values()], tagLists: [...tagLists.values()] };
}
