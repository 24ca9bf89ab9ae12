/** Webhook payloads for pull requests and the release story, built on @octokit/webhooks-examples and the simulator's state. */
import type { GitHubModel, Repo } from '../../src/sim/model.js';
import { example, forRepo } from './examples.js';

const withRepo = (payload: Record<string, any>, repo: Repo) => {
  const p = forRepo(payload, repo.owner, repo.name);
  p.repository.html_url = `https://github.com/${repo.owner}/${repo.name}`;
  p.repository.default_branch = repo.defaultBranch;
  return p;
};

/** A pull_request event for a pull request of the simulator (its head and base from the model). */
export function pullRequestEvent(repo: Repo, number: number, action: string, installation = 42) {
  const pr = repo.issues.find((i) => i.number === number)!.pull_request!;
  const p = withRepo(example('pull_request', action), repo);
  p.installation.id = installation;
  p.number = number;
  p.pull_request = { ...p.pull_request, number, head: { ...p.pull_request.head, sha: pr.head }, base: { ...p.pull_request.base, sha: pr.base } };
  return p;
}

export function tagPush(repo: Repo, tag: string) {
  const p = withRepo(example('push'), repo);
  const sha = repo.tags.get(tag)!.sha;
  return Object.assign(p, { ref: `refs/tags/${tag}`, before: '0'.repeat(40), after: sha, created: true, deleted: false, base_ref: null });
}

export function commentOn(model: GitHubModel, repo: Repo, issueNumber: number, body: string, login: string, options: { bot?: boolean; action?: 'created' | 'edited' } = {}) {
  const issue = repo.issues.find((i) => i.number === issueNumber)!;
  const p = withRepo(example('issue_comment', options.action ?? 'created'), repo);
  const id = model.id();
  repo.comments.push({ id, issue: issueNumber, body, user: login });
  p.issue = { ...p.issue, number: issue.number, title: issue.title, body: issue.body, state: issue.state, labels: issue.labels.map((name) => ({ name })), milestone: issue.milestone ? { number: issue.milestone, title: repo.milestones.find((m) => m.number === issue.milestone)?.title } : null, pull_request: undefined };
  p.comment = { ...p.comment, id, body, user: { ...p.comment.user, login, type: options.bot ? 'Bot' : 'User' } };
  return p;
}

/** A deployment made by someone else (a CD pipeline's app), as GitHub would record it. */
export function cdDeployment(model: GitHubModel, repo: Repo, d: { environment: string; ref: string; creator?: string }) {
  const sha = model.resolve(repo, d.ref)!.sha;
  const deployment = { id: model.id(), ref: d.ref, sha, environment: d.environment, payload: {}, creator: d.creator ?? 'cd-pipeline[bot]', statuses: [] };
  repo.deployments.push(deployment);
  return deployment;
}

export function deploymentStatus(model: GitHubModel, repo: Repo, deploymentId: number, state: string) {
  const d = repo.deployments.find((x) => x.id === deploymentId)!;
  const status = { id: model.id(), state, target_url: `https://ci.example.org/deploy/${deploymentId}/log` };
  d.statuses.push(status);
  const p = withRepo(example('deployment_status', 'created'), repo);
  p.deployment = { ...p.deployment, id: d.id, sha: d.sha, ref: d.ref, environment: d.environment, payload: d.payload, creator: { ...p.deployment.creator, login: d.creator ?? 'shipshape[bot]', type: 'Bot' } };
  p.deployment_status = { ...p.deployment_status, id: status.id, state, target_url: status.target_url, log_url: status.target_url, environment: d.environment, description: state === 'failure' ? 'dbt build failed on model fact_absences' : null };
  return p;
}

/** There is no example of this event in @octokit/webhooks-examples; its shape follows @octokit/openapi-webhooks. */
export function protectionRule(repo: Repo, environment: string, ref: string, sha: string, runId = 4242) {
  return {
    action: 'requested',
    environment,
    event: 'deployment',
    deployment_callback_url: `https://api.github.com/repos/${repo.owner}/${repo.name}/actions/runs/${runId}/deployment_protection_rule`,
    deployment: { id: 777, sha, ref, environment, payload: {}, url: 'x', node_id: 'x', task: 'deploy', original_environment: environment, description: null, creator: null, created_at: '', updated_at: '', statuses_url: '', repository_url: '' },
    repository: withRepo(example('push'), repo).repository,
    installation: { id: 42, node_id: 'x' },
  };
}

export function releasePublished(repo: Repo, tag: string) {
  const p = withRepo(example('release', 'published'), repo);
  const r = repo.releases.find((x) => x.tag_name === tag);
  p.release = { ...p.release, id: r?.id ?? 1, tag_name: tag, html_url: `https://github.com/${repo.owner}/${repo.name}/releases/tag/${tag}`, published_at: '2026-11-25T12:00:00Z' };
  return p;
}

/** A check suite completed on a commit (any app's CI). */
export function checkSuiteCompleted(repo: Repo, sha: string, conclusion: string) {
  const p = withRepo(example('check_suite', 'completed'), repo);
  p.check_suite = { ...p.check_suite, head_sha: sha, status: 'completed', conclusion, pull_requests: [] };
  return p;
}
