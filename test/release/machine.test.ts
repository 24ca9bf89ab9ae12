import { parseCommands } from '../../src/release/commands.js';
import { applyDeploymentStatus } from '../../src/release/events.js';
import { announcement, decide, type Actor, type Role, type World } from '../../src/release/machine.js';
import { newReleaseState, type ReleaseState } from '../../src/release/state.js';

const SHA = 'a'.repeat(40);
const fresh = () => newReleaseState({ version: '1.4.0', tag: '1.4.0', sha: SHA, tool: 'store', prerelease: false });
const owner: Actor = { login: 'olivia', roles: new Set<Role>(['service-owner']) };
const maint: Actor = { login: 'pat', roles: new Set<Role>(['platform-maintainer']) };
const nobody: Actor = { login: 'eve', roles: new Set() };
const world = (extra: Partial<World> = {}): World => ({
  now: '2026-11-25T10:00:00Z',
  environments: ['staging', 'production'],
  busy: {},
  ...extra,
});
const cmd = (text: string) => parseCommands(text)[0]!;

function run(state: ReleaseState, text: string, actor: Actor, w = world()) {
  return decide(state, cmd(text), actor, w);
}
function ok(state: ReleaseState, text: string, actor: Actor, w = world()): ReleaseState {
  const d = run(state, text, actor, w);
  if (!d.ok) throw new Error(`refused: ${d.reply}`);
  return d.state;
}
const ENVS = ['staging', 'production'];
const status = (env: string, id: number, sha: string, state: 'success' | 'failure' | 'in_progress', statusId: number) => ({
  deployment: { id, sha, ref: sha, environment: env },
  state,
  statusId,
  at: 'now',
});
const succeeded = (s: ReleaseState, env: string, id = 1) =>
  applyDeploymentStatus(s, status(env, id, s.deployments[env]!.sha, 'success', id * 10), ENVS)!;
const withId = (s: ReleaseState, env: string, id: number) => ({
  ...s,
  deployments: { ...s.deployments, [env]: { ...s.deployments[env]!, deploymentId: id } },
});

describe('the whole story, tag to published', () => {
  it('approve → staging → verify → production → verify → publish', () => {
    let s = ok(fresh(), '/approve', owner);
    expect(s.approval).toEqual({ by: 'olivia', at: '2026-11-25T10:00:00Z' });
    const d1 = run(s, '/deploy staging', maint);
    expect(d1).toMatchObject({ ok: true, effect: { kind: 'deploy', environment: 'staging', tag: '1.4.0', sha: SHA, rollback: false } });
    s = succeeded(withId((d1 as { state: ReleaseState }).state, 'staging', 1), 'staging', 1);
    s = ok(s, '/verify staging', maint);
    s = withId(ok(s, '/deploy production', maint), 'production', 2);
    s = succeeded(s, 'production', 2);
    s = ok(s, '/verify production', maint);
    expect(run(s, '/publish', owner)).toMatchObject({ ok: true, effect: { kind: 'publish' } });
  });
});

describe('refusals, each with its reason', () => {
  const cases: Array<[string, ReleaseState, string, Actor, RegExp, World?]> = [
    ['approve by a maintainer', fresh(), '/approve', maint, /only service owners of this repository can `\/approve`/],
    ['approve by nobody', fresh(), '/approve', nobody, /only service owners/],
    ['approve twice', ok(fresh(), '/approve', owner), '/approve', owner, /already approved by @olivia/],
    ['reject without reason', fresh(), '/reject', owner, /needs a reason/],
    ['deploy by the service owner', fresh(), '/deploy staging', owner, /only platform maintainers/],
    ['deploy to an unknown environment', fresh(), '/deploy qa', maint, /needs one of: staging, production/],
    ['production before approval', fresh(), '/deploy production', maint, /needs the service owner's `\/approve`/],
    [
      'production before staging',
      ok(fresh(), '/approve', owner),
      '/deploy production',
      maint,
      /deployed to staging successfully and verified/,
    ],
    [
      'deploy after rejection',
      ok(fresh(), '/reject notes missing', owner),
      '/deploy staging',
      maint,
      /rejected by @olivia \(notes missing\)/,
    ],
    [
      'deploy to a busy environment names the one in progress',
      fresh(),
      '/deploy staging',
      maint,
      /staging is busy with 1\.3\.9 \(deployment 77\)/,
      world({ busy: { staging: '1.3.9 (deployment 77)' } }),
    ],
    ['verify with nothing deployed', fresh(), '/verify staging', maint, /no successful deployment on staging/],
    [
      'publish before production is verified',
      ok(fresh(), '/approve', owner),
      '/publish',
      owner,
      /before it is deployed to production and verified/,
    ],
    ['rollback with no earlier release', fresh(), '/rollback', maint, /no release before 1\.4\.0/],
    ['unknown command gets the help', fresh(), '/frobnicate', owner, /not a command[\s\S]*\/approve/],
  ];
  // One argument: with as many parameters as columns plus one, jest would take the last for `done`.
  it.each(cases.map((c) => [c[0], c] as const))('%s', (_name, [, state, text, actor, reason, w]) => {
    const d = run(state, text, actor, w ?? world());
    expect(d.ok).toBe(false);
    expect(d.reply).toMatch(reason);
  });

  it('production needs the very commit verified on staging', () => {
    let s = ok(fresh(), '/approve', owner);
    s = withId(ok(s, '/deploy staging', maint), 'staging', 1);
    s = succeeded(s, 'staging', 1);
    expect(run(s, '/deploy production', maint).reply).toMatch(/verified there/); // deployed, not verified
    const otherCommit = { ...ok(s, '/verify staging', maint), sha: 'b'.repeat(40) };
    expect(run(otherCommit, '/deploy production', maint).ok).toBe(false);
  });

  it('a failed staging deployment un-verifies and blocks production', () => {
    let s = ok(fresh(), '/approve', owner);
    s = succeeded(withId(ok(s, '/deploy staging', maint), 'staging', 1), 'staging', 1);
    s = ok(s, '/verify staging', maint);
    s = applyDeploymentStatus(s, status('staging', 1, SHA, 'failure', 99), ENVS)!;
    expect(s.deployments.staging).toMatchObject({ state: 'failure', verified: undefined });
    expect(run(s, '/deploy production', maint).ok).toBe(false);
  });
});

describe('reject then approve', () => {
  it('a rejection is lifted by a new approval', () => {
    const rejected = ok(fresh(), '/reject the backup is missing', owner);
    expect(rejected.rejection).toMatchObject({ reason: 'the backup is missing' });
    const approved = ok(rejected, '/approve', owner);
    expect(approved.rejection).toBeUndefined();
    expect(run(approved, '/deploy staging', maint).ok).toBe(true);
  });
});

describe('rollback, status, help, published', () => {
  it('rollback deploys the previous release to production', () => {
    expect(run(fresh(), '/rollback', maint, world({ previous: { tag: '1.3.0', sha: 'c'.repeat(40) } }))).toMatchObject({
      ok: true,
      effect: { kind: 'deploy', environment: 'production', tag: '1.3.0', rollback: true },
    });
  });
  it('status and help are for everyone; help lists only the commands one may use', () => {
    expect(run(fresh(), '/status', nobody)).toMatchObject({
      ok: true,
      reply: expect.stringContaining('approval: waiting for the service owner'),
    });
    const help = run(fresh(), '/help', maint).reply;
    expect(help).toContain('/deploy <environment>');
    expect(help).not.toContain('/approve');
  });
  it('after publishing, only status, help and rollback answer', () => {
    const published = { ...fresh(), published: { at: 'x' } };
    expect(run(published, '/approve', owner).reply).toMatch(/already published/);
    expect(run(published, '/status', owner).ok).toBe(true);
    expect(run(published, '/rollback', maint, world({ previous: { tag: '1.3.0', sha: 'c'.repeat(40) } }))).toMatchObject({
      ok: true,
      effect: { kind: 'deploy', environment: 'production', tag: '1.3.0', sha: 'c'.repeat(40), rollback: true },
    });
  });
  it('a tag moved since the release opened is not deployed; the reply names both commits', () => {
    const d = run(fresh(), '/deploy staging', maint, world({ tagSha: 'f'.repeat(40) }));
    expect(d).toMatchObject({ ok: false, reply: expect.stringContaining(`now points at fffffff, but release 1.4.0 is commit aaaaaaa`) });
    expect(run(fresh(), '/deploy staging', maint, world({ tagSha: SHA })).ok).toBe(true);
  });
  it('Slack hears of approval, rejection, publishing and rollback, not of the rest', () => {
    const approved = ok(fresh(), '/approve', owner);
    expect(announcement(cmd('/approve'), fresh(), approved, owner)).toBe('Release 1.4.0 of store was approved by @olivia.');
    expect(announcement(cmd('/reject no backup'), fresh(), ok(fresh(), '/reject no backup', owner), owner)).toBe(
      'Release 1.4.0 of store was rejected by @olivia: no backup',
    );
    expect(announcement(cmd('/publish'), fresh(), { ...fresh(), published: { at: 'x', url: 'https://r' } }, owner)).toBe(
      'Release 1.4.0 of store was published: https://r',
    );
    const rolled = ok(fresh(), '/rollback', maint, world({ previous: { tag: '1.3.0', sha: 'c'.repeat(40) } }));
    expect(announcement(cmd('/rollback'), fresh(), rolled, maint)).toContain('@pat is rolling production back to 1.3.0');
    expect(announcement(cmd('/status'), fresh(), fresh(), owner)).toBeUndefined();
  });
});
