/**
 * GitHub telling us about deployments, releases and checks: statuses tick the checklist and are reported
 * in the release issue (and to Slack); the protection rule lets through only approved, verified releases
 * to production; a published GitHub release closes the issue and its milestone; the tag commit's check
 * results keep "policy checks green" true.
 */
import { reviewProtectionRule } from '../github/deployments.js';
import { closeMilestone, comment } from '../github/issues.js';
import { checkRunsOn } from '../github/repo-refs.js';
import { notifySlack } from '../ops/notify.js';
import { swallowed } from '../ops/swallowed.js';
import { CHECK_NAME } from '../policy/report.js';
import {
  applyChecks,
  applyDeploymentStatus,
  applyPublished,
  checksGreen,
  publishedByHand,
  claimedVersion,
  deploymentReport,
  protectionGate,
  rollbackGate,
  rollbackVersion,
  type DeploymentFacts,
} from '../release/events.js';
import { productionOf } from '../release/machine.js';
import type { DeploymentState } from '../release/state.js';
import { versionFromTag } from '../release/version.js';
import { done, skipped, type JobOutcome } from './outcome.js';
import { InvalidConfigError, type FoundRelease, type ReleaseStore } from './release-store.js';
import type { ShipshapeConfig } from '../config/schema.js';

export interface StatusEvent {
  deployment: DeploymentFacts;
  status: { id: number; state: DeploymentState; url?: string; description?: string | null };
}

/** The release a deployment belongs to: the version it claims (payload or tag ref), else the open release of its commit. */
async function releaseOfDeployment(
  store: ReleaseStore,
  deployment: DeploymentFacts,
  tagPattern: string,
): Promise<FoundRelease | undefined> {
  const version = claimedVersion(deployment, tagPattern);
  return (version ? await store.find(version) : undefined) ?? (await store.findByCommit(deployment.sha));
}

export async function handleDeploymentStatus(
  store: ReleaseStore,
  event: StatusEvent,
  options: { env?: NodeJS.ProcessEnv; now?: () => string } = {},
): Promise<JobOutcome> {
  const r = store.repo;
  const config = await store.config();
  if (!config) return skipped('not-enabled');
  const found = await releaseOfDeployment(store, event.deployment, config.release['tag-pattern']);
  if (!found) return skipped('no-release');
  if (typeof found.state === 'string') return skipped(found.state, { issue: found.issue.number });
  const at = options.now?.() ?? new Date().toISOString();
  const next = applyDeploymentStatus(
    found.state,
    { deployment: event.deployment, state: event.status.state, statusId: event.status.id, url: event.status.url, at },
    config.release.environments,
  );
  if (!next) return skipped('unchanged', { issue: found.issue.number });
  await store.save(found.issue, next, config);
  const report = deploymentReport(next, event.deployment.environment, event.status);
  if (report) {
    await comment(store.octokit, r, found.issue.number, report.issue);
    await notifySlack(
      config,
      `${r.owner}/${r.repo}: ${report.slack} (release issue ${r.htmlUrl}/issues/${found.issue.number})`,
      options.env,
    ).catch((err: unknown) => swallowed(store.log, 'slack', err));
  }
  return done('updated', { issue: found.issue.number, state: event.status.state });
}

export interface ProtectionEvent {
  environment: string;
  deployment: DeploymentFacts;
  callbackUrl: string;
}

export async function handleProtectionRule(store: ReleaseStore, event: ProtectionEvent): Promise<JobOutcome> {
  // Every request gets an answer: a deployment the rule is never asked back about waits until it times out.
  const answer = async (gate: { approve: boolean; reason: string }) => {
    await reviewProtectionRule(store.octokit, store.repo, event.callbackUrl, {
      environment: event.environment,
      approve: gate.approve,
      comment: `Shipshape: ${gate.reason}`,
    });
    return done(gate.approve ? 'approved' : 'rejected', { environment: event.environment });
  };
  let config: ShipshapeConfig | undefined;
  try {
    config = await store.config();
  } catch (err) {
    // Fail closed: an invalid configuration cannot say what is approved.
    if (err instanceof InvalidConfigError) return answer({ approve: false, reason: `${err.message}; fix it, then re-run the deployment.` });
    throw err;
  }
  if (!config)
    return answer({ approve: true, reason: `Shipshape is not enabled in this repository, so it does not gate ${event.environment}.` });
  const environments = config.release.environments;
  const tagPattern = config.release['tag-pattern'];
  const deployment = { sha: event.deployment.sha, environment: event.environment };
  const production = deployment.environment === productionOf(environments);
  const rollbackTo = production ? rollbackVersion(event.deployment, tagPattern) : undefined;
  if (rollbackTo) {
    const target = await store.find(rollbackTo);
    return answer(rollbackGate(target?.state, { sha: deployment.sha, tag: rollbackTo }, environments));
  }
  const found = production ? await releaseOfDeployment(store, event.deployment, tagPattern) : undefined;
  return answer(protectionGate(found?.state, deployment, environments, found?.issue.number));
}

/** A GitHub release was published (by `/publish` or by hand): close the release issue and milestone. */
export async function handleReleasePublished(
  store: ReleaseStore,
  release: { tag_name: string; html_url: string; published_at?: string | null },
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<JobOutcome> {
  const config = await store.config();
  if (!config) return skipped('not-enabled');
  const version = versionFromTag(release.tag_name, config.release['tag-pattern'])?.version;
  const found = version ? await store.find(version) : undefined;
  if (!found || typeof found.state === 'string') return skipped('no-release');
  const next = applyPublished(found.state, found.issue.state === 'closed', {
    url: release.html_url,
    at: release.published_at ?? new Date().toISOString(),
  });
  if (!next) return skipped('unchanged');
  await store.save(found.issue, next, config, { close: true });
  if (found.milestone) await closeMilestone(store.octokit, store.repo, found.milestone);
  const news = publishedByHand(found.state, next);
  if (news)
    await notifySlack(
      config,
      `${store.repo.owner}/${store.repo.repo}: ${news} (release issue ${store.repo.htmlUrl}/issues/${found.issue.number})`,
      options.env,
    ).catch((err: unknown) => swallowed(store.log, 'slack', err));
  return done('closed', { issue: found.issue.number });
}

/** A check suite or run completed on some commit: when it is an open release's tag commit, recompute "policy checks green". */
export async function handleChecksCompleted(store: ReleaseStore, sha: string): Promise<JobOutcome> {
  const found = await store.findByCommit(sha);
  if (!found || typeof found.state === 'string') return skipped('no-release');
  const config = await store.config();
  if (!config) return skipped('not-enabled');
  const next = applyChecks(found.state, checksGreen(await checkRunsOn(store.octokit, store.repo, sha), CHECK_NAME));
  if (!next) return skipped('unchanged');
  await store.save(found.issue, next, config);
  return done(next.policyGreen ? 'checks-green' : 'checks-not-green', { issue: found.issue.number });
}
