/** Webhooks of the release process. Each works out the release and queues the work, then returns. */
import type { Context, Probot } from 'probot';
import { handleDeploymentStatus, handleProtectionRule, handleReleasePublished } from '../flows/deployment-events.js';
import { openRelease } from '../flows/open-release.js';
import { handleReleaseComment } from '../flows/release-commands.js';
import type { ReleaseRepo } from '../flows/release-common.js';
import { metrics } from '../ops/metrics.js';
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
  const run = (context: Context, key: string, job: string, work: () => Promise<unknown>) => {
    void queue.enqueue(key, async () => {
      const end = metrics.handlerSeconds.startTimer({ job });
      try {
        const outcome = await work();
        context.log.info({ key, outcome }, `${job} done`);
        end({ outcome: typeof outcome === 'string' ? outcome : ((outcome as { kind?: string } | undefined)?.kind ?? 'done') });
      } catch (err) {
        end({ outcome: 'error' });
        throw err;
      }
    });
  };

  app.on('push', async (context) => {
    const { payload } = context;
    if (!payload.ref.startsWith('refs/tags/') || !payload.created || payload.repository.archived) return;
    const tag = payload.ref.slice('refs/tags/'.length);
    const repo = releaseRepo(payload.repository as RepositoryPayload);
    run(context, `release:${repo.owner}/${repo.repo}:${tag}`, 'open-release', () => openRelease(context.octokit, repo, tag, { secret }));
  });

  app.on('issue_comment.created', async (context) => {
    const { issue, comment, repository } = context.payload;
    if (repository.archived || comment.user?.type === 'Bot' || !comment.body.trimStart().includes('/')) return;
    const repo = releaseRepo(repository as RepositoryPayload);
    run(context, `comment:${comment.id}`, 'release-command', () =>
      handleReleaseComment(context.octokit, { repo, issue: issue as never, comment: { id: comment.id, body: comment.body, user: { login: comment.user!.login, type: comment.user!.type } } }, { secret }),
    );
  });

  app.on('deployment_status.created', async (context) => {
    const { deployment, deployment_status: status, repository } = context.payload;
    const repo = releaseRepo(repository as RepositoryPayload);
    run(context, `deployment:${deployment.id}`, 'deployment-status', () =>
      handleDeploymentStatus(context.octokit, { repo, deployment: { id: deployment.id, sha: deployment.sha, ref: deployment.ref, environment: deployment.environment, payload: deployment.payload }, status }, { secret }),
    );
  });

  app.on('deployment_protection_rule.requested', async (context) => {
    const { payload } = context;
    if (!payload.deployment || !payload.environment || !payload.deployment_callback_url || !payload.repository) return;
    const repo = releaseRepo(payload.repository as RepositoryPayload);
    const deployment = payload.deployment;
    run(context, `protection:${deployment.id}`, 'protection-rule', () =>
      handleProtectionRule(context.octokit, { repo, environment: payload.environment!, deployment: { id: deployment.id, sha: deployment.sha, ref: deployment.ref, environment: deployment.environment, payload: deployment.payload }, callbackUrl: payload.deployment_callback_url! }, { secret }),
    );
  });

  app.on('release.published', async (context) => {
    const { release, repository } = context.payload;
    const repo = releaseRepo(repository as RepositoryPayload);
    run(context, `published:${release.id}`, 'release-published', () => handleReleasePublished(context.octokit, repo, release, { secret }));
  });
}
