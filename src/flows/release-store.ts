/**
 * One repository's releases as a job sees them: built once per job, it loads the configuration and the
 * tags at most once, finds a release's issue and state, and saves a new state. The state lives in GitHub
 * (the issue body), so any replica can pick up where another stopped.
 */
import type { ShipshapeConfig } from '../config/schema.js';
import type { GitHub } from '../github/client.js';
import { loadConfigAt } from '../github/config-source.js';
import { findMilestone, issueOfMilestone, openIssuesLabelled, updateIssue, type IssueRef, type RepoRef } from '../github/issues.js';
import { listTags, type TagInfo } from '../github/repo-refs.js';
import { parseState, refreshIssueBody } from '../release/issue-body.js';
import type { ReleaseState } from '../release/state.js';
import type { Log } from '../handlers/background.js';

export const RELEASE_LABEL = 'release';
export const RELEASE_CHECK = 'shipshape/release';

export interface ReleaseRepo extends RepoRef {
  /** The repository's web address, for links in replies. */
  htmlUrl: string;
  defaultBranch: string;
}

export interface FoundRelease {
  issue: IssueRef;
  milestone?: number;
  state: ReleaseState | 'tampered';
}

/** The keys of the state's signature, newest first: the first signs, any verifies (so a key can be rotated). */
export type StateKeys = readonly [string, ...string[]];

export const bodyContent = (config: ShipshapeConfig) => ({ environments: config.release.environments, doi: config.release.doi, extraChecklist: config.release.checklist });

export class ReleaseStore {
  private readonly configs = new Map<string, Promise<ShipshapeConfig | undefined>>();
  private tagList?: Promise<TagInfo[]>;

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
        if (outcome.kind === 'invalid') throw new Error(`the configuration is invalid: ${outcome.errors.map((e) => `${e.file} line ${e.line}: ${e.message}`).join('; ')}`);
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
    const state = issue ? this.stateOf(issue) : undefined;
    return issue && state ? { issue, milestone: milestone.number, state } : undefined;
  }

  /** The open release whose commit is `sha` (for events that name only a commit: checks, deployments by CD). */
  async findByCommit(sha: string): Promise<FoundRelease | undefined> {
    for (const issue of await openIssuesLabelled(this.octokit, this.repo, RELEASE_LABEL)) {
      const state = this.stateOf(issue);
      if (state && state !== 'tampered' && state.sha === sha) return { issue, milestone: issue.milestone?.number, state };
    }
    return undefined;
  }

  stateOf(issue: Pick<IssueRef, 'body'>): ReleaseState | 'tampered' | undefined {
    return parseState(issue.body, this.keys);
  }

  /** Write a new state into the issue (marker, checklist, status), optionally closing it. */
  async save(issue: IssueRef, state: ReleaseState, config: ShipshapeConfig, extra: { close?: boolean } = {}): Promise<void> {
    const body = refreshIssueBody(issue.body ?? '', state, bodyContent(config), this.keys[0]);
    await updateIssue(this.octokit, this.repo, issue.number, { body, ...(extra.close ? { state: 'closed', state_reason: 'completed' } : {}) });
    issue.body = body;
    if (extra.close) issue.state = 'closed';
  }

  /** The key that signs new state (for a body rendered from scratch). */
  get signingKey(): string {
    return this.keys[0];
  }
}
