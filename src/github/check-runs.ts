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
