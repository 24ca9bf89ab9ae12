/** Deployments of a release: a GitHub deployment of the tag's commit, or a workflow_dispatch on the tag ref. */
import type { GitHub } from './client.js';
import { repoOf, type RepoRef } from './issues.js';

const ACTIVE = new Set(['queued', 'pending', 'in_progress']);

/** The deployment in progress on an environment, described for a refusal, or undefined when it is free. */
export async function busyDeployment(octokit: GitHub, r: RepoRef, environment: string): Promise<string | undefined> {
  const { data: deployments } = await octokit.request('GET /repos/{owner}/{repo}/deployments', { ...repoOf(r), environment, per_page: 1 });
  const latest = deployments[0];
  if (!latest) return undefined;
  const { data: statuses } = await octokit.request('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
    ...repoOf(r),
    deployment_id: Number(latest.id),
    per_page: 1,
  });
  const state = statuses[0]?.state ?? 'pending';
  const tag = (latest.payload as { tag?: unknown } | null)?.tag;
  return ACTIVE.has(state) ? `deployment ${latest.id} of ${typeof tag === 'string' ? tag : latest.ref} (${state})` : undefined;
}

/**
 * A deployment of the exact commit (never the tag name, which could move), with the tag in its payload.
 * `version` is the release whose issue hears of it: for a rollback, the current release, not the one deployed.
 */
export async function createDeployment(
  octokit: GitHub,
  r: RepoRef,
  d: { sha: string; tag: string; environment: string; version: string; issue: number; production: boolean; rollback: boolean },
): Promise<number> {
  const res = await octokit.request('POST /repos/{owner}/{repo}/deployments', {
    ...repoOf(r),
    ref: d.sha,
    environment: d.environment,
    auto_merge: false,
    required_contexts: [],
    payload: { version: d.version, tag: d.tag, release_issue: d.issue, ...(d.rollback ? { rollback: true } : {}) },
    description: d.rollback
      ? `Rollback of ${d.environment} to ${d.tag} (Shipshape, release ${d.version})`
      : `Release ${d.version} to ${d.environment} (Shipshape)`,
    production_environment: d.production,
  });
  if (res.status !== 201 || !('id' in res.data)) throw new Error(`GitHub did not create the deployment: ${JSON.stringify(res.data)}`);
  return Number(res.data.id);
}

/**
 * Dispatch the deploy workflow on the tag; returns the run it started (GitHub returns its details when
 * asked; a server that does not is asked for the newest dispatched run of that workflow on the tag).
 */
export async function dispatchWorkflow(
  octokit: GitHub,
  r: RepoRef,
  d: { workflow: string; tag: string; environment: string; version: string },
): Promise<{ runId: number; url: string } | undefined> {
  const res = await octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
    ...repoOf(r),
    workflow_id: d.workflow,
    ref: d.tag,
    inputs: { version: d.version, environment: d.environment },
    return_run_details: true,
  });
  const details = res.data as { workflow_run_id?: number; html_url?: string } | undefined;
  if (details?.workflow_run_id && details.html_url) return { runId: details.workflow_run_id, url: details.html_url };
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
    ...repoOf(r),
    workflow_id: d.workflow,
    event: 'workflow_dispatch',
    branch: d.tag,
    per_page: 1,
  });
  const run = data.workflow_runs[0];
  return run ? { runId: Number(run.id), url: run.html_url } : undefined;
}

/** Answer a deployment protection rule (the run id comes from the callback URL of the event). */
export async function reviewProtectionRule(
  octokit: GitHub,
  r: RepoRef,
  callbackUrl: string,
  answer: { environment: string; approve: boolean; comment: string },
): Promise<void> {
  const runId = /\/actions\/runs\/(\d+)\//.exec(callbackUrl)?.[1];
  if (!runId) throw new Error(`cannot find the run id in ${callbackUrl}`);
  await octokit.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule', {
    ...repoOf(r),
    run_id: Number(runId),
    environment_name: answer.environment,
    state: answer.approve ? 'approved' : 'rejected',
    comment: answer.comment,
  });
}
