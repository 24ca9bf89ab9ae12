/**
 * Webhooks of the release process. Each event has one mapper from GitHub's payload type (as
 * @octokit/webhooks declares it, through Probot) to what its flow needs; the work is queued with a
 * release store built for that job.
 */
import type { Context, Probot } from 'probot';
import {
  handleChecksCompleted,
  handleDeploymentStatus,
  handleProtectionRule,
  handleReleasePublished,
  type ProtectionEvent,
  type StatusEvent,
} from '../flows/deployment-events.js';
import { openRelease } from '../flows/open-release.js';
import { handleReleaseComment, type CommentEvent } from '../flows/release-commands.js';
import { ReleaseStore, type ReleaseRepo } from '../flows/release-store.js';
import type { DeploymentState, StateKeys } from '../release/state.js';
import type { GitHub } from '../github/client.js';
import type { Log } from '../flows/outcome.js';
import { backgroundRunner } from './background.js';
import type { UserBudget } from '../ops/user-budget.js';
import type { WorkQueue } from '../ops/work-queue.js';

type PushPayload = Context<'push'>['payload'];
type CommentPayload = Context<'issue_comment.created'>['payload'];
type StatusPayload = Context<'deployment_status.created'>['payload'];
type ProtectionPayload = Context<'deployment_protection_rule.requested'>['payload'];
type PublishedPayload = Context<'release.published'>['payload'];
type ChecksPayload = Context<'check_suite.completed'>['payload'] | Context<'check_run.completed'>['payload'];
type Repository = PushPayload['repository'] | CommentPayload['repository'];

export function releaseRepo(
  repository: Pick<Repository, 'name' | 'html_url' | 'default_branch'> & { owner: { login: string } | null },
): ReleaseRepo {
  return { owner: repository.owner!.login, repo: repository.name, htmlUrl: repository.html_url, defaultBranch: repository.default_branch };
}

/** A new tag (not a branch, not a deletion) in a live repository. */
export function fromTagPush(p: PushPayload): { repo: ReleaseRepo; tag: string } | undefined {
  if (!p.ref.startsWith('refs/tags/') || !p.created || p.repository.archived) return undefined;
  return { repo: releaseRepo(p.repository), tag: p.ref.slice('refs/tags/'.length) };
}

/** A new comment by a person that may hold a command. */
export function fromComment(p: CommentPayload): { repo: ReleaseRepo; event: CommentEvent } | undefined {
  const { issue, comment, repository } = p;
  if (repository.archived || !comment.user || comment.user.type === 'Bot' || !comment.body.includes('/')) return undefined;
  return {
    repo: releaseRepo(repository),
    event: {
      issue: { number: issue.number, body: issue.body, state: issue.state, html_url: issue.html_url, milestone: issue.milestone },
      comment: { id: comment.id, body: comment.body, user: { login: comment.user.login, type: comment.user.type } },
    },
  };
}

export function fromDeploymentStatus(p: StatusPayload): { repo: ReleaseRepo; event: StatusEvent } {
  const { deployment: d, deployment_status: s } = p;
  return {
    repo: releaseRepo(p.repository),
    event: {
      deployment: { id: d.id, sha: d.sha, ref: d.ref, environment: d.environment, payload: d.payload, creator: d.creator?.login },
      // The status's log first (the run's own page), then the older target_url, then the environment; GitHub sends "" for unset ones.
      status: {
        id: s.id,
        state: s.state as DeploymentState,
        url: [s.log_url, s.target_url, s.environment_url].find((u) => !!u) ?? undefined,
        description: s.description,
      },
    },
  };
}

export function fromProtectionRule(p: ProtectionPayload): { repo: ReleaseRepo; event: ProtectionEvent } | undefined {
  const { deployment: d, environment, deployment_callback_url: callbackUrl, repository } = p;
  if (!d || !environment || !callbackUrl) return undefined;
  return {
    repo: releaseRepo(repository),
    event: {
      environment,
      callbackUrl,
      deployment: { id: d.id, sha: d.sha, ref: d.ref, environment: d.environment, payload: d.payload, creator: d.creator?.login },
    },
  };
}

export function fromReleasePublished(p: PublishedPayload): {
  repo: ReleaseRepo;
  release: { tag_name: string; html_url: string; published_at: string | null };
} {
  return {
    repo: releaseRepo(p.repository),
    release: { tag_name: p.release.tag_name, html_url: p.release.html_url, published_at: p.release.published_at },
  };
}

export function fromCheckCompleted(p: ChecksPayload): { repo: ReleaseRepo; sha: string } | undefined {
  if (p.repository.archived) return undefined;
  return { repo: releaseRepo(p.repository), sha: 'check_suite' in p ? p.check_suite.head_sha : p.check_run.head_sha };
}

/** `budget`: how often a user without any role gets a 👎 (5 an hour, shared by every replica with Redis). */
export function registerReleaseHandlers(app: Probot, queue: WorkQueue, keys: StateKeys, budget: UserBudget): void {
  const run = backgroundRunner(app, queue);
  const store = (octokit: GitHub, repo: ReleaseRepo, log: Log) => new ReleaseStore(octokit, repo, keys, log);

  app.on('push', (context) => {
    const e = fromTagPush(context.payload);
    if (e)
      return run(context, `release:${e.repo.owner}/${e.repo.repo}:${e.tag}`, 'open-release', (octokit, log) =>
        openRelease(store(octokit, e.repo, log), e.tag),
      );
  });

  app.on('issue_comment.created', (context) => {
    const e = fromComment(context.payload);
    if (e)
      return run(context, `comment:${e.event.comment.id}`, 'release-command', (octokit, log) =>
        handleReleaseComment(store(octokit, e.repo, log), e.event, { budget }),
      );
  });

  app.on('deployment_status.created', (context) => {
    const e = fromDeploymentStatus(context.payload);
    return run(context, `deployment:${e.event.deployment.id}`, 'deployment-status', (octokit, log) =>
      handleDeploymentStatus(store(octokit, e.repo, log), e.event),
    );
  });

  app.on('deployment_protection_rule.requested', (context) => {
    const e = fromProtectionRule(context.payload);
    if (e)
      return run(context, `protection:${e.event.deployment.id}:${e.event.environment}`, 'protection-rule', (octokit, log) =>
        handleProtectionRule(store(octokit, e.repo, log), e.event),
      );
  });

  app.on('release.published', (context) => {
    const e = fromReleasePublished(context.payload);
    return run(context, `published:${context.payload.release.id}`, 'release-published', (octokit, log) =>
      handleReleasePublished(store(octokit, e.repo, log), e.release),
    );
  });

  app.on(['check_suite.completed', 'check_run.completed'], (context) => {
    const e = fromCheckCompleted(context.payload);
    if (e)
      return run(context, `checks:${e.repo.owner}/${e.repo.repo}@${e.sha}`, 'release-checks', (octokit, log) =>
        handleChecksCompleted(store(octokit, e.repo, log), e.sha),
      );
  });
}
