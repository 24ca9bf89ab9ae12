/** Writing check runs: GitHub takes at most 50 annotations per request, so the rest follow in updates. */
import type { CheckOutput } from '../policy/report.js';
import type { GitHub } from './client.js';

export const ANNOTATIONS_PER_REQUEST = 50;

export async function publishCheckRun(
  octokit: GitHub,
  args: { owner: string; repo: string; headSha: string; name: string; output: CheckOutput; externalId?: string },
): Promise<number> {
  const { owner, repo, headSha, name, output } = args;
  const batches: CheckOutput['annotations'][] = [];
  for (let i = 0; i < output.annotations.length; i += ANNOTATIONS_PER_REQUEST)
    batches.push(output.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  const text = (annotations: CheckOutput['annotations']) => ({
    title: output.title,
    summary: output.summary,
    ...(annotations.length ? { annotations } : {}),
  });
  const { data } = await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
    owner,
    repo,
    name,
    head_sha: headSha,
    status: 'completed',
    conclusion: output.conclusion,
    completed_at: new Date().toISOString(),
    ...(args.externalId ? { external_id: args.externalId } : {}),
    output: text(batches[0] ?? []),
  });
  for (const batch of batches.slice(1)) {
    await octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
      owner,
      repo,
      check_run_id: data.id,
      output: text(batch),
    });
  }
  return Number(data.id);
}

/** The newest check run of this name on a commit whose external id starts with `prefix` (what the app recorded there). */
export async function findRecordedRun(
  octokit: GitHub,
  args: { owner: string; repo: string; headSha: string; name: string; prefix: string },
): Promise<{ id: number; externalId: string } | undefined> {
  const runs = await octokit.paginate('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
    owner: args.owner,
    repo: args.repo,
    ref: args.headSha,
    check_name: args.name,
    filter: 'all',
    per_page: 100,
  });
  const mine = runs.filter((r) => r.external_id?.startsWith(args.prefix)).sort((a, b) => b.id - a.id)[0];
  return mine ? { id: mine.id, externalId: mine.external_id! } : undefined;
}

export async function setExternalId(octokit: GitHub, args: { owner: string; repo: string; id: number; externalId: string }): Promise<void> {
  await octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
    owner: args.owner,
    repo: args.repo,
    check_run_id: args.id,
    external_id: args.externalId,
  });
}
