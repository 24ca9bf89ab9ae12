/**
 * What GitHub's own events do to a release: deployment statuses (whoever created the deployment), the
 * production protection rule, a published GitHub release, and the tag commit's check results. Pure, like
 * the command machine: flows gather the facts, these decide, flows write.
 */
import { markHandled, type DeploymentState, type ReleaseState } from './state.js';
import { productionOf, stagingOf } from './machine.js';
import { versionFromTag } from './version.js';

export interface DeploymentFacts {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  payload?: unknown;
  /** Who created it (an app's bot for a CD pipeline). */
  creator?: string;
}

/** Which release a deployment claims to belong to: the version Shipshape put in its payload, else its ref read as a tag. */
export function claimedVersion(deployment: Pick<DeploymentFacts, 'ref' | 'payload'>, tagPattern: string): string | undefined {
  const fromPayload = (deployment.payload as { version?: unknown } | null | undefined)?.version;
  return typeof fromPayload === 'string' ? fromPayload : versionFromTag(deployment.ref, tagPattern)?.version;
}

export interface StatusUpdate {
  deployment: DeploymentFacts;
  state: DeploymentState;
  statusId: number;
  url?: string;
  at: string;
}

/**
 * A deployment status applied to the release, or undefined when it changes nothing (seen before, another
 * environment, another commit, an older deployment than the one recorded). Deployments Shipshape started
 * match by id; any other deployment of the release's commit (by sha, or by ref = the tag) in a configured
 * environment is adopted — a CD pipeline deploying the tag to staging counts.
 */
export function applyDeploymentStatus(
  state: ReleaseState,
  update: StatusUpdate,
  environments: readonly string[],
): ReleaseState | undefined {
  const { deployment: d } = update;
  if (state.handled.includes(`status:${update.statusId}`) || !environments.includes(d.environment)) return undefined;
  const current = state.deployments[d.environment];
  const started =
    current &&
    (current.deploymentId === d.id || (current.deploymentId === undefined && current.sha === d.sha && current.state === 'pending'));
  let next;
  if (started) {
    next = {
      ...current,
      deploymentId: d.id,
      state: update.state,
      url: update.url ?? current.url,
      verified: update.state === 'success' ? current.verified : undefined,
    };
  } else {
    const ofThisRelease = d.sha === state.sha || d.ref === state.tag || d.ref === `refs/tags/${state.tag}`;
    // GitHub's deployment ids increase: a status of an older deployment than the one recorded is history.
    if (!ofThisRelease || (current?.deploymentId !== undefined && current.deploymentId > d.id)) return undefined;
    next = {
      tag: state.tag,
      sha: d.sha,
      state: update.state,
      by: d.creator ?? 'unknown',
      at: update.at,
      deploymentId: d.id,
      url: update.url,
    };
  }
  const ran = d.environment === productionOf(environments) && next.sha === state.sha && update.state === 'success';
  const ranInProduction = state.ranInProduction ?? (ran ? { at: update.at } : undefined);
  return markHandled(
    { ...state, deployments: { ...state.deployments, [d.environment]: next }, ...(ranInProduction ? { ranInProduction } : {}) },
    `status:${update.statusId}`,
  );
}

const REPORTED: Partial<Record<DeploymentState, string>> = { success: 'succeeded', failure: 'failed', error: 'ended in an error' };

/** What the release issue (and Slack) are told about a status: only outcomes, not every step. */
export function deploymentReport(
  state: ReleaseState,
  environment: string,
  status: { state: DeploymentState; url?: string; description?: string | null },
): { issue: string; slack: string } | undefined {
  const verb = REPORTED[status.state];
  const d = state.deployments[environment];
  if (!verb || !d) return undefined;
  const what =
    d.tag === state.tag ? `Deployment of ${d.tag} to ${environment}` : `Rollback of ${environment} to ${d.tag} (release ${state.version})`;
  const text = `${what} ${verb}${status.url ? `: ${status.url}` : '.'}${status.description ? `\n\n> ${status.description}` : ''}`;
  const ok = status.state === 'success';
  const next = ok && d.tag === state.tag ? `\n\nNext: \`/verify ${environment}\` once it is checked.` : '';
  return { issue: `${ok ? '✅' : '❌'} ${text}${next}`, slack: text };
}

/** Whether a deployment may go ahead (the deployment protection rule); environments other than production are not gated. */
export function protectionGate(
  state: ReleaseState | 'tampered' | 'stale' | undefined,
  deployment: { sha: string; environment: string },
  environments: readonly string[],
  issue?: number,
): { approve: boolean; reason: string } {
  const production = productionOf(environments);
  if (deployment.environment !== production)
    return { approve: true, reason: `Shipshape gates only ${production}; ${deployment.environment} is not gated by it.` };
  if (state === 'tampered')
    return { approve: false, reason: `the release issue${issue ? ` #${issue}` : ''} was edited by hand; Shipshape cannot trust it.` };
  if (state === 'stale')
    return {
      approve: false,
      reason: `the release issue${issue ? ` #${issue}` : ''} holds an older state than Shipshape last wrote; Shipshape cannot trust it.`,
    };
  return productionGate(state, deployment.sha, environments);
}

/** The version a Shipshape `/rollback` deployment returns to (its payload's `tag`); undefined for any other deployment. */
export function rollbackVersion(deployment: Pick<DeploymentFacts, 'payload'>, tagPattern: string): string | undefined {
  const p = deployment.payload as { rollback?: unknown; tag?: unknown } | null | undefined;
  return p?.rollback === true && typeof p.tag === 'string' ? versionFromTag(p.tag, tagPattern)?.version : undefined;
}

/**
 * Whether production may go back to an earlier release: only to one it already ran. That release's own
 * issue must show it ran in production with success (even if rolled back since), or published, for that very commit.
 */
export function rollbackGate(
  target: ReleaseState | 'tampered' | 'stale' | undefined,
  deployment: { sha: string; tag: string },
  environments: readonly string[],
): { approve: boolean; reason: string } {
  const production = productionOf(environments);
  const short = deployment.sha.slice(0, 7);
  if (target === undefined)
    return {
      approve: false,
      reason: `no release issue of Shipshape shows ${deployment.tag} in ${production}, so a rollback to it is not let through.`,
    };
  if (typeof target === 'string')
    return {
      approve: false,
      reason: `the release issue of ${deployment.tag} is ${target === 'tampered' ? 'edited by hand' : 'stale'}; Shipshape cannot trust it.`,
    };
  if (target.sha !== deployment.sha)
    return { approve: false, reason: `commit ${short} is not release ${target.version} (${target.sha.slice(0, 7)}).` };
  if (!target.published && !target.ranInProduction)
    return { approve: false, reason: `release ${target.version} never ran in ${production}, so it is not a rollback target.` };
  return { approve: true, reason: `rollback to release ${target.version}, which ${production} ran before; ${production} may proceed.` };
}

/** Whether a production deployment of `sha` may go ahead. */
export function productionGate(
  state: ReleaseState | undefined,
  sha: string,
  environments: readonly string[],
): { approve: boolean; reason: string } {
  if (!state)
    return { approve: false, reason: `no release issue of Shipshape covers commit ${sha.slice(0, 7)}; deploy a release with \`/deploy\`.` };
  const production = productionOf(environments);
  const staging = stagingOf(environments);
  if (state.sha !== sha)
    return { approve: false, reason: `commit ${sha.slice(0, 7)} is not release ${state.version} (${state.sha.slice(0, 7)}).` };
  if (!state.approval) return { approve: false, reason: `release ${state.version} is not approved by the service owner.` };
  if (staging) {
    const d = state.deployments[staging];
    if (!d || d.sha !== sha || d.state !== 'success' || !d.verified)
      return { approve: false, reason: `release ${state.version} is not verified on ${staging}.` };
  }
  return {
    approve: true,
    reason: `release ${state.version} is approved and verified${staging ? ` on ${staging}` : ''}; ${production} may proceed.`,
  };
}

/** A GitHub release of the tag was published (by `/publish` or by hand): the state to save, or undefined when already recorded. */
export function applyPublished(state: ReleaseState, issueClosed: boolean, release: { url: string; at: string }): ReleaseState | undefined {
  if (issueClosed && state.published) return undefined;
  return { ...state, published: state.published ?? { at: release.at, url: release.url } };
}

/** What Slack hears when a release is published outside `/publish` (by hand on GitHub); `/publish` announces itself. */
export function publishedByHand(before: ReleaseState, after: ReleaseState): string | undefined {
  return !before.published && after.published
    ? `Release ${after.version} of ${after.tool} was published on GitHub: ${after.published.url ?? after.tag}`
    : undefined;
}

export interface CheckResult {
  id: number;
  name: string;
  status: string;
  conclusion?: string | null;
}

const PASSING = new Set(['success', 'neutral', 'skipped']);

/**
 * "Policy checks green on the tag": Shipshape's own policy check passed on the tag's commit and no other
 * check there failed or is still running (the newest run of each name counts, as on GitHub's commit page).
 */
export function checksGreen(runs: readonly CheckResult[], policyCheck: string): boolean {
  const latest = new Map<string, CheckResult>();
  for (const run of runs) if ((latest.get(run.name)?.id ?? -1) < run.id) latest.set(run.name, run);
  const policy = latest.get(policyCheck);
  if (!policy || policy.status !== 'completed' || policy.conclusion !== 'success') return false;
  return [...latest.values()].every((r) => r.status === 'completed' && PASSING.has(r.conclusion ?? ''));
}

/** The state with the policy item set; undefined when it does not change. */
export function applyChecks(state: ReleaseState, green: boolean): ReleaseState | undefined {
  return state.policyGreen === green ? undefined : { ...state, policyGreen: green };
}
