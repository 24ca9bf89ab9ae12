/**
 * Webhook payloads as GitHub sends them: real examples from @octokit/webhooks-examples, pointed at the
 * simulator's repositories and state (pull requests, tags, comments, deployments, releases). Used by the
 * demo, the e2e tests and the benchmark.
 */
import { createRequire } from 'node:module';
import type { GitHubModel, Repo } from './model.js';

const require = createRequire(import.meta.url);
const all = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{
  name: string;
  examples: Array<Record<string, any>>;
}>;

export function example(name: string, action?: string): Record<string, any> {
  const found = all.find((e) => e.name === name)?.examples.find((x) => action === undefined || x.action === action);
  if (!found) throw new Error(`no example payload for ${name}.${action}`);
  return structuredClone(found);
}

/** Point a payload's repository at owner/repo and give it an installation. */
export function forRepo(payload: Record<string, any>, owner: string, repo: string): Record<string, any> {
  payload.repository = {
    ...payload.repository,
    name: repo,
    full_name: `${owner}/${repo}`,
    owner: { ...payload.repository.owner, login: owner },
    archived: false,
    default_branch: 'main',
  };
  payload.installation = { id: 42, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=' };
  return payload;
}

/** An example payload pointed at a repository of the simulator. */
export const withRepo = (payload: Record<string, any>, repo: Repo) => {
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
  p.pull_request = {
    ...p.pull_request,
    number,
    head: { ...p.pull_request.head, sha: pr.head },
    base: { ...p.pull_request.base, sha: pr.base },
  };
  return p;
}

export function tagPush(repo: Repo, tag: string) {
  const p = withRepo(example('push'), repo);
  const sha = repo.tags.get(tag)!.sha;
  return Object.assign(p, { ref: `refs/tags/${tag}`, before: '0'.repeat(40), after: sha, created: true, deleted: false, base_ref: null });
}

export function commentOn(
  model: GitHubModel,
  repo: Repo,
  issueNumber: number,
  body: string,
  login: string,
  options: { bot?: boolean; action?: 'created' | 'edited' } = {},
) {
  const issue = repo.issues.find((i) => i.number === issueNumber)!;
  const p = withRepo(example('issue_comment', options.action ?? 'created'), repo);
  const id = model.id();
  repo.comments.push({ id, issue: issueNumber, body, user: login });
  p.issue = {
    ...p.issue,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    labels: issue.labels.map((name) => ({ name })),
    milestone: issue.milestone
      ? { number: issue.milestone, title: repo.milestones.find((m) => m.number === issue.milestone)?.title }
      : null,
    pull_request: undefined,
  };
  p.comment = { ...p.comment, id, body, user: { ...p.comment.user, login, type: options.bot ? 'Bot' : 'User' } };
  return p;
}

export function deploymentStatus(model: GitHubModel, repo: Repo, deploymentId: number, state: string) {
  const d = repo.deployments.find((x) => x.id === deploymentId)!;
  const status = { id: model.id(), state, target_url: `https://ci.example.org/deploy/${deploymentId}/log` };
  d.statuses.push(status);
  const p = withRepo(example('deployment_status', 'created'), repo);
  p.deployment = {
    ...p.deployment,
    id: d.id,
    sha: d.sha,
    ref: d.ref,
    environment: d.environment,
    payload: d.payload,
    creator: { ...p.deployment.creator, login: d.creator ?? 'shipshape[bot]', type: 'Bot' },
  };
  p.deployment_status = {
    ...p.deployment_status,
    id: status.id,
    state,
    target_url: status.target_url,
    log_url: status.target_url,
    environment: d.environment,
    description: state === 'failure' ? 'dbt build failed on model fact_absences' : null,
  };
  return p;
}
