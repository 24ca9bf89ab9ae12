/**
 * Which pull request a commit is the head of. GitHub's check_suite and check_run payloads list only pull
 * requests from the same repository: for a fork's pull request `pull_requests` is empty, so the app must
 * find the pull request itself, or a Re-run would judge the fork by its own shipshape.yml.
 */
import type { GitHub } from './client.js';

export interface PullRequestRef {
  number: number;
  baseSha: string;
}

/** The open pull request whose head is `headSha`, forks included; undefined when there is none. */
export async function openPullRequestWithHead(
  octokit: GitHub,
  owner: string,
  repo: string,
  headSha: string,
): Promise<PullRequestRef | undefined> {
  for await (const page of octokit.paginate.iterator('GET /repos/{owner}/{repo}/pulls', { owner, repo, state: 'open', per_page: 100 })) {
    const pr = page.data.find((p) => p.head.sha === headSha);
    if (pr) return { number: pr.number, baseSha: pr.base.sha };
  }
  return undefined;
}
