/**
 * GitHub telling us about deployments and releases: statuses tick the checklist and are reported in the
 * release issue (and to Slack); the production protection rule lets through only approved, verified
 * releases; a published GitHub release closes the issue and its milestone.
 */
import type { GitHub } from '../github/client.js';
import { reviewProtectionRule } from '../github/deployments.js';
import { closeMilestone, comment } from '../github/issues.js';
import { applyDeploymentStatus, productionGate } from '../release/machine.js';
import type { DeploymentState } from '../release/state.js';
import { versionFromTag } from '../release/version.js';
import { notifySlack } from '../ops/notify.js';
import { findRelease, releaseConfig, saveState, type ReleaseRepo } from './release-common.js';

export interface StatusEvent {
  repo: ReleaseRepo;
  deployment: { id: number; sha: string; ref: string; environment: string; payload?: unknown };
  status: { id: number; state: string; target_url?: string | null; log_url?: string | null; environment_url?: string | null; description?: string | null };
}

const REPORTED: Partial<Record<DeploymentState, string>> = { success: 'succeeded', failure: 'failed', error: 'ended in an error' };

/** Which release a deployment belongs to: the version we put in its payload, else its ref as a tag. */
function versionOf(deployment: StatusEvent['deployment'], pattern: string): string | undefined {
  const fromPayload = (deployment.payload as { version?: unknown } | null | undefined)?.version;
  return typeof fromPayload === 'string' ? fromPayload : versionFromTag(deployment.ref, pattern)?.version;
}

export async function handleDeploymentStatus(octokit: GitHub, event: StatusEvent, options: { secret: string; env?: NodeJS.ProcessEnv }): Promise<'updated' | 'ignored'> {
  const r = event.repo;
  const config = await releaseConfig(octokit, r, r.defaultBranch);
  if (!config) return 'ignored';
  const version = versionOf(event.deployment, config.release['tag-pattern']);
  const found = version ? await findRelease(octokit, r, version, options.secret) : undefined;
  if (!found || found.state === 'tampered') return 'ignored';
  const url = event.status.log_url ?? event.status.target_url ?? event.status.environment_url ?? undefined;
  const next = applyDeploymentStatus(found.state, { environment: event.deployment.environment, deploymentId: event.deployment.id, sha: event.deployment.sha, state: event.status.state as DeploymentState, url, statusId: event.status.id });
  if (!next) return 'ignored';
  await saveState(octokit, r, found.issue, next, config, options.secret);
  const verb = REPORTED[event.status.state as DeploymentState];
  if (verb) {
    const d = next.deployments[event.deployment.environment]!;
    const text = `Deployment of ${d.tag} to ${event.deployment.environment} ${verb}${url ? `: ${url}` : '.'}${event.status.description ? `\n\n> ${event.status.description}` : ''}`;
    await comment(octokit, r, found.issue.number, `${event.status.state === 'success' ? '✅' : '❌'} ${text}${event.status.state === 'success' ? `\n\nNext: \`/verify ${event.deployment.environment}\` once it is checked.` : ''}`);
    await notifySlack(config, `${r.owner}/${r.repo}: ${text} (release issue ${r.htmlUrl}/issues/${found.issue.number})`, options.env).catch(() => 'failed');
  }
  return 'updated';
}

export interface ProtectionEvent {
  repo: ReleaseRepo;
  environment: string;
  deployment: { sha: string; ref: string; payload?: unknown; environment: string; id: number };
  callbackUrl: string;
}

export async function handleProtectionRule(octokit: GitHub, event: ProtectionEvent, options: { secret: string }): Promise<'approved' | 'rejected' | 'ignored'> {
  const r = event.repo;
  const config = await releaseConfig(octokit, r, r.defaultBranch);
  if (!config) return 'ignored';
  const environments = config.release.environments;
  if (event.environment !== environments[environments.length - 1]) return 'ignored';
  const version = versionOf(event.deployment, config.release['tag-pattern']);
  const found = version ? await findRelease(octokit, r, version, options.secret) : undefined;
  const state = found && found.state !== 'tampered' ? found.state : undefined;
  const gate = found?.state === 'tampered' ? { approve: false, reason: `the release issue #${found.issue.number} was edited by hand; Shipshape cannot trust it.` } : productionGate(state, event.deployment.sha, environments);
  await reviewProtectionRule(octokit, r, event.callbackUrl, { environment: event.environment, approve: gate.approve, comment: `Shipshape: ${gate.reason}` });
  return gate.approve ? 'approved' : 'rejected';
}

/** A GitHub release was published (by `/publish` or by hand): close the release issue and milestone. */
export async function handleReleasePublished(octokit: GitHub, repo: ReleaseRepo, release: { tag_name: string; html_url: string; published_at?: string | null }, options: { secret: string }): Promise<'closed' | 'ignored'> {
  const config = await releaseConfig(octokit, repo, repo.defaultBranch);
  if (!config) return 'ignored';
  const version = versionFromTag(release.tag_name, config.release['tag-pattern'])?.version;
  const found = version ? await findRelease(octokit, repo, version, options.secret) : undefined;
  if (!found || found.state === 'tampered') return 'ignored';
  if (found.issue.state === 'closed' && found.state.published) return 'ignored';
  const state = { ...found.state, published: found.state.published ?? { at: release.published_at ?? new Date().toISOString(), url: release.html_url } };
  await saveState(octokit, repo, found.issue, state, config, options.secret, { close: true });
  await closeMilestone(octokit, repo, found.milestone);
  return 'closed';
}

