/** Issues, milestones, labels, comments and reactions: the release issue's GitHub side. */
import type { GitHub } from './client.js';
import { answered } from './errors.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

/** Only owner and repo: Octokit sends every other parameter of a request in its body. */
export const repoOf = (r: RepoRef): RepoRef => ({ owner: r.owner, repo: r.repo });

/** Create the label if missing (422 means it exists). */
export async function ensureLabel(octokit: GitHub, r: RepoRef, name: string, color: string, description: string): Promise<void> {
  try {
    await octokit.request('POST /repos/{owner}/{repo}/labels', { ...repoOf(r), name, color, description });
  } catch (err) {
    if (!answered(err, 422)) throw err;
  }
}

export interface Milestone {
  number: number;
  created_at: string;
  state: string;
}

/**
 * The milestone titled `title`, created if missing. GitHub refuses a second milestone with the same
 * title (422), which makes it the unique marker of a release: `created` says whether we made it.
 */
export async function findOrCreateMilestone(
  octokit: GitHub,
  r: RepoRef,
  title: string,
  description: string,
): Promise<{ milestone: Milestone; created: boolean }> {
  try {
    const { data } = await octokit.request('POST /repos/{owner}/{repo}/milestones', { ...repoOf(r), title, description });
    return { milestone: data, created: true };
  } catch (err) {
    if (!answered(err, 422)) throw err;
  }
  const milestone = await findMilestone(octokit, r, title);
  if (!milestone) throw new Error(`milestone ${title} exists but could not be listed`);
  return { milestone, created: false };
}

export async function findMilestone(octokit: GitHub, r: RepoRef, title: string): Promise<Milestone | undefined> {
  for await (const { data } of octokit.paginate.iterator('GET /repos/{owner}/{repo}/milestones', {
    ...repoOf(r),
    state: 'all',
    per_page: 100,
  })) {
    const found = data.find((m) => m.title === title);
    if (found) return found;
  }
  return undefined;
}

export interface IssueRef {
  number: number;
  body?: string | null;
  state: string;
  html_url: string;
  milestone?: { number: number } | null;
}

/** The release issue of a milestone (listed, not searched: search lags behind new issues). */
export async function issueOfMilestone(octokit: GitHub, r: RepoRef, milestone: number, label: string): Promise<IssueRef | undefined> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues', {
    ...repoOf(r),
    milestone: String(milestone),
    labels: label,
    state: 'all',
    per_page: 10,
  });
  return data.filter((i) => !i.pull_request).sort((a, b) => a.number - b.number)[0];
}

/** Open issues with a label (a handful of releases in progress at most; one page of 100 is plenty). */
export async function openIssuesLabelled(octokit: GitHub, r: RepoRef, label: string): Promise<IssueRef[]> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues', { ...repoOf(r), labels: label, state: 'open', per_page: 100 });
  return data.filter((i) => !i.pull_request);
}

/** An issue as it is now (a webhook's copy of the body may be older than the last state written). */
export async function getIssue(octokit: GitHub, r: RepoRef, number: number): Promise<IssueRef> {
  return (await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { ...repoOf(r), issue_number: number })).data;
}

export async function createIssue(
  octokit: GitHub,
  r: RepoRef,
  issue: { title: string; body: string; labels: string[]; milestone: number; assignees: string[] },
): Promise<IssueRef> {
  return (await octokit.request('POST /repos/{owner}/{repo}/issues', { ...repoOf(r), ...issue })).data;
}

export async function updateIssue(
  octokit: GitHub,
  r: RepoRef,
  number: number,
  fields: { body?: string; state?: 'open' | 'closed'; state_reason?: 'completed' },
): Promise<void> {
  await octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...repoOf(r), issue_number: number, ...fields });
}

export async function closeMilestone(octokit: GitHub, r: RepoRef, number: number): Promise<void> {
  await octokit.request('PATCH /repos/{owner}/{repo}/milestones/{milestone_number}', {
    ...repoOf(r),
    milestone_number: number,
    state: 'closed',
  });
}

export async function comment(octokit: GitHub, r: RepoRef, issue: number, body: string): Promise<void> {
  await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repoOf(r), issue_number: issue, body });
}

export type Reaction = '+1' | '-1' | 'laugh' | 'confused' | 'heart' | 'hooray' | 'rocket' | 'eyes';

/**
 * React to a comment. GitHub answers 200 instead of 201 when this app already left that reaction,
 * which tells a redelivered command from a new one.
 */
export async function react(octokit: GitHub, r: RepoRef, commentId: number, content: Reaction): Promise<{ id: number; isNew: boolean }> {
  const res = await octokit.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
    ...repoOf(r),
    comment_id: commentId,
    content,
  });
  return { id: res.data.id, isNew: res.status === 201 };
}

export async function unreact(octokit: GitHub, r: RepoRef, commentId: number, reactionId: number): Promise<void> {
  await octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions/{reaction_id}', {
    ...repoOf(r),
    comment_id: commentId,
    reaction_id: reactionId,
  });
}
