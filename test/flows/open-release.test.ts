/**
 * A first attempt at opening a release that dies half-way (the process killed, GitHub gone) and the
 * redelivery that follows. The milestone is the release's marker, so a redelivery finds it: while it is
 * young, a second worker may still be opening the issue, so the job must not count as done (the event would
 * never come back); once it is old, whoever made it is gone and the job finishes what is missing.
 */
import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { openRelease } from '../../src/flows/open-release.js';
import { RetryLater } from '../../src/flows/outcome.js';
import { ReleaseStore } from '../../src/flows/release-store.js';
import type { GitHub } from '../../src/github/client.js';
import { GitHubModel, type Repo } from '../../sim/model.js';
import { readFixture } from '../helpers/fixtures.js';
import { nockSimulator } from '../helpers/nock-simulator.js';

const KEYS = ['test-state-secret'] as const;
const noSleep = { sleep: () => Promise.resolve() };

let model: GitHubModel;
let repo: Repo;

beforeEach(() => {
  nock.disableNetConnect();
  model = new GitHubModel();
  repo = model.addRepo('css42', 'tool', { ...readFixture('css01.dashboards_store'), '.github/shipshape.yml': 'tool: tool\n' });
  model.tag(repo, '1.0.0', repo.branches.get('main')!, 'First release');
  nockSimulator(model);
});
afterEach(() => {
  expect(model.violations).toEqual([]);
  nock.cleanAll();
});

/** A client for one attempt; `diesAt` makes the attempt stop for good at that request, as a killed process would. */
function client(diesAt?: { method: string; path: RegExp }): GitHub {
  const octokit = new ProbotOctokit({ auth: { token: 'test' }, retry: { enabled: false }, throttle: { enabled: false } });
  octokit.hook.before('request', (options) => {
    if (diesAt && options.method === diesAt.method && diesAt.path.test(options.url)) throw new Error('the process died here');
  });
  return octokit;
}

const store = (octokit: GitHub) =>
  new ReleaseStore(octokit, { owner: 'css42', repo: 'tool', htmlUrl: 'https://github.com/css42/tool', defaultBranch: 'main' }, KEYS);
const releaseIssues = () => repo.issues.filter((i) => i.labels.includes('release'));
const milestoneAged = (ms: number) => (repo.milestones[0]!.created_at = new Date(Date.now() - ms).toISOString());

describe('a first attempt that died after creating the milestone', () => {
  beforeEach(async () => {
    await expect(openRelease(store(client({ method: 'POST', path: /\/issues$/ })), '1.0.0', noSleep)).rejects.toThrow('died');
    expect(repo.milestones).toHaveLength(1);
    expect(releaseIssues()).toHaveLength(0);
  });

  it('a redelivery soon after is not done: it asks to be retried once the grace is over', async () => {
    milestoneAged(5_000);
    const attempt = openRelease(store(client()), '1.0.0', noSleep);
    await expect(attempt).rejects.toBeInstanceOf(RetryLater);
    const err = (await attempt.catch((e: unknown) => e)) as RetryLater;
    // 30 s grace from the milestone's creation, 5 s of which have passed.
    expect(err.retryAfterMs).toBeGreaterThan(20_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(25_000);
    expect(releaseIssues()).toHaveLength(0);
  });

  it('a redelivery after the grace opens the one release issue, with its state and record', async () => {
    milestoneAged(31_000);
    const outcome = await openRelease(store(client()), '1.0.0', noSleep);
    expect(outcome).toMatchObject({ status: 'done', what: 'opened' });
    expect(releaseIssues()).toHaveLength(1);
    expect(releaseIssues()[0]!.milestone).toBe(repo.milestones[0]!.number);
    const again = await openRelease(store(client()), '1.0.0', noSleep);
    expect(again).toMatchObject({ status: 'skipped', what: 'existing' });
    expect(releaseIssues()).toHaveLength(1);
    expect(repo.checkRuns.filter((r) => r.name === 'shipshape/release')).toHaveLength(1);
  });
});

describe('a first attempt that died after opening the issue, before writing its state', () => {
  beforeEach(async () => {
    await expect(openRelease(store(client({ method: 'PATCH', path: /\/issues\/\{issue_number\}$/ })), '1.0.0', noSleep)).rejects.toThrow(
      'died',
    );
    expect(releaseIssues()).toHaveLength(1);
  });

  it('a redelivery soon after is not done either', async () => {
    milestoneAged(1_000);
    await expect(openRelease(store(client()), '1.0.0', noSleep)).rejects.toBeInstanceOf(RetryLater);
    expect(store(client()).stateOf(releaseIssues()[0]!)).toBeUndefined();
  });

  it('a redelivery after the grace writes the state into that issue, opening no other', async () => {
    milestoneAged(31_000);
    const outcome = await openRelease(store(client()), '1.0.0', noSleep);
    expect(outcome).toMatchObject({ status: 'done', what: 'completed' });
    expect(releaseIssues()).toHaveLength(1);
    expect(store(client()).stateOf(releaseIssues()[0]!)).toMatchObject({ version: '1.0.0', tag: '1.0.0', rev: 1 });
  });
});

describe('a first attempt that died after writing the state, before recording it', () => {
  const records = () => repo.checkRuns.filter((r) => r.name === 'shipshape/release');
  beforeEach(async () => {
    await expect(openRelease(store(client({ method: 'POST', path: /\/check-runs$/ })), '1.0.0', noSleep)).rejects.toThrow('died');
    expect(store(client()).stateOf(releaseIssues()[0]!)).toMatchObject({ rev: 1 });
    expect(records()).toHaveLength(0);
  });

  it('a redelivery soon after is not done either', async () => {
    milestoneAged(1_000);
    await expect(openRelease(store(client()), '1.0.0', noSleep)).rejects.toThrow('the state of issue #1 was never recorded');
  });

  it('a redelivery after the grace records the state, opening nothing else', async () => {
    milestoneAged(31_000);
    expect(await openRelease(store(client()), '1.0.0', noSleep)).toMatchObject({ status: 'done', what: 'completed' });
    expect(releaseIssues()).toHaveLength(1);
    expect(records()).toHaveLength(1);
    expect(records()[0]!.external_id).toBe('release-state:1:2');
    expect(await openRelease(store(client()), '1.0.0', noSleep)).toMatchObject({ status: 'skipped', what: 'existing' });
  });
});

// nock patches node's http for the whole jest worker: leave it as it was found, for the test files after this one.
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
