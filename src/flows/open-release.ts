/**
 * A version tag → exactly one release issue. The milestone named after the version is the unique marker
 * (GitHub refuses a second one), so redelivered webhooks and concurrent replicas open one issue.
 */
import type { ShipshapeConfig } from '../config/schema.js';
import { publishCheckRun } from '../github/check-runs.js';
import type { GitHub } from '../github/client.js';
import { createIssue, ensureLabel, findOrCreateMilestone, issueOfMilestone, type IssueRef, type RepoRef } from '../github/issues.js';
import { listTags, notesBetween, policyGreen, type TagInfo } from '../github/repo-refs.js';
import { issueTitle, renderIssueBody } from '../release/issue-body.js';
import { newReleaseState } from '../release/state.js';
import { newestRelease, refuseTag, versionFromTag } from '../release/version.js';
import { bodyContent, RELEASE_CHECK, RELEASE_LABEL, releaseConfig } from './release-common.js';

export interface OpenOptions {
  secret: string;
  /** How long another replica may take between creating the milestone and the issue. */
  raceGraceMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export type OpenOutcome = { kind: 'opened' | 'existing'; issue: IssueRef } | { kind: 'refused'; reason: string } | { kind: 'not-enabled' } | { kind: 'pending' };

export async function openRelease(octokit: GitHub, r: RepoRef, tagName: string, options: OpenOptions): Promise<OpenOutcome> {
  const tags = await listTags(octokit, r);
  const tag = tags.find((t) => t.name === tagName);
  if (!tag) throw new Error(`tag ${tagName} is not among the repository's newest tags`);
  const config = await releaseConfig(octokit, r, tag.sha);
  if (!config) return { kind: 'not-enabled' };
  const pattern = config.release['tag-pattern'];
  const refusal = refuseTag(tagName, pattern, tags.map((t) => t.name));
  if (refusal) {
    await publishCheckRun(octokit, { ...r, headSha: tag.sha, name: RELEASE_CHECK, output: { conclusion: 'failure', title: 'Not a release', summary: `${refusal}, so no release issue was opened.\n\nRelease tags are versions greater than the newest release.`, annotations: [] } });
    return { kind: 'refused', reason: refusal };
  }
  const version = versionFromTag(tagName, pattern)!;
  await ensureLabel(octokit, r, RELEASE_LABEL, '0e8a16', 'A release run by Shipshape');
  const { milestone, created } = await findOrCreateMilestone(octokit, r, version.version, `Release ${version.version} (tag ${tagName})`);
  if (!created) {
    const existing = await waitForIssue(octokit, r, milestone, options);
    if (existing) return { kind: 'existing', issue: existing };
    if (Date.now() - Date.parse(milestone.created_at) < (options.raceGraceMs ?? 30_000)) return { kind: 'pending' };
    // The milestone is old and has no issue: whoever made it stopped half-way; finish the job.
  }
  const issue = await createReleaseIssue(octokit, r, tags, tag, version, milestone.number, config, options.secret);
  await publishCheckRun(octokit, { ...r, headSha: tag.sha, name: RELEASE_CHECK, output: { conclusion: 'success', title: `Release ${version.version}: issue #${issue.number}`, summary: `Release issue: ${issue.html_url}`, annotations: [] } });
  return { kind: 'opened', issue };
}

async function waitForIssue(octokit: GitHub, r: RepoRef, milestone: { number: number }, options: OpenOptions): Promise<IssueRef | undefined> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((res) => setTimeout(res, ms)));
  for (let attempt = 0; attempt < 3; attempt++) {
    const issue = await issueOfMilestone(octokit, r, milestone.number, RELEASE_LABEL);
    if (issue) return issue;
    await sleep(1000);
  }
  return undefined;
}

async function createReleaseIssue(octokit: GitHub, r: RepoRef, tags: TagInfo[], tag: TagInfo, version: NonNullable<ReturnType<typeof versionFromTag>>, milestone: number, config: ShipshapeConfig, secret: string): Promise<IssueRef> {
  const pattern = config.release['tag-pattern'];
  const previous = newestRelease(tags, pattern, version)?.tag;
  const [notes, green] = await Promise.all([notesBetween(octokit, r, previous?.date, tag.date), policyGreen(octokit, r, tag.sha)]);
  const state = { ...newReleaseState({ version: version.version, tag: tag.name, sha: tag.sha, tool: config.tool ?? r.repo, prerelease: version.prerelease }), policyGreen: green };
  const body = renderIssueBody(state, { purpose: tag.message, notes, previousTag: previous?.name, links: config.release.links, ...bodyContent(config) }, secret);
  const assignees = config.release['service-owners'].filter((o) => !o.includes('/')).map((o) => o.replace(/^@/, ''));
  const labels = version.prerelease ? [RELEASE_LABEL, 'pre-release'] : [RELEASE_LABEL];
  return createIssue(octokit, r, { title: issueTitle(state), body, labels, milestone, assignees });
}
