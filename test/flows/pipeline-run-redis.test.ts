/**
 * With REDIS_URL, replicas racing on the same workflow_run (GitHub delivering it to two replicas at once,
 * or a redelivery arriving while the first is mid-way) start the next step once: the Redis claim is
 * atomic, where the record on the upstream commit is read and then written.
 */
import { Redis } from 'ioredis';
import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { handleWorkflowRun } from '../../src/flows/pipeline-run.js';
import { redisCoordination } from '../../src/ops/coordination.js';
import { onceIn, type OnceStore } from '../../src/ops/once.js';
import type { CompletedRun } from '../../src/pipelines/decide.js';
import { GitHubModel } from '../../sim/model.js';
import { nockSimulator } from '../helpers/nock-simulator.js';
import { describeWithRedis, startRedis, type RunningRedis } from '../helpers/redis.js';

const octokit = () => new ProbotOctokit({ auth: { token: 'test' }, retry: { enabled: false }, throttle: { enabled: false } }) as never;

describeWithRedis('pipelines with a shared Redis claim', () => {
  let redis: RunningRedis;
  beforeAll(async () => (redis = await startRedis()));
  afterAll(async () => redis.stop());
  /** Each replica's claims: its own Redis connection, through the coordination service. */
  const replicaOnce = (): OnceStore & { close(): void } => {
    const connection = new Redis(redis.url, { maxRetriesPerRequest: 2 });
    return { ...onceIn(redisCoordination(connection)), close: () => connection.disconnect() };
  };
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  // Each test's simulator numbers runs from the same start, so each starts from an empty Redis.
  beforeEach(async () => {
    const client = new Redis(redis.url);
    await client.flushall();
    client.disconnect();
  });

  it('five replicas handling the same completed run at once start the next step once', async () => {
    const model = new GitHubModel();
    model.addRepo('dssquad', '.github', {
      '.github/shipshape.yml':
        'pipelines:\n  p:\n    - { repository: kit, workflow: collect.yml }\n    - { repository: ml, workflow: retrain.yml }\n',
    });
    const kit = model.addRepo('dssquad', 'kit', { '.github/workflows/collect.yml': 'on: push\n' });
    const ml = model.addRepo('dssquad', 'ml', { '.github/workflows/retrain.yml': 'on: workflow_dispatch\n' });
    nockSimulator(model);
    const upstream = model.completeRun(model.startRun(kit, 'collect.yml', { event: 'push' }), 'success');
    const run: CompletedRun = {
      owner: 'dssquad',
      repository: 'kit',
      workflow: 'collect.yml',
      id: upstream.id,
      attempt: 1,
      url: 'https://github.com/dssquad/kit/actions/runs/1',
      sha: upstream.head_sha,
      conclusion: 'success',
      branch: 'main',
      defaultBranch: 'main',
      event: 'push',
    };
    const stores = Array.from({ length: 5 }, replicaOnce);
    const outcomes = await Promise.all(stores.map((once) => handleWorkflowRun(octokit(), run, { once })));
    for (const s of stores) s.close();
    expect(ml.dispatches).toHaveLength(1);
    expect(
      outcomes.flatMap((o) => (o.detail?.summaries as string[] | undefined) ?? []).filter((s) => s.includes('per the shared claim')),
    ).toHaveLength(4);
    expect(model.violations).toEqual([]);
  });

  it('a dispatch GitHub refuses releases the claim, so a redelivery after the fix can start the step', async () => {
    const model = new GitHubModel();
    model.addRepo('dssquad', '.github', {
      '.github/shipshape.yml':
        'pipelines:\n  p:\n    - { repository: kit, workflow: collect.yml }\n    - { repository: ml, workflow: retrain.yml }\n',
    });
    const kit = model.addRepo('dssquad', 'kit', { '.github/workflows/collect.yml': 'on: push\n' });
    const ml = model.addRepo('dssquad', 'ml', { '.github/workflows/retrain.yml': 'on: workflow_dispatch\n' });
    // GitHub refuses this one dispatch (the workflow was disabled in between, say); the simulator answers the rest.
    nock('https://api.github.com')
      .post('/repos/dssquad/ml/actions/workflows/retrain.yml/dispatches')
      .reply(422, { message: 'Workflow is disabled' });
    nockSimulator(model);
    const upstream = model.completeRun(model.startRun(kit, 'collect.yml', { event: 'push' }), 'success');
    const run: CompletedRun = {
      owner: 'dssquad',
      repository: 'kit',
      workflow: 'collect.yml',
      id: upstream.id,
      attempt: 1,
      url: 'https://github.com/dssquad/kit/actions/runs/1',
      sha: upstream.head_sha,
      conclusion: 'success',
      branch: 'main',
      defaultBranch: 'main',
      event: 'push',
    };
    const once = replicaOnce();
    try {
      await handleWorkflowRun(octokit(), run, { once });
      expect(ml.dispatches).toHaveLength(0);
      expect(kit.issues[0]!.body).toContain('GitHub refused to start ml/retrain.yml (422): Workflow is disabled');
      expect(kit.checkRuns).toMatchObject([{ name: 'shipshape/pipeline: p', status: 'completed', conclusion: 'skipped' }]);
      await handleWorkflowRun(octokit(), run, { once });
      expect(ml.dispatches).toHaveLength(1);
      expect(kit.issues[0]!.state).toBe('closed');
    } finally {
      once.close();
    }
  });
});

// nock patches node's http for the whole jest worker: leave it as it was found, for the test files after this one.
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
