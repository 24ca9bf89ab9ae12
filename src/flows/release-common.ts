/** What the release flows share: settings from the configuration, finding a release's issue and state. */
import type { ShipshapeConfig } from '../config/schema.js';
import type { GitHub } from '../github/client.js';
import { loadConfigAt } from '../github/config-source.js';
import { findMilestone, issueOfMilestone, updateIssue, type IssueRef, type RepoRef } from '../github/issues.js';
import { parseState, refreshIssueBody } from '../release/issue-body.js';
import type { ReleaseState } from '../release/state.js';

export const RELEASE_LABEL = 'release';
export const RELEASE_CHECK = 'shipshape/release';

export interface ReleaseRepo extends RepoRef {
  /** The repository's web address, for links in replies. */
  htmlUrl: string;
  defaultBranch: string;
}

/** The configuration at `ref`; undefined when Shipshape is not enabled there. Invalid configuration throws. */
export async function releaseConfig(octokit: GitHub, r: RepoRef, ref: string): Promise<ShipshapeConfig | undefined> {
  const outcome = await loadConfigAt(octokit, r, ref);
  if (outcome.kind === 'invalid') throw new Error(`the configuration is invalid: ${outcome.errors.map((e) => `${e.file} line ${e.line}: ${e.message}`).join('; ')}`);
  return outcome.kind === 'ok' ? outcome.config : undefined;
}

export const bodyContent = (config: ShipshapeConfig) => ({ environments: config.release.environments, doi: config.release.doi, extraChecklist: config.release.checklist });

export interface FoundRelease {
  issue: IssueRef;
  milestone: number;
  state: ReleaseState | 'tampered';
}

/** The release issue of a version: the milestone named after it, then the labelled issue in it. */
export async function findRelease(octokit: GitHub, r: RepoRef, version: string, secret: string): Promise<FoundRelease | undefined> {
  const milestone = await findMilestone(octokit, r, version);
  if (!milestone) return undefined;
  const issue = await issueOfMilestone(octokit, r, milestone.number, RELEASE_LABEL);
  const state = issue ? parseState(issue.body, secret) : undefined;
  return issue && state ? { issue, milestone: milestone.number, state } : undefined;
}

export async function saveState(octokit: GitHub, r: RepoRef, issue: IssueRef, state: ReleaseState, config: ShipshapeConfig, secret: string, extra: { close?: boolean } = {}): Promise<void> {
  const body = refreshIssueBody(issue.body ?? '', state, bodyContent(config), secret);
  await updateIssue(octokit, r, issue.number, { body, ...(extra.close ? { state: 'closed', state_reason: 'completed' } : {}) });
  issue.body = body;
}
