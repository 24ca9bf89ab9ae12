/**
 * Check runs as records that GitHub keeps for the app: a run of a given name on a commit, keyed by its
 * `external_id`, says what the app did there (which release issue a check answers, which pipeline step a
 * run started). Read and written here only, for every feature that keeps such a record.
 */
import type { GitHub } from './client.js';

export interface CheckRecord {
  id: number;
  externalId: string;
  conclusion: string | null;
  detailsUrl?: string;
}

/** The newest check run named `name` on `headSha` whose external id `matches`. */
export async function findRecord(
  octokit: GitHub,
  args: { owner: string; repo: string; headSha: string; name: string; matches: (externalId: string) => boolean },
): Promise<CheckRecord | undefined> {
  const runs = await octokit.paginate('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
    owner: args.owner,
    repo: args.repo,
    ref: args.headSha,
    check_name: args.name,
    filter: 'all',
    per_page: 100,
  });
  const mine = runs.filter((r) => r.external_id != null && args.matches(r.external_id)).sort((a, b) => b.id - a.id)[0];
  return mine
    ? { id: mine.id, externalId: mine.external_id!, conclusion: mine.conclusion, detailsUrl: mine.details_url ?? undefined }
    : undefined;
}

/** Point an existing run's record at something else. */
export async function setExternalId(octokit: GitHub, args: { owner: string; repo: string; id: number; externalId: string }): Promise<void> {
  await octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
    owner: args.owner,
    repo: args.repo,
    check_run_id: args.id,
    external_id: args.externalId,
  });
}
