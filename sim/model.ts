/**
 * The state of a simulated GitHub: repositories with commits (file trees), refs, pull requests, issues,
 * milestones, labels, comments, reactions, check runs, deployments, releases, permissions and teams.
 * REST routes (rest.ts) and GraphQL resolvers (graphql.ts) read and change it; tests seed and inspect it.
 */
import { createHash } from 'node:crypto';

export interface Commit {
  sha: string;
  files: Map<string, string>;
  date: string;
  message: string;
}

export interface TagRef {
  sha: string;
  /** Annotated tags carry a message. */
  message?: string;
}

export interface Issue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  milestone?: number;
  assignees: string[];
  user: string;
  /** `fork`: the head repository's full name when the pull request comes from a fork. */
  pull_request?: { head: string; base: string; files: string[]; merged_at?: string; fork?: string };
  /** Defaults to the merge, close or creation time. */
  updated_at?: string;
  closed_at?: string;
  state_reason?: string;
  created_at: string;
}

/** A GitHub Actions workflow run; `path` is the workflow file, e.g. `.github/workflows/collect.yml`. */
export interface WorkflowRun {
  id: number;
  path: string;
  name: string;
  event: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  head_branch: string;
  head_sha: string;
  run_attempt: number;
  run_number: number;
  inputs?: Record<string, string>;
  created_at: string;
  updated_at: string;
}

export interface Repo {
  owner: string;
  name: string;
  id: number;
  defaultBranch: string;
  archived: boolean;
  commits: Map<string, Commit>;
  branches: Map<string, string>;
  tags: Map<string, TagRef>;
  issues: Issue[];
  comments: Array<{ id: number; issue: number; body: string; user: string }>;
  reactions: Array<{ id: number; comment: number; content: string; user: string }>;
  labels: Map<string, { color?: string; description?: string }>;
  milestones: Array<{ number: number; title: string; state: 'open' | 'closed'; description?: string; created_at: string }>;
  checkRuns: Array<{
    id: number;
    createdAt?: number;
    name: string;
    head_sha: string;
    status: string;
    conclusion?: string;
    output?: { title?: string; summary?: string; annotations: unknown[] };
    completed_at?: string;
    external_id?: string;
    details_url?: string;
  }>;
  /** `creator` is the login of whoever created it (Shipshape's bot, or another app such as a CD pipeline). */
  deployments: Array<{
    id: number;
    ref: string;
    sha: string;
    environment: string;
    payload: unknown;
    creator?: string;
    statuses: Array<{ id: number; state: string; target_url?: string }>;
  }>;
  releases: Array<{ id: number; tag_name: string; name: string; body: string; prerelease: boolean }>;
  /** Each dispatch starts a workflow run with id `runId`. */
  dispatches: Array<{ workflow: string; ref: string; inputs: unknown; runId?: number }>;
  protectionReviews: Array<{ run_id: number; environment_name: string; state: string; comment?: string }>;
  permissions: Map<string, 'admin' | 'maintain' | 'write' | 'triage' | 'read'>;
  runs: WorkflowRun[];
  /** Workflow ids by file path, assigned when first seen (GitHub's ids are stable per file). */
  workflowIds: Map<string, number>;
  /** false: the app's installation does not include this repository, so every request about it is a 404. */
  installed: boolean;
}

export class GitHubModel {
  readonly repos = new Map<string, Repo>();
  /** Webhook deliveries of the app, newest last, as GitHub lists them under /app/hook/deliveries. */
  readonly deliveries: Array<{
    id: number;
    guid: string;
    event: string;
    action?: string;
    status_code: number;
    delivered_at: string;
    redelivery: boolean;
    payload: unknown;
  }> = [];
  readonly teams = new Map<string, Set<string>>();
  /** Every request the app made, in order, for counting and assertions. */
  readonly requests: Array<{ method: string; path: string; body?: unknown; graphql?: boolean }> = [];
  /** Requests that GitHub's own descriptions reject; a test fails when this is not empty. */
  readonly violations: string[] = [];
  private nextId = 1000;
  private clock = Date.parse('2026-11-01T00:00:00Z');

  id(): number {
    return this.nextId++;
  }

  /** A monotonic clock, so "since the previous release" windows are deterministic. */
  now(): string {
    this.clock += 60_000;
    return new Date(this.clock).toISOString();
  }

  repo(owner: string, name: string): Repo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** The repository as the app's installation sees it: undefined when missing or not installed there. */
  visible(owner: string, name: string): Repo | undefined {
    const repo = this.repo(owner, name);
    return repo?.installed ? repo : undefined;
  }

  addRepo(
    owner: string,
    name: string,
    files: Record<string, string>,
    options: { defaultBranch?: string; archived?: boolean; installed?: boolean } = {},
  ): Repo {
    const repo: Repo = {
      owner,
      name,
      id: this.id(),
      defaultBranch: options.defaultBranch ?? 'main',
      archived: options.archived ?? false,
      commits: new Map(),
      branches: new Map(),
      tags: new Map(),
      issues: [],
      comments: [],
      reactions: [],
      labels: new Map(),
      milestones: [],
      checkRuns: [],
      deployments: [],
      releases: [],
      dispatches: [],
      protectionReviews: [],
      permissions: new Map(),
      runs: [],
      workflowIds: new Map(),
      installed: options.installed ?? true,
    };
    this.repos.set(`${owner}/${name}`.toLowerCase(), repo);
    const sha = this.commit(repo, files, 'initial commit');
    repo.branches.set(repo.defaultBranch, sha);
    return repo;
  }

  /** Add a commit with exactly these files; returns its SHA. */
  commit(repo: Repo, files: Record<string, string>, message: string): string {
    const date = this.now();
    const sha = createHash('sha1')
      .update(`${repo.owner}/${repo.name}:${message}:${date}:${JSON.stringify(files)}`)
      .digest('hex');
    repo.commits.set(sha, { sha, files: new Map(Object.entries(files)), date, message });
    return sha;
  }

  /** A new commit on a branch: the branch's files with `changes` applied (undefined deletes). */
  push(repo: Repo, branch: string, changes: Record<string, string | undefined>, message = 'change'): string {
    const parent = repo.commits.get(repo.branches.get(branch) ?? repo.branches.get(repo.defaultBranch)!)!;
    const files = new Map(parent.files);
    for (const [path, text] of Object.entries(changes)) {
      if (text === undefined) files.delete(path);
      else files.set(path, text);
    }
    const sha = this.commit(repo, Object.fromEntries(files), message);
    repo.branches.set(branch, sha);
    return sha;
  }

  tag(repo: Repo, name: string, sha: string, message?: string): void {
    repo.tags.set(name, { sha, message });
  }

  openPullRequest(repo: Repo, branch: string, changes: Record<string, string | undefined>, user = 'dev'): Issue {
    const base = repo.branches.get(repo.defaultBranch)!;
    const head = this.push(repo, branch, changes, `PR on ${branch}`);
    const issue: Issue = {
      number: repo.issues.length + 1,
      title: `Change ${branch}`,
      body: '',
      state: 'open',
      labels: [],
      assignees: [],
      user,
      pull_request: { head, base, files: Object.keys(changes) },
      created_at: this.now(),
    };
    repo.issues.push(issue);
    return issue;
  }

  workflowId(repo: Repo, path: string): number {
    let id = repo.workflowIds.get(path);
    if (id === undefined) repo.workflowIds.set(path, (id = this.id()));
    return id;
  }

  /** Start a workflow run (a schedule, a push, or a dispatch) on a branch's head. */
  startRun(repo: Repo, file: string, options: { event?: string; branch?: string; inputs?: Record<string, string> } = {}): WorkflowRun {
    const branch = options.branch ?? repo.defaultBranch;
    const path = file.includes('/') ? file : `.github/workflows/${file}`;
    const at = this.now();
    const run: WorkflowRun = {
      id: this.id(),
      path,
      name: workflowName(this.resolve(repo, branch)?.files.get(path), path),
      event: options.event ?? 'schedule',
      status: 'queued',
      conclusion: null,
      head_branch: branch,
      head_sha: repo.branches.get(branch) ?? this.resolve(repo, branch)!.sha,
      run_attempt: 1,
      run_number: repo.runs.filter((r) => r.path === path).length + 1,
      inputs: options.inputs,
      created_at: at,
      updated_at: at,
    };
    this.workflowId(repo, path);
    repo.runs.push(run);
    return run;
  }

  completeRun(run: WorkflowRun, conclusion: 'success' | 'failure' | 'cancelled' | 'timed_out' | 'skipped'): WorkflowRun {
    Object.assign(run, { status: 'completed', conclusion, updated_at: this.now() });
    return run;
  }

  /** Resolve `sha`, a branch or a tag name to a commit. */
  resolve(repo: Repo, ref: string): Commit | undefined {
    const name = ref.replace(/^refs\/(heads|tags)\//, '');
    const sha = repo.commits.has(ref)
      ? ref
      : (repo.branches.get(name) ?? repo.tags.get(name)?.sha ?? (ref === 'HEAD' ? repo.branches.get(repo.defaultBranch) : undefined));
    return sha ? repo.commits.get(sha) : undefined;
  }
}

/** A workflow's `name:`, or its path as GitHub shows it when the file has none. */
function workflowName(text: string | undefined, path: string): string {
  const m = text ? /^name:\s*["']?([^"'\n]+?)["']?\s*$/m.exec(text) : null;
  return m?.[1] ?? path;
}
