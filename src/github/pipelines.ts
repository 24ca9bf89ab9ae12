/**
 * The GitHub side of pipelines: the org's configuration, the workflow files of the steps' repositories,
 * workflow runs and dispatches, the stop issue, and the record of which run started which step.
 */
import { CONFIG_PATH, type ConfigError } from '../config/load.js';
import type { ShipshapeConfig } from '../config/schema.js';
import type { PipelineStep } from '../pipelines/config.js';
import type { LastRun } from '../pipelines/status.js';
import type { RepositoryFacts } from '../pipelines/validate.js';
import { readDispatchTrigger } from '../pipelines/workflow-file.js';
import { governingConfig } from './config-source.js';
import { graphqlAllowingNotFound, type GitHub } from './client.js';
import { findRecord } from './check-records.js';
import { repositoriesQuery } from './graphql-batch.js';
import { repoOf, type RepoRef } from './issues.js';
import { blobContent, readFileAt } from './repo-files.js';

export const STOP_LABEL = 'pipeline';
const status = (err: unknown) => (err as { status?: number }).status;

export type OrgConfig =
  { kind: 'absent' } | { kind: 'invalid'; errors: ConfigError[] } | { kind: 'ok'; config: ShipshapeConfig; text: string };

/**
 * The org's `.github/shipshape.yml` at its default branch, its own `_extends` followed (an API failure
 * throws: it is never "no config"). `enabled: false` there turns off checks, not the org's pipelines.
 */
export async function readOrgConfig(octokit: GitHub, owner: string): Promise<OrgConfig> {
  const content = await readFileAt(octokit, owner, '.github', `HEAD:${CONFIG_PATH}`);
  if (!content) return { kind: 'absent' };
  const outcome = await governingConfig(octokit, owner, { org: content });
  if (outcome.kind === 'invalid') return { kind: 'invalid', errors: outcome.errors };
  if (outcome.kind === 'absent' || content.kind !== 'text') return { kind: 'absent' };
  return { kind: 'ok', config: outcome.config, text: content.text };
}

/**
 * The default branch and the named workflow files of several repositories, in one GraphQL query. A
 * repository the installation cannot see (missing, or the app not installed there) is `reachable: false`.
 */
export async function repositoryFacts(
  octokit: GitHub,
  owner: string,
  wanted: Map<string, Set<string>>,
): Promise<Map<string, RepositoryFacts>> {
  const facts = new Map<string, RepositoryFacts>();
  const repos = [...wanted.entries()];
  if (repos.length === 0) return facts;
  const { query, variables } = repositoriesQuery(
    repos.map(([repo, workflows]) => ({ owner, repo, workflows })),
    ({ workflows }, r, variable) => {
      const files = [...workflows].map((w, f) => {
        const e = variable(`e${r}_${f}`, `HEAD:.github/workflows/${w}`);
        return `w${f}: object(expression: $${e}) { ... on Blob { text isBinary byteSize isTruncated } }`;
      });
      return `defaultBranchRef { name } ${files.join(' ')}`;
    },
  );
  type Node = { defaultBranchRef: { name: string } | null } & Record<string, unknown>;
  const data = await graphqlAllowingNotFound<Record<string, Node | null>>(octokit, query, variables);
  repos.forEach(([name, workflows], r) => {
    const node = data[`r${r}`];
    if (!node) return facts.set(name.toLowerCase(), { reachable: false });
    const files: Record<string, ReturnType<typeof readDispatchTrigger> | undefined> = {};
    [...workflows].forEach((w, f) => {
      const content = blobContent(node[`w${f}`] as never);
      files[w] = !content
        ? undefined
        : content.kind === 'text'
          ? readDispatchTrigger(content.text)
          : { ok: false, error: content.kind === 'binary' ? 'it is not text' : 'it is larger than 1 MB' };
    });
    facts.set(name.toLowerCase(), { reachable: true, defaultBranch: node.defaultBranchRef?.name ?? 'main', workflows: files });
  });
  return facts;
}

/** Which repositories and workflow files a set of steps needs facts about. */
export function wantedFiles(steps: PipelineStep[]): Map<string, Set<string>> {
  const wanted = new Map<string, Set<string>>();
  for (const s of steps) wanted.set(s.repository, (wanted.get(s.repository) ?? new Set()).add(s.workflow));
  return wanted;
}

/** Start a workflow; GitHub answers with the new run when asked for its details. */
export async function dispatch(
  octokit: GitHub,
  r: RepoRef,
  workflow: string,
  ref: string,
  inputs: Record<string, string>,
): Promise<{ url?: string }> {
  const res = await octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
    ...repoOf(r),
    workflow_id: workflow,
    ref,
    inputs,
    return_run_details: true,
  });
  const data = res.data as { html_url?: string } | undefined;
  return { url: data?.html_url };
}

export async function lastRun(octokit: GitHub, r: RepoRef, workflow: string): Promise<LastRun> {
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
      ...repoOf(r),
      workflow_id: workflow,
      per_page: 1,
      exclude_pull_requests: true,
    });
    const run = data.workflow_runs[0];
    if (!run) return { kind: 'none' };
    return {
      kind: 'run',
      status: run.status ?? 'unknown',
      conclusion: run.conclusion,
      url: run.html_url,
      branch: run.head_branch,
      at: run.updated_at,
    };
  } catch (err) {
    if (status(err) === 404)
      return { kind: 'unreachable', reason: `${r.owner}/${r.repo} or its \`${workflow}\` is not visible to Shipshape` };
    throw err;
  }
}

/**
 * The open stop issue, found by listing (not search: search lags behind new issues) the open issues
 * carrying the pipeline label and comparing titles.
 */
export async function findStopIssue(octokit: GitHub, r: RepoRef, title: string): Promise<{ number: number; html_url: string } | undefined> {
  for await (const { data } of octokit.paginate.iterator('GET /repos/{owner}/{repo}/issues', {
    ...repoOf(r),
    labels: STOP_LABEL,
    state: 'open',
    per_page: 100,
  })) {
    const found = data.find((i) => !i.pull_request && i.title === title);
    if (found) return { number: found.number, html_url: found.html_url };
  }
  return undefined;
}

/**
 * The record that a run (and attempt) of an upstream step started the next step: a check run on the
 * upstream commit, named after the pipeline, whose external id is the run. GitHub keeps it, so a
 * redelivered event finds it whichever replica handles it. Its conclusions are all passing ones
 * (`neutral` claimed, `success` started, `skipped` refused), so the record never turns a commit red nor
 * holds up what waits for its checks (a release's "policy checks green"); the stop issue says what failed.
 */
export const recordName = (pipeline: string) => `shipshape/pipeline: ${pipeline}`;
const recordId = (runId: number, attempt: number) => `${runId}/${attempt}`;

export type DispatchRecord = { id: number; state: 'claimed' | 'dispatched' | 'failed'; url?: string };

/** Which record: the upstream repository, its commit, the pipeline, and the run (and attempt) that finished. */
export interface DispatchKey {
  r: RepoRef;
  sha: string;
  pipeline: string;
  runId: number;
  attempt: number;
}

export async function findDispatchRecord(
  octokit: GitHub,
  { r, sha, pipeline, runId, attempt }: DispatchKey,
): Promise<DispatchRecord | undefined> {
  const id = recordId(runId, attempt);
  const found = await findRecord(octokit, { ...repoOf(r), headSha: sha, name: recordName(pipeline), matches: (e) => e === id });
  if (!found) return undefined;
  const state = found.conclusion === 'success' ? 'dispatched' : found.conclusion === 'skipped' ? 'failed' : 'claimed';
  return { id: found.id, state, url: found.detailsUrl };
}

export async function claimDispatch(octokit: GitHub, { r, sha, pipeline, runId, attempt }: DispatchKey, target: string): Promise<number> {
  const { data } = await octokit.request('POST /repos/{owner}/{repo}/check-runs', {
    ...repoOf(r),
    name: recordName(pipeline),
    head_sha: sha,
    external_id: recordId(runId, attempt),
    status: 'completed',
    conclusion: 'neutral',
    completed_at: new Date().toISOString(),
    output: { title: `Starting ${target}`, summary: `Pipeline ${pipeline}: this run succeeded; Shipshape is starting ${target}.` },
  });
  return Number(data.id);
}

export async function settleDispatch(
  octokit: GitHub,
  r: RepoRef,
  recordId: number,
  outcome: { ok: true; target: string; url?: string } | { ok: false; target: string; reason: string },
): Promise<void> {
  await octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
    ...repoOf(r),
    check_run_id: recordId,
    status: 'completed',
    conclusion: outcome.ok ? 'success' : 'skipped',
    completed_at: new Date().toISOString(),
    ...(outcome.ok && outcome.url ? { details_url: outcome.url } : {}),
    output: outcome.ok
      ? { title: `Started ${outcome.target}`, summary: `Started ${outcome.target}${outcome.url ? `: ${outcome.url}` : ''}.` }
      : { title: `Could not start ${outcome.target}`, summary: outcome.reason },
  });
}

export async function openStopIssue(octokit: GitHub, r: RepoRef, title: string, body: string): Promise<number> {
  const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues', { ...repoOf(r), title, body, labels: [STOP_LABEL] });
  return data.number;
}
