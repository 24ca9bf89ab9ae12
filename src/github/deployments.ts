/** Deployments of a release: a GitHub deployment of the tag, or a workflow_dispatch on the tag ref. */
import type { GitHub } from './client.js';
import { repoOf, type RepoRef } from './issues.js';

const ACTIVE = new Set(['queued', 'pending', 'in_progress']);

/** The deployment in progress on an environment, described for a refusal, or undefined when it is free. */
export async function busyDeployment(octokit: GitHub, r: RepoRef, environment: string): Promise<string | undefined> {
  const { data: deployments } = await octokit.request('GET /repos/{owner}/{repo}/deployments', { ...repoOf(r), environment, per_page: 1 });
  const latest = deployments[0];
  if (!latest) return undefined;
  const { data: statuses } = await octokit.request('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { ...repoOf(r), deployment_id: Number(latest.id), per_page: 1 });
  const state = statuses[0]?.state ?? 'pending';
  return ACTIVE.has(state) ? `deployment ${latest.id} of ${latest.ref} (${state})` : undefined;
}

export async function createDeployment(octokit: GitHub, r: RepoRef, d: { tag: string; environment: string; version: string; issue: number; production: boolean }): Promise<number> {
  const res = await octokit.request('POST /repos/{owner}/{repo}/deployments', {
    ...repoOf(r),
    ref: d.tag,
    environment: d.environment,
    auto_merge: false,
    required_contexts: [],
    payload: { version: d.version, release_issue: d.issue },
    description: `Release ${d.version} to ${d.environment} (Shipshape)`,
    production_environment: d.production,
  });
  if (res.status !== 201 || !('id' in res.data)) throw new Error(`GitHub did not create the deployment: ${JSON.stringify(res.data)}`);
  return Number(res.data.id);
}

export async function dispatchWorkflow(octokit: GitHub, r: RepoRef, d: { workflow: string; tag: string; environment: string; version: string }): Promise<void> {
  await octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', { ...repoOf(r), workflow_id: d.workflow, ref: d.tag, inputs: { version: d.version, environment: d.environment } });
}

/** Answer a deployment protection rule (the run id comes from the callback URL of the event). */
export async function reviewProtectionRule(octokit: GitHub, r: RepoRef, callbackUrl: string, answer: { environment: string; approve: boolean; comment: string }): Promise<void> {
  const runId = /\/actions\/runs\/(\d+)\//.exec(callbackUrl)?.[1];
  if (!runId) throw new Error(`cannot find the run id in ${callbackUrl}`);
  await octokit.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule', { ...repoOf(r), run_id: Number(runId), environment_name: answer.environment, state: answer.approve ? 'approved' : 'rejected', comment: answer.comment });
}
