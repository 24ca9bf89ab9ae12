/**
 * GitHub sends no webhook when an environment changes. The environment watch asks GraphQL, for 20
 * repositories a query, what their environments look like (names and the kinds of their protection
 * rules: required reviewers, wait timer, branch policy) and keeps a fingerprint of each; a changed
 * fingerprint means "audit this repository now". Tag rule patterns and apps' custom rules are not in
 * GraphQL: those changes wait for the daily audit.
 */
import type { GitHub } from './client.js';
import { repositoriesQuery, type BatchQuery } from './graphql-batch.js';
import type { RepoRef } from './issues.js';

export const WATCHED_PER_QUERY = 20;
/** Environments looked at per repository (GitHub's order); more than that and the fingerprint says so. */
const ENVIRONMENTS = 20;

const FIELDS = `environments(first: ${ENVIRONMENTS}) { totalCount nodes { name protectionRules(first: 5) { nodes { type } } } }`;

export const watchQuery = (targets: readonly RepoRef[]): BatchQuery => repositoriesQuery(targets, () => FIELDS);

interface Answer {
  environments?: { totalCount: number; nodes: Array<{ name: string; protectionRules: { nodes: Array<{ type: string }> } }> } | null;
}

/**
 * Each repository's environment fingerprint, in order; undefined where GitHub did not answer (no
 * permission, gone): such a repository is neither flagged nor forgotten.
 */
export async function environmentFingerprints(octokit: GitHub, targets: readonly RepoRef[]): Promise<Array<string | undefined>> {
  const { query, variables } = watchQuery(targets);
  let data: Record<string, Answer | null | undefined>;
  try {
    data = await octokit.graphql<Record<string, Answer | null>>(query, variables);
  } catch (err) {
    const partial = (err as { data?: Record<string, Answer | null> }).data;
    if (!partial) throw err;
    data = partial;
  }
  return targets.map((_, i) => {
    const envs = data[`r${i}`]?.environments;
    if (!envs) return undefined;
    const parts = envs.nodes
      .map(
        (e) =>
          `${e.name.toLowerCase()}[${e.protectionRules.nodes
            .map((r) => r.type)
            .sort()
            .join(',')}]`,
      )
      .sort();
    return `${envs.totalCount}:${parts.join(';')}`;
  });
}
