/**
 * What the rules would like to know online, derived from the parsed files before they run: which git refs
 * to resolve (tag or branch?) and which repositories' tags to list. Pure; src/github/ref-facts.ts answers.
 */
import type { ShipshapeConfig } from '../config/schema.js';
import { classifyRevision, FULL_SHA, githubRepoOf, HAS_JINJA, sameRepo } from './formats/refs.js';
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
