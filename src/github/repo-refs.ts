/** Tags, release notes material, tag creation and GitHub releases. */
import type { ReleaseNote } from '../release/issue-body.js';
import type { GitHub } from './client.js';
import { repoOf, type RepoRef } from './issues.js';

export interface TagInfo {
  name: string;
  /** The commit the tag points at. */
  sha: string;
  /** The annotation message of an annotated tag. */
  message?: string;
  date?: string;
}

type TagNode = { name: string; target: { __typename: string; oid: string; message?: string; committedDate?: string; target?: { oid: string; committedDate?: string } } };

/** The newest 100 tags by commit date, with their commits and messages, in one GraphQL query. */
export async function listTags(octokit: GitHub, r: RepoRef): Promise<TagInfo[]> {
  const query = `query($owner: String!, $repo: String!) { repository(owner: $owner, name: $repo) {
    refs(refPrefix: "refs/tags/", first: 100, orderBy: { field: TAG_COMMIT_DATE, direction: DESC }) { nodes { name target {
      __typename oid
      ... on Commit { committedDate }
      ... on Tag { message target { oid ... on Commit { committedDate } } } } } } } }`;
  const data = await octokit.graphql<{ repository: { refs: { nodes: TagNode[] } } }>(query, { owner: r.owner, repo: r.repo });
  return data.repository.refs.nodes.map((n) => {
    const annotated = n.target.__typename === 'Tag';
    return { name: n.name, sha: annotated ? (n.target.target?.oid ?? n.target.oid) : n.target.oid, message: annotated ? n.target.message?.trim() : undefined, date: annotated ? n.target.target?.committedDate : n.target.committedDate };
  });
}

/** Pull requests merged and issues closed in (since, until], for the release notes. */
export async function notesBetween(octokit: GitHub, r: RepoRef, since: string | undefined, until: string | undefined): Promise<ReleaseNote[]> {
  const query = `query($owner: String!, $repo: String!, $since: DateTime) { repository(owner: $owner, name: $repo) {
    pullRequests(states: MERGED, first: 100, orderBy: { field: UPDATED_AT, direction: DESC }) { nodes { number title mergedAt author { login } labels(first: 10) { nodes { name } } } }
    issues(states: CLOSED, first: 100, orderBy: { field: UPDATED_AT, direction: DESC }, filterBy: { since: $since }) { nodes { number title closedAt stateReason author { login } labels(first: 10) { nodes { name } } } } } }`;
  type Labels = { nodes: Array<{ name: string }> };
  type Data = { repository: { pullRequests: { nodes: Array<{ number: number; title: string; mergedAt: string; author: { login: string } | null; labels: Labels }> }; issues: { nodes: Array<{ number: number; title: string; closedAt: string; stateReason: string | null; author: { login: string } | null; labels: Labels }> } } };
  const data = await octokit.graphql<Data>(query, { ...repoOf(r), since: since ?? null });
  const inWindow = (at: string) => (!since || at > since) && (!until || at <= until);
  const prs = data.repository.pullRequests.nodes.filter((p) => inWindow(p.mergedAt)).map((p) => ({ number: p.number, title: p.title, author: p.author?.login, kind: 'pull request' as const, labels: p.labels.nodes.map((l) => l.name) }));
  const issues = data.repository.issues.nodes
    .filter((i) => inWindow(i.closedAt) && i.stateReason !== 'NOT_PLANNED' && !i.labels.nodes.some((l) => l.name === 'release'))
    .map((i) => ({ number: i.number, title: i.title, author: i.author?.login, kind: 'issue' as const, labels: i.labels.nodes.map((l) => l.name) }));
  return [...prs, ...issues].sort((a, b) => a.number - b.number);
}

export async function defaultBranchHead(octokit: GitHub, r: RepoRef): Promise<{ branch: string; sha: string }> {
  const { data: repo } = await octokit.request('GET /repos/{owner}/{repo}', { owner: r.owner, repo: r.repo });
  const { data: branch } = await octokit.request('GET /repos/{owner}/{repo}/branches/{branch}', { ...repoOf(r), branch: repo.default_branch });
  return { branch: repo.default_branch, sha: branch.commit.sha };
}

/** Create a lightweight tag; `false` when it already exists (422). */
export async function createTag(octokit: GitHub, r: RepoRef, tag: string, sha: string): Promise<boolean> {
  try {
    await octokit.request('POST /repos/{owner}/{repo}/git/refs', { ...repoOf(r), ref: `refs/tags/${tag}`, sha });
    return true;
  } catch (err) {
    if ((err as { status?: number }).status === 422) return false;
    throw err;
  }
}

/** The GitHub release of a tag, created when missing (so a redelivered /publish makes no second one). */
export async function ensureRelease(octokit: GitHub, r: RepoRef, release: { tag: string; name: string; body: string; prerelease: boolean }): Promise<string> {
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/releases/tags/{tag}', { ...repoOf(r), tag: release.tag });
    return data.html_url;
  } catch (err) {
    if ((err as { status?: number }).status !== 404) throw err;
  }
  const { data } = await octokit.request('POST /repos/{owner}/{repo}/releases', { ...repoOf(r), tag_name: release.tag, name: release.name, body: release.body, prerelease: release.prerelease });
  return data.html_url;
}

/** Whether the shipshape/policy check passed on a commit (for the checklist). */
export async function policyGreen(octokit: GitHub, r: RepoRef, sha: string): Promise<boolean> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { ...repoOf(r), ref: sha, check_name: 'shipshape/policy', per_page: 10 });
  const latest = [...data.check_runs].sort((a, b) => (b.completed_at ?? '').localeCompare(a.completed_at ?? ''))[0];
  return latest?.conclusion === 'success';
}
