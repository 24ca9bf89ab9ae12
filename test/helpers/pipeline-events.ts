/** workflow_run webhooks from @octokit/webhooks-examples, filled with a run of the simulator. */
import type { GitHubModel, Repo, WorkflowRun } from '../../sim/model.js';
import { runJson, workflowJson } from '../../sim/workflows.js';
import { example, forRepo } from './examples.js';

export function workflowRunEvent(model: GitHubModel, repo: Repo, run: WorkflowRun) {
  const p = forRepo(example('workflow_run', 'completed'), repo.owner, repo.name);
  p.repository.html_url = `https://github.com/${repo.owner}/${repo.name}`;
  p.repository.default_branch = repo.defaultBranch;
  const json = runJson(model, repo, run, 'https://api.github.com', 'https://github.com');
  p.workflow = { ...p.workflow, ...workflowJson(model, repo, run.path, 'https://api.github.com', 'https://github.com') };
  p.workflow_run = { ...p.workflow_run, ...json, repository: p.repository, head_repository: p.repository };
  return p;
}

/** An issue comment on any issue of `repo` (created in the model first, so replies have somewhere to go). */
export function openIssue(model: GitHubModel, repo: Repo, title: string) {
  const issue = {
    number: repo.issues.length + 1,
    title,
    body: '',
    state: 'open' as const,
    labels: [],
    assignees: [],
    user: 'ana',
    created_at: model.now(),
  };
  repo.issues.push(issue);
  return issue;
}
