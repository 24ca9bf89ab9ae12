/**
 * The one settings issue of a repository: found by its label (a listing, never search, which lags behind
 * new issues), reopened rather than duplicated, closed when all is well. The label is the unique marker:
 * GitHub creates it once (201, later 422), so of two replicas auditing at once only the one that created
 * it opens the issue, and the other waits for that issue to appear.
 */
import { AUDIT_ISSUE_TITLE, AUDIT_LABEL } from '../audit/report.js';
import type { GitHub } from './client.js';
import { repoOf, type IssueRef, type RepoRef } from './issues.js';

export type IssueOutcome = { kind: 'opened' | 'updated' | 'reopened' | 'closed' | 'unchanged'; issue: IssueRef } | { kind: 'none' };

export interface IssueOptions {
  /** How long another replica may take between creating the label and the issue. */
  raceGraceMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export async function findAuditIssue(octokit: GitHub, r: RepoRef): Promise<IssueRef | undefined> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues', {
    ...repoOf(r),
    labels: AUDIT_LABEL,
    state: 'all',
    per_page: 100,
  });
  return data.filter((i) => !i.pull_request && i.title === AUDIT_ISSUE_TITLE).sort((a, b) => a.number - b.number)[0];
}

/**
 * Keep the issue in step with the audit: `open` (or reopened) with `body` when out of policy, `closed`
 * when in policy, `keep` its state (only the body changes) when some checks could not be audited.
 */
export async function syncAuditIssue(
  octokit: GitHub,
  r: RepoRef,
  state: 'open' | 'closed' | 'keep',
  body: string,
  options: IssueOptions = {},
): Promise<IssueOutcome> {
  let issue = await findAuditIssue(octokit, r);
  if (!issue) {
    if (state !== 'open') return { kind: 'none' };
    const created = await createLabel(octokit, r);
    if (!created) issue = await waitForIssue(octokit, r, options);
    if (!issue)
      return {
        kind: 'opened',
        issue: (
          await octokit.request('POST /repos/{owner}/{repo}/issues', {
            ...repoOf(r),
            title: AUDIT_ISSUE_TITLE,
            body,
            labels: [AUDIT_LABEL],
          })
        ).data,
      };
  }
  const wanted = state === 'keep' ? (issue.state as 'open' | 'closed') : state;
  if (issue.state === wanted && (issue.body ?? '') === body) return { kind: 'unchanged', issue };
  const { data } = await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
    ...repoOf(r),
    issue_number: issue.number,
    body,
    state: wanted,
    ...(wanted === 'closed' ? { state_reason: 'completed' as const } : {}),
  });
  const kind = wanted === 'closed' ? (issue.state === 'closed' ? 'updated' : 'closed') : issue.state === 'closed' ? 'reopened' : 'updated';
  return { kind, issue: data };
}

async function createLabel(octokit: GitHub, r: RepoRef): Promise<boolean> {
  try {
    await octokit.request('POST /repos/{owner}/{repo}/labels', {
      ...repoOf(r),
      name: AUDIT_LABEL,
      color: 'd93f0b',
      description: 'Repository settings out of policy (Shipshape audit)',
    });
    return true;
  } catch (err) {
    if ((err as { status?: number }).status !== 422) throw err;
    return false;
  }
}

/** The label exists: another audit may be opening the issue right now. Wait for it, a few seconds at most. */
async function waitForIssue(octokit: GitHub, r: RepoRef, options: IssueOptions): Promise<IssueRef | undefined> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((res) => setTimeout(res, ms)));
  const grace = options.raceGraceMs ?? 3000;
  for (let waited = 0; waited < grace; waited += 1000) {
    await sleep(Math.min(1000, grace - waited));
    const issue = await findAuditIssue(octokit, r);
    if (issue) return issue;
  }
  return undefined; // nobody is opening it (the label was made by hand, or its issue deleted): open it ourselves
}

/** Carry out setting changes (fix mode); each request in order, stopping at the first refusal. */
export async function applySettingRequests(
  octokit: GitHub,
  r: RepoRef,
  requests: Array<{ route: string; params: Record<string, unknown>; describe: string }>,
): Promise<{ done: string[]; failed?: string }> {
  const done: string[] = [];
  for (const req of requests) {
    try {
      await octokit.request(req.route, { ...repoOf(r), ...req.params });
      done.push(req.describe);
    } catch (err) {
      const e = err as { status?: number; message?: string };
      return {
        done,
        failed:
          `${req.describe}: GitHub answered ${e.status ?? 'an error'}${e.status === 403 ? ' (the app lacks the Administration (write) permission)' : ''}: ${e.message ?? ''}`.trim(),
      };
    }
  }
  return { done };
}
