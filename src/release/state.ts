/**
 * The state of one release, kept in its issue body (a hidden, versioned marker), so GitHub is the only
 * store and any replica can continue where another stopped.
 */
/** 2: signed with a key derived for the state, bound to repository and issue, with a revision. */
export const STATE_VERSION = 2;

/** The keys that sign a release state, newest first: the first signs, any verifies. */
export type StateKeys = readonly [string, ...string[]];

export type DeploymentState = 'pending' | 'queued' | 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export interface EnvironmentDeployment {
  /** What was deployed: this release's tag, or an earlier one for a rollback. */
  tag: string;
  sha: string;
  state: DeploymentState;
  by: string;
  at: string;
  /** GitHub deployment id (method `deployment`), or undefined for a workflow_dispatch not yet seen. */
  deploymentId?: number;
  url?: string;
  verified?: { by: string; at: string };
}

export interface ReleaseState {
  v: number;
  /** Raised by every save; the newest one the app wrote is also recorded where people cannot edit it (see the store). */
  rev: number;
  version: string;
  tag: string;
  sha: string;
  tool: string;
  prerelease: boolean;
  approval?: { by: string; at: string };
  rejection?: { by: string; at: string; reason: string };
  deployments: Record<string, EnvironmentDeployment>;
  policyGreen?: boolean;
  published?: { at: string; url?: string };
  /** This release's own commit ran in production with success, once: what makes it a rollback target later. */
  ranInProduction?: { at: string };
  /** Comment and deployment-status ids already handled, so a redelivered webhook changes nothing. */
  handled: Array<number | string>;
}

export const HANDLED_KEPT = 100;

export function newReleaseState(args: { version: string; tag: string; sha: string; tool: string; prerelease: boolean }): ReleaseState {
  return { v: STATE_VERSION, rev: 0, ...args, deployments: {}, handled: [] };
}

export function markHandled(state: ReleaseState, id: number | string): ReleaseState {
  return { ...state, handled: [...state.handled.filter((h) => h !== id), id].slice(-HANDLED_KEPT) };
}

export interface ChecklistItem {
  id: string;
  text: string;
  /** Ticked by the app from the state; undefined: ticked by people. */
  auto?: (state: ReleaseState) => boolean;
}

/** The prescribed checklist, in order; `extra` lines come from `release.checklist`. */
export function checklistFor(environments: string[], options: { doi: boolean; extra: string[] }): ChecklistItem[] {
  const deployedTo = (env: string) => (s: ReleaseState) => s.deployments[env]?.sha === s.sha && s.deployments[env].state === 'success';
  const verifiedOn = (env: string) => (s: ReleaseState) => deployedTo(env)(s) && !!s.deployments[env]?.verified;
  return [
    { id: 'notes', text: 'Release notes reviewed' },
    { id: 'docs', text: 'User-facing documentation updated' },
    { id: 'backups', text: 'Backups taken before the release' },
    { id: 'upgrade', text: 'Upgrade procedures written for dependency updates' },
    ...(options.doi ? [{ id: 'doi', text: 'Reserve a DOI in Zenodo and add it to the changelog' }] : []),
    { id: 'policy', text: 'Policy checks green on the tag', auto: (s) => s.policyGreen === true },
    { id: 'approval', text: 'Approved by the service owner', auto: (s) => !!s.approval },
    ...environments.flatMap((env) => [
      { id: `deployed-${env}`, text: `Deployed to ${env}`, auto: deployedTo(env) },
      { id: `verified-${env}`, text: `Verified on ${env}`, auto: verifiedOn(env) },
    ]),
    { id: 'published', text: 'Published', auto: (s) => !!s.published },
    ...options.extra.map((text, i) => ({ id: `extra-${i}`, text })),
  ];
}
