/** Tags, release notes material, tag creation and GitHub releases. */
import type { CheckResult } from '../release/events.js';
import type { ReleaseNote } from '../release/issue-body.js';
import type { GitHub } from './client.js';
import { answered } from './errors.js';
import { repoOf, type RepoRef } from './issues.js';

export interface TagInfo {
  name: string;
  /** The commit the tag points at. */
  sha: string;
  /** The annotation message of an annotated tag. */
  message?: string;
  date?: string;
}

type TagNode = {
  name: string;
  target: { __typename: string; oid: string; message?: string; committedDate?: string; target?: { oid: string; committedDate?: string } };
};

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
    return {
      name: n.name,
      sha: annotated ? (n.target.target?.oid ?? n.target.oid) : n.target.oid,
      message: annotated ? n.target.message?.trim() : undefined,
      date: annotated ? n.target.target?.committedDate : n.target.committedDate,
    };
  });
}

/** At most this many pages of 100 per list: a bound for a first release in a repository with a long history. */
const MAX_NOTE_PAGES = 50;

type Labels = { nodes: Array<{ name: string }> };
type Page<T> = { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: T[] };
type PullNode = { number: number; title: string; mergedAt: string; updatedAt: string; author: { login: string } | null; labels: Labels };
type IssueNode = {
  number: number;
  title: string;
  closedAt: string;
  stateReason: string | null;
  author: { login: string } | null;
  labels: Labels;
};

/**
 * Pull requests merged and issues closed in (since, until], for the release notes, paginated back to the
 * previous release whatever their number. Pull requests come newest-updated first, and a pull request
 * merged after `since` was updated after it too, so paging stops at the first page that reaches `since`.
 */
export async function notesBetween(
  octokit: GitHub,
  r: RepoRef,
  since: string | undefined,
  until: string | undefined,
): Promise<ReleaseNote[]> {
  const inWindow = (at: string) => (!since || at > since) && (!until || at <= until);
  const pullQuery = `query($owner: String!, $repo: String!, $after: String) { repository(owner: $owner, name: $repo) {
    pullRequests(states: MERGED, first: 100, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
      pageInfo { hasNextPage endCursor } nodes { number title mergedAt updatedAt author { login } labels(first: 10) { nodes { name } } } } } }`;
  const issueQuery = `query($owner: String!, $repo: String!, $since: DateTime, $after: String) { repository(owner: $owner, name: $repo) {
    issues(states: CLOSED, first: 100, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }, filterBy: { since: $since }) {
      pageInfo { hasNextPage endCursor } nodes { number title closedAt stateReason author { login } labels(first: 10) { nodes { name } } } } } }`;
  const pulls = await allPages<PullNode>(
    octokit,
    pullQuery,
    { ...repoOf(r) },
    (d) => (d as { repository: { pullRequests: Page<PullNode> } }).repository.pullRequests,
    (page) => !!since && page.some((p) => p.updatedAt <= since),
  );
  const closed = await allPages<IssueNode>(
    octokit,
    issueQuery,
    { ...repoOf(r), since: since ?? null },
    (d) => (d as { repository: { issues: Page<IssueNode> } }).repository.issues,
    () => false,
  );
  const item = <K extends 'pull request' | 'issue'>(
    kind: K,
    n: { number: number; title: string; author?: { login: string } | null; labels: { nodes: Array<{ name: string }> } },
  ) => ({
    number: n.number,
    title: n.title,
    author: n.author?.login,
    kind,
    labels: n.labels.nodes.map((l) => l.name),
  });
  const prs = pulls.filter((p) => inWindow(p.mergedAt)).map((p) => item('pull request', p));
  const issues = closed
    .filter((i) => inWindow(i.closedAt) && i.stateReason !== 'NOT_PLANNED' && !i.labels.nodes.some((l) => l.name === 'release'))
    .map((i) => item('issue', i));
  return [...prs, ...issues].sort((a, b) => a.number - b.number);
}

async function allPages<T>(
  octokit: GitHub,
  query: string,
  variables: Record<string, unknown>,
  pick: (data: unknown) => Page<T>,
  reachedEnd: (nodes: T[]) => boolean,
): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_NOTE_PAGES; page++) {
    const { pageInfo, nodes } = pick(await octokit.graphql<unknown>(query, { ...variables, after }));
    out.push(...nodes);
    if (!pageInfo.hasNextPage || !pageInfo.endCursor || reachedEnd(nodes)) break;
    after = pageInfo.endCursor;
  }
  return out;
}

export async function defaultBranchHead(octokit: GitHub, r: RepoRef): Promise<{ branch: string; sha: string }> {
  const { data: repo } = await octokit.request('GET /repos/{owner}/{repo}', { owner: r.owner, repo: r.repo });
  const { data: branch } = await octokit.request('GET /repos/{owner}/{repo}/branches/{branch}', {
    ...repoOf(r),
    branch: repo.default_branch,
  });
  return { branch: repo.default_branch, sha: branch.commit.sha };
}

/** Create a lightweight tag; `false` when it already exists (422). */
export async function createTag(octokit: GitHub, r: RepoRef, tag: string, sha: string): Promise<boolean> {
  try {
    await octokit.request('POST /repos/{owner}/{repo}/git/refs', { ...repoOf(r), ref: `refs/tags/${tag}`, sha });
    return true;
  } catch (err) {
    if (answered(err, 422)) return false;
    throw err;
  }
}

/** The GitHub release of a tag, created when missing (so a redelivered /publish makes no second one). */
export async function ensureRelease(
  octokit: GitHub,
  r: RepoRef,
  release: { tag: string; name: string; body: string; prerelease: boolean },
): Promise<string> {
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/releases/tags/{tag}', { ...repoOf(r), tag: release.tag });
    return data.html_url;
  } catch (err) {
    if (!answered(err, 404)) throw err;
  }
  const { data } = await octokit.request('POST /repos/{owner}/{repo}/releases', {
    ...repoOf(r),
    tag_name: release.tag,
    name: release.name,
    body: release.body,
    prerelease: release.prerelease,
  });
  return data.html_url;
}

/** The check runs on a commit (every app's), for "policy checks green on the tag". */
export async function checkRunsOn(octokit: GitHub, r: RepoRef, sha: string): Promise<CheckResult[]> {
  const runs = await octokit.paginate('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { ...repoOf(r), ref: sha, per_page: 100 });
  return runs.map((c) => ({ id: c.id, name: c.name, status: c.status, conclusion: c.conclusion }));
}
