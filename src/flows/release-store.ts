/**
 * One repository's releases as a job sees them: built once per job, it loads the configuration and the
 * tags at most once, finds a release's issue and state, and saves a new state. The state lives in GitHub
 * (the issue body), so any replica can pick up where another stopped.
 */
import type { ShipshapeConfig } from '../config/schema.js';
import { findRecord, setExternalId } from '../github/check-records.js';
import { publishCheckRun } from '../github/check-runs.js';
import type { GitHub } from '../github/client.js';
import { loadConfigAt } from '../github/config-source.js';
import { findMilestone, issueOfMilestone, openIssuesLabelled, updateIssue, type IssueRef, type RepoRef } from '../github/issues.js';
import { listTags, type TagInfo } from '../github/repo-refs.js';
import { parseState, refreshIssueBody, type Seal } from '../release/issue-body.js';
import type { ReleaseState, StateKeys } from '../release/state.js';
import type { Log } from './outcome.js';

export const RELEASE_LABEL = 'release';
export const RELEASE_CHECK = 'shipshape/release';

export interface ReleaseRepo extends RepoRef {
  /** The repository's web address, for links in replies. */
  htmlUrl: string;
  defaultBranch: string;
}

/**
 * A state Shipshape will not act on: `tampered` (its signature does not match: edited by hand, or copied
 * from another issue), or `stale` (older than the last state Shipshape wrote: restored from the history).
 */
export type Unusable = 'tampered' | 'stale';

export interface FoundRelease {
  issue: IssueRef;
  milestone?: number;
  state: ReleaseState | Unusable;
}

export const bodyContent = (config: ShipshapeConfig) => ({
  environments: config.release.environments,
  doi: config.release.doi,
  extraChecklist: config.release.checklist,
});

/** The repository's shipshape.yml does not validate: callers that must answer GitHub say so instead of retrying. */
export class InvalidConfigError extends Error {}

export class ReleaseStore {
  private readonly configs = new Map<string, Promise<ShipshapeConfig | undefined>>();
  private tagList?: Promise<TagInfo[]>;
  private readonly records = new Map<number, { id: number; rev: number } | undefined>();

  constructor(
    readonly octokit: GitHub,
    readonly repo: ReleaseRepo,
    private readonly keys: StateKeys,
    readonly log?: Log,
  ) {}

  /** The configuration at `ref` (default branch by default); undefined when Shipshape is not enabled there. Invalid configuration throws. */
  config(ref: string = this.repo.defaultBranch): Promise<ShipshapeConfig | undefined> {
    let config = this.configs.get(ref);
    if (!config) {
      config = loadConfigAt(this.octokit, this.repo, ref).then((outcome) => {
        if (outcome.kind === 'invalid')
          throw new InvalidConfigError(
            `the configuration is invalid: ${outcome.errors.map((e) => `${e.file} line ${e.line}: ${e.message}`).join('; ')}`,
          );
        return outcome.kind === 'ok' ? outcome.config : undefined;
      });
      this.configs.set(ref, config);
    }
    return config;
  }

  /** The newest tags, listed once per job. */
  tags(): Promise<TagInfo[]> {
    return (this.tagList ??= listTags(this.octokit, this.repo));
  }

  /** A tag this job just created, added to the listed ones instead of listing them again. */
  async addTag(tag: TagInfo): Promise<void> {
    const tags = await this.tags();
    if (!tags.some((t) => t.name === tag.name)) this.tagList = Promise.resolve([tag, ...tags]);
  }

  /** The release issue of a version: the milestone named after it, then the labelled issue in it. */
  async find(version: string): Promise<FoundRelease | undefined> {
    const milestone = await findMilestone(this.octokit, this.repo, version);
    if (!milestone) return undefined;
    const issue = await issueOfMilestone(this.octokit, this.repo, milestone.number, RELEASE_LABEL);
    const state = issue ? await this.load(issue) : undefined;
    return issue && state ? { issue, milestone: milestone.number, state } : undefined;
  }

  /** The open release whose commit is `sha` (for events that name only a commit: checks, deployments by CD). */
  async findByCommit(sha: string): Promise<FoundRelease | undefined> {
    for (const issue of await openIssuesLabelled(this.octokit, this.repo, RELEASE_LABEL)) {
      const state = this.stateOf(issue);
      if (state && state !== 'tampered' && state.sha === sha)
        return { issue, milestone: issue.milestone?.number, state: (await this.load(issue)) ?? 'tampered' };
    }
    return undefined;
  }

  /** The signed state in a body, without asking GitHub whether it is the newest (enough to tell a release issue). */
  stateOf(issue: Pick<IssueRef, 'body' | 'number'>): ReleaseState | 'tampered' | undefined {
    return parseState(issue.body, this.seal(issue.number));
  }

  /**
   * The state of a release issue, checked against the revision Shipshape last recorded for it. The record
   * is the external id of the release's `shipshape/release` check run, which only the app can change: an
   * older body restored from the issue's edit history is `stale`, not valid.
   */
  async load(issue: Pick<IssueRef, 'body' | 'number'>): Promise<ReleaseState | Unusable | undefined> {
    const state = this.stateOf(issue);
    if (!state || state === 'tampered') return state;
    const record = await this.record(state.sha, issue.number);
    return record && state.rev < record.rev ? 'stale' : state;
  }

  /** Write a new state into the issue (marker, checklist, status) with the next revision, and record that revision. */
  async save(issue: IssueRef, state: ReleaseState, config: ShipshapeConfig, extra: { close?: boolean } = {}): Promise<ReleaseState> {
    const next = { ...state, rev: state.rev + 1 };
    const body = refreshIssueBody(issue.body ?? '', next, bodyContent(config), this.seal(issue.number));
    await updateIssue(this.octokit, this.repo, issue.number, {
      body,
      ...(extra.close ? { state: 'closed', state_reason: 'completed' } : {}),
    });
    issue.body = body;
    if (extra.close) issue.state = 'closed';
    const externalId = `${recordPrefix(issue.number)}${next.rev}`;
    const record = await this.record(next.sha, issue.number);
    if (record) await setExternalId(this.octokit, { ...this.repo, id: record.id, externalId });
    else {
      const id = await publishCheckRun(this.octokit, {
        ...this.repo,
        headSha: next.sha,
        name: RELEASE_CHECK,
        externalId,
        output: {
          conclusion: 'success',
          title: `Release ${next.version}: issue #${issue.number}`,
          summary: `Release issue: ${issue.html_url}`,
          annotations: [],
        },
      });
      this.records.set(issue.number, { id, rev: next.rev });
    }
    if (record) this.records.set(issue.number, { id: record.id, rev: next.rev });
    return next;
  }

  /** Whether Shipshape recorded a state of this issue (the first save does; a job killed in between did not). */
  async recorded(sha: string, issue: number): Promise<boolean> {
    return (await this.record(sha, issue)) !== undefined;
  }

  private seal(issue: number): Seal {
    return { keys: this.keys, repo: `${this.repo.owner}/${this.repo.repo}`, issue };
  }

  private async record(sha: string, issue: number): Promise<{ id: number; rev: number } | undefined> {
    if (!this.records.has(issue)) {
      const prefix = recordPrefix(issue);
      const run = await findRecord(this.octokit, {
        ...this.repo,
        headSha: sha,
        name: RELEASE_CHECK,
        matches: (id) => id.startsWith(prefix),
      });
      this.records.set(issue, run ? { id: run.id, rev: Number(run.externalId.slice(prefix.length)) || 0 } : undefined);
    }
    return this.records.get(issue);
  }
}

/** The check run's external id says which issue's state it records, and its revision: `release-state:12:7`. */
const recordPrefix = (issue: number) => `release-state:${issue}:`;
