// The baseline: what a new Probot app does — Probot's defaults (its throttling included), and one fixed
// check run per pull request event. Started with the same environment as Shipshape.
import { run } from 'probot';

await run((app) => {
  app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'], async (context) => {
    await context.octokit.request('POST /repos/{owner}/{repo}/check-runs', {
      ...context.repo(),
      name: 'baseline/check',
      head_sha: context.payload.pull_request.head.sha,
      status: 'completed',
      conclusion: 'success',
      output: { title: 'Fixed result', summary: 'The baseline posts the same result for every pull request.' },
    });
  });
});
