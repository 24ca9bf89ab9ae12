/**
 * Webhooks that (re)run the policy check. Each handler only works out which commit to check and under
 * which configuration, then hands the work to the runner, whose promise decides the webhook's answer.
 */
import type { Context, Probot } from 'probot';
import { checkCommit, type PolicyTarget } from '../flows/policy-check.js';
import { openPullRequestWithHead } from '../github/pull-requests.js';
import { CHECK_NAME } from '../policy/report.js';
import { parseCommands } from '../release/commands.js';
import type { Decider } from '../ops/decider.js';
import type { WorkQueue } from '../ops/work-queue.js';
import { backgroundRunner } from './background.js';

export function registerPolicyHandlers(app: Probot, queue: WorkQueue, decider?: Decider): void {
  const background = backgroundRunner(app, queue);
  const run = (context: Context, target: PolicyTarget) =>
    background(context, `policy:${target.owner}/${target.repo}@${target.headSha}`, 'policy', (octokit) =>
      checkCommit(octokit, target, decider),
    );

  app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'], async (context) => {
    const pr = context.payload.pull_request;
    if (context.payload.repository.archived) return;
    // A redelivery of this event after its check completed posts nothing new: GitHub's record (the run's
    // external_id) decides, across replicas and restarts, within the check's first read (no request of its own).
    return run(context, { ...context.repo(), headSha: pr.head.sha, configSha: pr.base.sha, pullNumber: pr.number, delivery: context.id });
  });

  app.on('push', async (context) => {
    const { payload } = context;
    const isDefaultBranch = payload.ref === `refs/heads/${payload.repository.default_branch}`;
    if (!isDefaultBranch || payload.deleted || payload.repository.archived || /^0+$/.test(payload.after)) return;
    return run(context, { ...context.repo(), headSha: payload.after, configSha: payload.after, delivery: context.id });
  });

  // Re-run: the payload lists only same-repository pull requests, so a fork's is looked up by its head.
  app.on('check_suite.rerequested', async (context) => {
    const suite = context.payload.check_suite;
    if (context.payload.repository.archived) return;
    return rerun(context, suite.head_sha, suite.pull_requests);
  });

  app.on('check_run.rerequested', async (context) => {
    const checkRun = context.payload.check_run;
    if (checkRun.name !== CHECK_NAME || context.payload.repository.archived) return;
    return rerun(context, checkRun.head_sha, checkRun.pull_requests);
  });

  function rerun(
    context: Context<'check_suite' | 'check_run'>,
    headSha: string,
    listed: ReadonlyArray<{ number: number; head: { sha: string }; base: { sha: string } }>,
  ) {
    const repo = context.repo();
    const defaultBranch = context.payload.repository.default_branch;
    return background(context, `policy:${repo.owner}/${repo.repo}@${headSha}`, 'policy', async (octokit) => {
      const same = listed.find((pr) => pr.head.sha === headSha);
      const pr = same
        ? { number: same.number, baseSha: same.base.sha }
        : await openPullRequestWithHead(octokit, repo.owner, repo.repo, headSha);
      // No pull request: the default branch's policy judges, never the commit's own shipshape.yml.
      return checkCommit(octokit, { ...repo, headSha, configSha: pr?.baseSha ?? defaultBranch, pullNumber: pr?.number }, decider);
    });
  }

  app.on('issue_comment.created', async (context) => {
    const { issue, comment } = context.payload;
    if (!issue.pull_request || comment.user?.type === 'Bot' || context.payload.repository.archived) return;
    if (!parseCommands(comment.body).some((c) => c.name === 'recheck')) return;
    // context.repo() types as never for this event; the payload names the repository plainly.
    const repo = { owner: context.payload.repository.owner.login, repo: context.payload.repository.name };
    // Keyed by pull request: while a recheck waits, further /recheck comments add nothing.
    return background(context, `recheck:${repo.owner}/${repo.repo}#${issue.number}`, 'recheck', async (octokit) => {
      const { data: pr } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...repo, pull_number: issue.number });
      return checkCommit(octokit, { ...repo, headSha: pr.head.sha, configSha: pr.base.sha, pullNumber: pr.number }, decider);
    });
  });
}
