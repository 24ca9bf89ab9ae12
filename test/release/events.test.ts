import { parseCommands } from '../../src/release/commands.js';
import {
  applyChecks,
  applyDeploymentStatus,
  applyPublished,
  checksGreen,
  claimedVersion,
  deploymentReport,
  productionGate,
  protectionGate,
  rollbackGate,
  rollbackVersion,
  type StatusUpdate,
} from '../../src/release/events.js';
import { decide, type Actor, type Role } from '../../src/release/machine.js';
import { newReleaseState, type DeploymentState, type ReleaseState } from '../../src/release/state.js';

const SHA = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);
const ENVS = ['staging', 'production'];
const fresh = () => newReleaseState({ version: '1.4.0', tag: '1.4.0', sha: SHA, tool: 'store', prerelease: false });
const owner: Actor = { login: 'olivia', roles: new Set<Role>(['service-owner']) };
const maint: Actor = { login: 'pat', roles: new Set<Role>(['platform-maintainer']) };
function ok(state: ReleaseState, text: string, actor: Actor): ReleaseState {
  const d = decide(state, parseCommands(text)[0]!, actor, { now: 'now', environments: ENVS, busy: {} });
  if (!d.ok) throw new Error(d.reply);
  return d.state;
}
const update = (
  env: string,
  id: number,
  state: DeploymentState,
  statusId: number,
  extra: Partial<StatusUpdate['deployment']> = {},
): StatusUpdate => ({ deployment: { id, sha: SHA, ref: SHA, environment: env, ...extra }, state, statusId, at: 'now' });
const withId = (s: ReleaseState, env: string, id: number) => ({
  ...s,
  deployments: { ...s.deployments, [env]: { ...s.deployments[env]!, deploymentId: id } },
});

describe('deployment statuses', () => {
  it('apply to the deployment the release started, once', () => {
    const s = withId(ok(ok(fresh(), '/approve', owner), '/deploy staging', maint), 'staging', 5);
    const next = applyDeploymentStatus(s, update('staging', 5, 'in_progress', 1), ENVS);
    expect(next?.deployments.staging?.state).toBe('in_progress');
    expect(applyDeploymentStatus(next!, update('staging', 5, 'in_progress', 1), ENVS)).toBeUndefined();
    // An older deployment than the recorded one is history.
    expect(applyDeploymentStatus(s, update('staging', 4, 'success', 2), ENVS)).toBeUndefined();
    // An environment the configuration does not list.
    expect(applyDeploymentStatus(s, update('qa', 6, 'success', 3), ENVS)).toBeUndefined();
  });

  it('adopt a workflow_dispatch deployment by commit', () => {
    const s = ok(fresh(), '/deploy staging', maint);
    expect(applyDeploymentStatus(s, update('staging', 9, 'success', 4), ENVS)?.deployments.staging).toMatchObject({
      deploymentId: 9,
      state: 'success',
    });
  });

  it('adopt a deployment someone else made of the release commit, by sha or by ref = the tag', () => {
    const bySha = applyDeploymentStatus(fresh(), update('staging', 30, 'success', 5, { creator: 'cd-bot[bot]' }), ENVS);
    expect(bySha?.deployments.staging).toEqual({
      tag: '1.4.0',
      sha: SHA,
      state: 'success',
      by: 'cd-bot[bot]',
      at: 'now',
      deploymentId: 30,
      url: undefined,
    });
    expect(
      applyDeploymentStatus(fresh(), update('staging', 31, 'success', 6, { ref: '1.4.0', sha: SHA }), ENVS)?.deployments.staging?.state,
    ).toBe('success');
    // Another commit on a branch is not this release.
    expect(applyDeploymentStatus(fresh(), update('staging', 32, 'success', 7, { ref: 'main', sha: OTHER }), ENVS)).toBeUndefined();
  });

  it('an adopted staging deployment unlocks production only for the very commit', () => {
    let s = ok(fresh(), '/approve', owner);
    s = applyDeploymentStatus(s, update('staging', 30, 'success', 5, { creator: 'cd' }), ENVS)!;
    s = ok(s, '/verify staging', maint);
    expect(productionGate(s, SHA, ENVS).approve).toBe(true);
    // The tag moved and CD deployed the new commit by tag name: adopted, but not verifiable for this release.
    const moved = applyDeploymentStatus(
      ok(fresh(), '/approve', owner),
      update('staging', 40, 'success', 8, { ref: '1.4.0', sha: OTHER }),
      ENVS,
    )!;
    expect(moved.deployments.staging?.sha).toBe(OTHER);
    expect(() => ok(moved, '/verify staging', maint)).toThrow(/no successful deployment on staging/);
    expect(productionGate(moved, SHA, ENVS).approve).toBe(false);
  });
});

describe('what the issue and Slack are told', () => {
  it('outcomes only, rollbacks named as such', () => {
    const s = applyDeploymentStatus(fresh(), update('staging', 1, 'success', 1), ENVS)!;
    expect(deploymentReport(s, 'staging', { state: 'success', url: 'https://ci/log/1' })).toEqual({
      issue: '✅ Deployment of 1.4.0 to staging succeeded: https://ci/log/1\n\nNext: `/verify staging` once it is checked.',
      slack: 'Deployment of 1.4.0 to staging succeeded: https://ci/log/1',
    });
    expect(deploymentReport(s, 'staging', { state: 'in_progress' })).toBeUndefined();
    const rolled = {
      ...fresh(),
      deployments: { production: { tag: '1.3.0', sha: OTHER, state: 'failure' as const, by: 'pat', at: 'now', deploymentId: 3 } },
    };
    expect(deploymentReport(rolled, 'production', { state: 'failure', url: 'https://ci/log/3', description: 'timeout' })?.issue).toBe(
      '❌ Rollback of production to 1.3.0 (release 1.4.0) failed: https://ci/log/3\n\n> timeout',
    );
  });
});

describe('the protection rule', () => {
  it('approves only an approved release verified on staging, and lets environments it does not gate through', () => {
    expect(productionGate(undefined, SHA, ENVS)).toMatchObject({ approve: false, reason: expect.stringContaining('no release issue') });
    expect(productionGate(fresh(), SHA, ENVS)).toMatchObject({ approve: false, reason: expect.stringContaining('not approved') });
    const approved = ok(fresh(), '/approve', owner);
    expect(productionGate(approved, SHA, ENVS)).toMatchObject({
      approve: false,
      reason: expect.stringContaining('not verified on staging'),
    });
    const verified = ok(
      applyDeploymentStatus(withId(ok(approved, '/deploy staging', maint), 'staging', 1), update('staging', 1, 'success', 1), ENVS)!,
      '/verify staging',
      maint,
    );
    expect(productionGate(verified, SHA, ENVS).approve).toBe(true);
    expect(productionGate(verified, OTHER, ENVS).approve).toBe(false);
    expect(protectionGate(undefined, { sha: SHA, environment: 'staging' }, ENVS)).toEqual({
      approve: true,
      reason: 'Shipshape gates only production; staging is not gated by it.',
    });
    expect(protectionGate('tampered', { sha: SHA, environment: 'production' }, ENVS, 7)).toMatchObject({
      approve: false,
      reason: expect.stringContaining('#7 was edited by hand'),
    });
  });
});

describe('rollbacks through the protection rule', () => {
  const ran = applyDeploymentStatus(fresh(), update('production', 40, 'success', 41), ENVS)!;
  it('production success of the release commit is remembered, even once production moves on', () => {
    expect(ran.ranInProduction).toEqual({ at: 'now' });
    // A later deployment that fails does not undo it (the handler test rolls back to another release).
    expect(applyDeploymentStatus(ran, update('production', 41, 'failure', 42), ENVS)?.ranInProduction).toEqual({ at: 'now' });
    expect(applyDeploymentStatus(fresh(), update('staging', 43, 'success', 44), ENVS)?.ranInProduction).toBeUndefined();
    expect(applyDeploymentStatus(fresh(), update('production', 45, 'failure', 46), ENVS)?.ranInProduction).toBeUndefined();
  });
  it.each([
    ['a release production ran', ran, SHA, true, /^rollback to release 1\.4\.0, which production ran before/],
    ['a published release', { ...fresh(), published: { at: 'then' } }, SHA, true, /which production ran before/],
    ['a release that never ran in production', fresh(), SHA, false, /never ran in production/],
    ['another commit', ran, OTHER, false, /^commit bbbbbbb is not release 1\.4\.0/],
    ['no release issue', undefined, SHA, false, /no release issue of Shipshape shows 1\.4\.0 in production/],
    ['an issue edited by hand', 'tampered' as const, SHA, false, /edited by hand/],
  ])('%s', (_what, target, sha, approve, reason) => {
    const gate = rollbackGate(target, { sha, tag: '1.4.0' }, ENVS);
    expect(gate.approve).toBe(approve);
    expect(gate.reason).toMatch(reason);
  });
  it('only a Shipshape rollback payload names a rollback target', () => {
    expect(rollbackVersion({ payload: { version: '1.5.0', tag: '1.4.0', rollback: true } }, 'semver')).toBe('1.4.0');
    expect(rollbackVersion({ payload: { version: '1.5.0', tag: '1.4.0' } }, 'semver')).toBeUndefined();
    expect(rollbackVersion({ payload: null }, 'semver')).toBeUndefined();
  });
});

describe('published, checks, claimed version', () => {
  it('a published release is recorded once', () => {
    expect(applyPublished(fresh(), false, { url: 'u', at: 't' })?.published).toEqual({ at: 't', url: 'u' });
    const published = { ...fresh(), published: { at: 'x', url: 'v' } };
    expect(applyPublished(published, true, { url: 'u', at: 't' })).toBeUndefined();
    expect(applyPublished(published, false, { url: 'u', at: 't' })?.published).toEqual({ at: 'x', url: 'v' });
  });

  it('policy checks are green when Shipshape passed and nothing else failed or runs (newest run per name)', () => {
    const policy = (id: number, conclusion: string) => ({ id, name: 'shipshape/policy', status: 'completed', conclusion });
    expect(checksGreen([], 'shipshape/policy')).toBe(false);
    expect(checksGreen([policy(1, 'success')], 'shipshape/policy')).toBe(true);
    expect(checksGreen([policy(1, 'success'), policy(2, 'failure')], 'shipshape/policy')).toBe(false);
    expect(checksGreen([policy(1, 'failure'), policy(2, 'success')], 'shipshape/policy')).toBe(true);
    expect(checksGreen([policy(1, 'success'), { id: 3, name: 'ci/test', status: 'in_progress' }], 'shipshape/policy')).toBe(false);
    expect(
      checksGreen([policy(1, 'success'), { id: 3, name: 'ci/test', status: 'completed', conclusion: 'skipped' }], 'shipshape/policy'),
    ).toBe(true);
    expect(applyChecks(fresh(), false)?.policyGreen).toBe(false);
    expect(applyChecks({ ...fresh(), policyGreen: true }, true)).toBeUndefined();
  });

  it('a deployment claims a version by its payload, else by its ref as a tag', () => {
    expect(claimedVersion({ ref: SHA, payload: { version: '1.4.0' } }, 'semver')).toBe('1.4.0');
    expect(claimedVersion({ ref: 'v1.4.0', payload: {} }, 'semver')).toBe('1.4.0');
    expect(claimedVersion({ ref: 'main', payload: null }, 'semver')).toBeUndefined();
  });
});
