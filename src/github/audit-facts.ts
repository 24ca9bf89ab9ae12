/**
 * Everything the settings audit needs to know about repositories, in as few requests as possible: one
 * GraphQL query per 20 repositories for what GraphQL has (src/github/audit-graphql.ts), then REST for
 * the rest: the repository itself when the caller lacks its security settings, production's tag rules
 * (and its custom protection rules when it has no reviewers), an evaluate-mode ruleset's rules, the
 * Actions SHA-pinning setting (the organization's once an hour, the repository's when that is off).
 * A fact GraphQL did not give (not asked, withheld, a GitHub without the field) is read over REST, as
 * every fact was before. A 403 becomes "cannot audit: … lacks X", never a fact; a rate limit is thrown.
 */
import { readSettings, REPOSITORIES_PER_QUERY, type GraphqlSettings, type SettingsAsk } from './audit-graphql.js';
import { RepositorySettingsReader, type GatherOptions, type Gathered } from './audit-reader.js';
import { OrgSettingsCache, type RepositoryData } from './audit-rest.js';
import type { GitHub } from './client.js';
import type { RepoRef } from './issues.js';

export interface GatherShared {
  /** The installation's permissions as its token reports them; undefined when unknown (a user's token). */
  permissions?: Record<string, string>;
  /** Organization settings shared by the audits of one installation (a fresh one per call when absent). */
  orgSettings?: OrgSettingsCache;
}

/** One repository (a webhook, the CLI): the batched gathering with a batch of one. */
export async function gatherAuditFacts(octokit: GitHub, r: RepoRef, options: GatherOptions, shared: GatherShared = {}): Promise<Gathered> {
  const [one] = await gatherAuditFactsBatch(octokit, [{ ...r, options }], shared);
  return one!;
}

/**
 * Several repositories: one GraphQL query per REPOSITORIES_PER_QUERY of them for what GraphQL has, then
 * REST for the rest (see the file's comment); the answers in the order of `targets`.
 */
export async function gatherAuditFactsBatch(
  octokit: GitHub,
  targets: ReadonlyArray<RepoRef & { options: GatherOptions }>,
  shared: GatherShared = {},
): Promise<Gathered[]> {
  const orgSettings = shared.orgSettings ?? new OrgSettingsCache();
  const granted = (name: string) => shared.permissions !== undefined && name in shared.permissions;
  const repos = await Promise.all(targets.map((t) => repositoryOf(octokit, t, t.options)));
  const ask: SettingsAsk = { classic: granted('administration'), environments: granted('actions'), collaborators: true };
  const answers: GraphqlSettings[] = [];
  for (let i = 0; i < targets.length; i += REPOSITORIES_PER_QUERY) {
    const chunk = targets
      .slice(i, i + REPOSITORIES_PER_QUERY)
      .map((t) => ({ owner: t.owner, repo: t.repo, production: t.options.production }));
    answers.push(...(await readSettings(octokit, chunk, ask)));
  }
  return Promise.all(
    targets.map((t, i) =>
      new RepositorySettingsReader(octokit, t, t.options, repos[i]!.data, answers[i]!, {
        orgSettings,
        administration: shared.permissions && granted('administration'),
        requests: repos[i]!.requests,
      }).gather(),
    ),
  );
}

async function repositoryOf(octokit: GitHub, r: RepoRef, options: GatherOptions): Promise<{ data: RepositoryData; requests: number }> {
  const given = options.repository;
  if (given && (options.repositoryFetched || given.security_and_analysis !== undefined)) return { data: given, requests: 0 };
  return {
    data: (await octokit.request('GET /repos/{owner}/{repo}', { owner: r.owner, repo: r.repo })).data as RepositoryData,
    requests: 1,
  };
}
