/** Webhooks of pipelines across repositories: completed workflow runs, and `/pipeline status` in comments. */
import type { Probot } from 'probot';
import { handlePipelineComment, isPipelineCommand } from '../flows/pipeline-status.js';
import { handleWorkflowRun } from '../flows/pipeline-run.js';
import type { OnceStore } from '../ops/once.js';
import type { WorkQueue } from '../ops/work-queue.js';
import { backgroundRunner } from './background.js';

/** `once`: claims shared by replicas (with Redis), so a step is started once; absent in one process. */
export function registerPipelineHandlers(app: Probot, queue: WorkQueue, once?: OnceStore): void {
  const run = backgroundRunner(app, queue);

  app.on('workflow_run.completed', (context) => {
    const { workflow_run: wr, workflow, repository } = context.payload;
    if (repository.archived) return;
    const path = workflow?.path ?? wr.path;
    const completed = {
      owner: repository.owner.login,
      repository: repository.name,
      workflow: path.split('/').pop()!,
      id: wr.id,
      attempt: wr.run_attempt,
      url: wr.html_url,
      sha: wr.head_sha,
      conclusion: wr.conclusion,
      branch: wr.head_branch,
      defaultBranch: repository.default_branch,
      event: wr.event,
    };
    return run(context, `pipeline:${repository.full_name}#${wr.id}/${wr.run_attempt}`, 'pipeline-run', (octokit) =>
      handleWorkflowRun(octokit, completed, { once }),
    );
  });

  app.on('issue_comment.created', (context) => {
    const { issue, comment, repository } = context.payload;
    if (repository.archived || comment.user?.type === 'Bot' || !isPipelineCommand(comment.body)) return;
    const repo = { owner: repository.owner.login, repo: repository.name };
    return run(context, `pipeline-comment:${comment.id}`, 'pipeline-status', (octokit) =>
      handlePipelineComment(octokit, {
        repo,
        issue: issue.number,
        comment: { id: comment.id, body: comment.body, login: comment.user!.login, createdAt: comment.created_at },
      }),
    );
  });
}
