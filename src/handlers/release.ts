/** Webhooks of the release process. Each works out the release and queues the work, then returns. */
import type { Probot } from 'probot';
import { handleDeploymentStatus, handleProtectionRule, handleReleasePublished } from '../flows/deployment-events.js';
import { openRelease } from '../flows/open-release.js';
import { handleReleaseComment } from '../flows/release-commands.js';
import type { ReleaseRepo } from '../flows/release-common.js';
import { backgroundRunner } from './background.js';
import type { WorkQueue } from '../ops/work-queue.js';

interface RepositoryPayload {
  name: string;
  owner: { login: string };
  html_url: string;
  default_branch?: string;
  archived?: boolean;
}

export function releaseRepo(repository: RepositoryPayload): ReleaseRepo {
  return { owner: repository.owner.login, repo: repository.name, htmlUrl: repository.html_url, defaultBranch: repository.default_branch ?? 'main' };
}

export function registerReleaseHandlers(app: Probot, queue: WorkQueue, secret: string): void {
  const run = backgroundRunner(app, queue);

  app.on('push', async (context) => {
    const { payload } = context;
    if (!payload.ref.startsWith('refs/tags/') || !payload.created || payload.repository.archived) return;
    const tag = payload.ref.slice('refs/tags/'.length);
    const repo = releaseRepo(payload.repository as RepositoryPayload);
    run(context, `release:${repo.owner}/${repo.repo}:${tag}`, 'open-release', (octokit) => openRelease(octokit, repo, tag, { secret }));
  });

  app.on('issue_comment.created', async (context) => {
    const { issue, comment, repository } = context.payload;
    if (repository.archived || comment.user?.type === 'Bot' || !comment.body.trimStart().includes('/')) return;
    const repo = releaseRepo(repository as RepositoryPayload);
    run(context, `comment:${comment.id}`, 'release-command', (octokit) =>
      handleReleaseComment(octokit, { repo, issue: issue as never, comment: { id: comment.id, body: comment.body, user: { login: comment.user!.login, type: comment.user!.type } } }, { secret }),
    );
  });

  app.on('deployment_status.created', async (context) => {
    const { deployment, deployment_status: status, repository } = context.payload;
    const repo = releaseRepo(repository as RepositoryPayload);
    run(context, `deployment:${deployment.id}`, 'deployment-status', (octokit) =>
      handleDeploymentStatus(octokit, { repo, deployment: { id: deployment.id, sha: deployment.sha, ref: deployment.ref, environment: deployment.environment, payload: deployment.payload }, status }, { secret }),
    );
  });

  app.on('deployment_protection_rule.requested', async (context) => {
    const { payload } = context;
    if (!payload.deployment || !payload.environment || !payload.deployment_callback_url || !payload.repository) return;
    const repo = releaseRepo(payload.repository as RepositoryPayload);
    const deployment = payload.deployment;
    run(context, `protection:${deployment.id}`, 'protection-rule', (octokit) =>
      handleProtectionRule(octokit, { repo, environment: payload.environment!, deployment: { id: deployment.id, sha: deployment.sha, ref: deployment.ref, environment: deployment.environment, payload: deployment.payload }, callbackUrl: payload.deployment_callback_url! }, { secret }),
    );
  });

  app.on('release.published', async (context) => {
    const { release, repository } = context.payload;
    const repo = releaseRepo(repository as RepositoryPayload);
    run(context, `published:${release.id}`, 'release-published', (octokit) => handleReleasePublished(octokit, repo, release, { secret }));
  });
}
