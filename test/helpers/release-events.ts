/** Webhook payloads for pull requests and the release story, built on @octokit/webhooks-examples and the simulator's state. */
import type { GitHubModel, Repo } from '../../sim/model.js';
import { example, withRepo } from '../../sim/events.js';

// The events the demo plays too live beside the simulator; the ones only tests need are below.
export { commentOn, deploymentStatus, pullRequestEvent, tagPush } from '../../sim/events.js';

/** A deployment made by someone else (a CD pipeline's app), as GitHub would record it. */
export function cdDeployment(model: GitHubModel, repo: Repo, d: { environment: string; ref: string; creator?: string }) {
  const sha = model.resolve(repo, d.ref)!.sha;
  const deployment = {
    id: model.id(),
    ref: d.ref,
    sha,
    environment: d.environment,
    payload: {},
    creator: d.creator ?? 'cd-pipeline[bot]',
    statuses: [],
  };
  repo.deployments.push(deployment);
  return deployment;
}

/** There is no example of this event in @octokit/webhooks-examples; its shape follows @octokit/openapi-webhooks. */
export function protectionRule(repo: Repo, environment: string, ref: string, sha: string, runId = 4242, payload: object = {}) {
  return {
    action: 'requested',
    environment,
    event: 'deployment',
    deployment_callback_url: `https://api.github.com/repos/${repo.owner}/${repo.name}/actions/runs/${runId}/deployment_protection_rule`,
    deployment: {
      id: 777,
      sha,
      ref,
      environment,
      payload,
      url: 'x',
      node_id: 'x',
      task: 'deploy',
      original_environment: environment,
      description: null,
      creator: null,
      created_at: '',
      updated_at: '',
      statuses_url: '',
      repository_url: '',
    },
    repository: withRepo(example('push'), repo).repository,
    installation: { id: 42, node_id: 'x' },
  };
}

export function releasePublished(repo: Repo, tag: string) {
  const p = withRepo(example('release', 'published'), repo);
  const r = repo.releases.find((x) => x.tag_name === tag);
  p.release = {
    ...p.release,
    id: r?.id ?? 1,
    tag_name: tag,
    html_url: `https://github.com/${repo.owner}/${repo.name}/releases/tag/${tag}`,
    published_at: '2026-11-25T12:00:00Z',
  };
  return p;
}

/** A check suite completed on a commit (any app's CI). */
export function checkSuiteCompleted(repo: Repo, sha: string, conclusion: string) {
  const p = withRepo(example('check_suite', 'completed'), repo);
  p.check_suite = { ...p.check_suite, head_sha: sha, status: 'completed', conclusion, pull_requests: [] };
  return p;
}
