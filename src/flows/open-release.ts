/**
 * A version tag → exactly one release issue. The milestone named after the version is the unique marker
 * (GitHub refuses a second one), so redelivered webhooks and concurrent replicas open one issue. A release
 * left half-opened by an attempt that died is finished by a later delivery; until the grace for a
 * concurrent worker is over, the job is not done (RetryLater), so that the event comes back.
 */
import type { ShipshapeConfig } from '../config/schema.js';
import { publishCheckRun } from '../github/check-runs.js';
import { createIssue, ensureLabel, findOrCreateMilestone, issueOfMilestone, type IssueRef } from '../github/issues.js';
import { checkRunsOn, notesBetween, type TagInfo } from '../github/repo-refs.js';
import { adminsAndMaintainers, canBeAssigned, teamMembers } from '../github/roles.js';
import { checksGreen } from '../release/events.js';
import { issueTitle, renderIssueBody } from '../release/issue-body.js';
import { newReleaseState, type ReleaseState } from '../release/state.js';
import type { Version } from '../core/version.js';
import { newestRelease, refuseTag, versionFromTag } from '../release/version.js';
import { CHECK_NAME } from '../policy/report.js';
import { done, refused, RetryLater, skipped, type JobOutcome } from './outcome.js';
import { bodyContent, RELEASE_CHECK, RELEASE_LABEL, type ReleaseStore } from './release-store.js';

export interface OpenOptions {
  /** How long another replica may take between creating the milestone and the issue. */
  raceGraceMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** How long a worker may take between creating a release's milestone and recording its issue's first state. */
export const RACE_GRACE_MS = 30_000;

/** GitHub assigns at most 10 people to an issue. */
export const MAX_ASSIGNEES = 10;

export async function openRelease(
  store: ReleaseStore,
  tagName: string,
  options: OpenOptions = {},
): Promise<JobOutcome & { issue?: IssueRef }> {
  const { octokit, repo: r } = store;
  const tags = await store.tags();
  const tag = tags.find((t) => t.name === tagName);
  if (!tag) throw new Error(`tag ${tagName} is not among the repository's newest tags`);
  const config = await store.config(tag.sha);
  if (!config) return skipped('not-enabled');
  const pattern = config.release['tag-pattern'];
  const refusal = refuseTag(
    tagName,
    pattern,
    tags.map((t) => t.name),
  );
  if (refusal) {
    await publishCheckRun(octokit, {
      ...r,
      headSha: tag.sha,
      name: RELEASE_CHECK,
      output: {
        conclusion: 'failure',
        title: 'Not a release',
        summary: `${refusal}, so no release issue was opened.\n\nRelease tags are versions greater than the newest release.`,
        annotations: [],
      },
    });
    return refused('not-a-release', { reason: refusal });
  }
  const version = versionFromTag(tagName, pattern)!;
  await ensureLabel(octokit, r, RELEASE_LABEL, '0e8a16', 'A release run by Shipshape');
  const { milestone, created } = await findOrCreateMilestone(octokit, r, version.version, `Release ${version.version} (tag ${tagName})`);
  if (!created) {
    const existing = await waitForIssue(store, milestone, options);
    const missing = await lacking(store, existing);
    if (!missing) return { ...skipped('existing', { issue: existing!.number }), issue: existing };
    // Half-done: another worker may still be finishing it, or whoever started died; only time tells which.
    // Until then the job is not done, so that the event comes back (a success here would be the last
    // GitHub ever sends of this tag).
    const graceLeft = Date.parse(milestone.created_at) + (options.raceGraceMs ?? RACE_GRACE_MS) - Date.now();
    if (graceLeft > 0) throw new RetryLater(`release ${version.version} is half-opened: ${missing}`, graceLeft);
    if (existing) {
      // Saving again (the state written, or a first one) records it: the issue is then complete.
      const state = store.stateOf(existing);
      await store.save(existing, state && state !== 'tampered' ? state : await initialState(store, tag, version, config), config);
      return { ...done('completed', { issue: existing.number }), issue: existing };
    }
  }
  // The issue's first save also writes the success `shipshape/release` check run that records the state's revision.
  const issue = await createReleaseIssue(store, tags, tag, version, milestone.number, config);
  return { ...done('opened', { issue: issue.number }), issue };
}

/** What a release still lacks, undefined when it is complete (an attempt that died may have left it half-done). */
async function lacking(store: ReleaseStore, issue: IssueRef | undefined): Promise<string | undefined> {
  if (!issue) return 'its milestone has no issue';
  const state = store.stateOf(issue);
  if (state === undefined) return `issue #${issue.number} has no state`;
  // The first save writes the state, then records it (ReleaseStore.load): a job can die in between.
  if (state === 'tampered' || (await store.recorded(state.sha, issue.number))) return undefined;
  return `the state of issue #${issue.number} was never recorded`;
}

async function waitForIssue(store: ReleaseStore, milestone: { number: number }, options: OpenOptions): Promise<IssueRef | undefined> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((res) => setTimeout(res, ms)));
  for (let attempt = 1; ; attempt++) {
    const issue = await issueOfMilestone(store.octokit, store.repo, milestone.number, RELEASE_LABEL);
    if (issue || attempt === 3) return issue;
    await sleep(1000);
  }
}

async function createReleaseIssue(
  store: ReleaseStore,
  tags: TagInfo[],
  tag: TagInfo,
  version: Version,
  milestone: number,
  config: ShipshapeConfig,
): Promise<IssueRef> {
  const { octokit, repo: r } = store;
  const pattern = config.release['tag-pattern'];
  const previous = newestRelease(tags, pattern, version)?.tag;
  const [notes, state, people] = await Promise.all([
    notesBetween(octokit, r, previous?.date, tag.date),
    initialState(store, tag, version, config),
    assigneesFor(store, config),
  ]);
  const notices = people.skipped.length ? [`Not assigned: ${people.skipped.map((s) => `\`${s.login}\` (${s.why})`).join(', ')}.`] : [];
  // The signed state names its issue, so it is written once GitHub has given the issue its number.
  const body = renderIssueBody(state, {
    purpose: tag.message,
    notes,
    previousTag: previous?.name,
    links: config.release.links,
    notices,
    ...bodyContent(config),
  });
  const labels = version.prerelease ? [RELEASE_LABEL, 'pre-release'] : [RELEASE_LABEL];
  const issue = await createIssue(octokit, r, { title: issueTitle(state), body, labels, milestone, assignees: people.assignees });
  await store.save(issue, state, config);
  return issue;
}

async function initialState(store: ReleaseStore, tag: TagInfo, version: Version, config: ShipshapeConfig): Promise<ReleaseState> {
  const runs = await checkRunsOn(store.octokit, store.repo, tag.sha);
  return {
    ...newReleaseState({
      version: version.version,
      tag: tag.name,
      sha: tag.sha,
      tool: config.tool ?? store.repo.repo,
      prerelease: version.prerelease,
    }),
    policyGreen: checksGreen(runs, CHECK_NAME),
  };
}

/**
 * The service owners as people: logins as written, `@org/team` as its members, and by default the
 * repository's admins and maintainers; at most GitHub's 10, each one GitHub can assign (others skipped, with why).
 */
async function assigneesFor(
  store: ReleaseStore,
  config: ShipshapeConfig,
): Promise<{ assignees: string[]; skipped: Array<{ login: string; why: string }> }> {
  const { octokit, repo: r } = store;
  const entries = config.release['service-owners'];
  const logins: string[] = [];
  if (entries.length === 0) logins.push(...(await adminsAndMaintainers(octokit, r)));
  for (const entry of entries) {
    const team = /^@([^/]+)\/(.+)$/.exec(entry.trim());
    logins.push(...(team ? await teamMembers(octokit, team[1]!, team[2]!) : [entry.trim().replace(/^@/, '')]));
  }
  const unique = [...new Map(logins.map((l) => [l.toLowerCase(), l])).values()];
  const assignees: string[] = [];
  const skippedPeople: Array<{ login: string; why: string }> = [];
  for (const login of unique) {
    if (assignees.length === MAX_ASSIGNEES) skippedPeople.push({ login, why: `GitHub assigns at most ${MAX_ASSIGNEES}` });
    else if (await canBeAssigned(octokit, r, login)) assignees.push(login);
    else skippedPeople.push({ login, why: 'cannot be assigned in this repository' });
  }
  return { assignees, skipped: skippedPeople };
}
