/**
 * GitHub Actions in the simulator: workflow files as GitHub lists them, runs as the REST API returns
 * them, and the checks GitHub makes before it accepts a workflow_dispatch. The workflow file is read here
 * with `yaml` directly (not with the app's own reader), so the tests do not grade the app by itself.
 */
import { parse } from 'yaml';
import type { GitHubModel, Repo, WorkflowRun } from './model.js';

const WORKFLOW_FILE = /^\.github\/workflows\/[^/]+\.ya?ml$/;

/** The workflow file a `{workflow_id}` names (its numeric id or its file name), on the default branch. */
export function workflowPath(model: GitHubModel, repo: Repo, workflowId: string): string | undefined {
  if (/^\d+$/.test(workflowId)) return [...repo.workflowIds].find(([, id]) => id === Number(workflowId))?.[0];
  const path = `.github/workflows/${workflowId}`;
  const files = model.resolve(repo, repo.defaultBranch)?.files;
  return files?.has(path) || repo.workflowIds.has(path) ? path : undefined;
}

export function workflowFiles(model: GitHubModel, repo: Repo): string[] {
  return [...(model.resolve(repo, repo.defaultBranch)?.files.keys() ?? [])].filter((p) => WORKFLOW_FILE.test(p));
}

export function workflowJson(model: GitHubModel, repo: Repo, path: string, apiBase: string, htmlBase: string) {
  const id = model.workflowId(repo, path);
  const text = model.resolve(repo, repo.defaultBranch)?.files.get(path);
  const name = (text && /^name:\s*["']?([^"'\n]+?)["']?\s*$/m.exec(text)?.[1]) || path;
  return {
    id,
    node_id: `W_${id}`,
    name,
    path,
    state: 'active',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    url: `${apiBase}/repos/${repo.owner}/${repo.name}/actions/workflows/${id}`,
    html_url: `${htmlBase}/${repo.owner}/${repo.name}/blob/${repo.defaultBranch}/${path}`,
    badge_url: `${htmlBase}/${repo.owner}/${repo.name}/workflows/${encodeURIComponent(name)}/badge.svg`,
  };
}

export function runJson(model: GitHubModel, repo: Repo, run: WorkflowRun, apiBase: string, htmlBase: string) {
  const api = `${apiBase}/repos/${repo.owner}/${repo.name}`;
  return {
    id: run.id,
    node_id: `WFR_${run.id}`,
    name: run.name,
    display_title: run.name,
    path: run.path,
    head_branch: run.head_branch,
    head_sha: run.head_sha,
    run_number: run.run_number,
    run_attempt: run.run_attempt,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: model.workflowId(repo, run.path),
    check_suite_id: run.id + 1,
    url: `${api}/actions/runs/${run.id}`,
    html_url: `${htmlBase}/${repo.owner}/${repo.name}/actions/runs/${run.id}`,
    created_at: run.created_at,
    updated_at: run.updated_at,
    run_started_at: run.created_at,
    pull_requests: [],
    jobs_url: `${api}/actions/runs/${run.id}/jobs`,
    logs_url: `${api}/actions/runs/${run.id}/logs`,
    workflow_url: `${api}/actions/workflows/${model.workflowId(repo, run.path)}`,
    head_commit: null,
    repository: { id: repo.id, name: repo.name, full_name: `${repo.owner}/${repo.name}`, owner: { login: repo.owner } },
  };
}

/**
 * What GitHub answers to a dispatch of the workflow at `path` on `ref` with `inputs`: undefined when it
 * accepts, else the status and message it refuses with.
 */
export function dispatchRefusal(text: string | undefined, inputs: Record<string, unknown> | undefined): [number, string] | undefined {
  if (text === undefined) return [404, 'Not Found'];
  let doc: any;
  try {
    doc = parse(text);
  } catch {
    return [422, 'Invalid workflow file'];
  }
  const on = doc?.on;
  const hasDispatch =
    on === 'workflow_dispatch' ||
    (Array.isArray(on) && on.includes('workflow_dispatch')) ||
    (on && typeof on === 'object' && 'workflow_dispatch' in on);
  if (!hasDispatch) return [422, "Workflow does not have 'workflow_dispatch' trigger"];
  const declared: Record<string, { required?: boolean; default?: unknown } | null> = on.workflow_dispatch?.inputs ?? {};
  const unexpected = Object.keys(inputs ?? {}).filter((k) => !(k in declared));
  if (unexpected.length) return [422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`];
  const missing = Object.entries(declared).find(([k, d]) => d?.required && d.default === undefined && (inputs ?? {})[k] === undefined);
  if (missing) return [422, `Required input '${missing[0]}' not provided`];
  return undefined;
}
