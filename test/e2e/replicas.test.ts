/**
 * Two app instances with one Redis (real redis-server): they share one queue (events sent to one are
 * worked by both), one redelivery sweep (a Redis lock: each failed delivery is redelivered once), and when
 * one is killed mid-burst the other finishes its jobs.
 */
import { Queue } from 'bullmq';
import { QUEUE_NAME } from '../../src/ops/durable-queue.js';
import { GitHubModel, type Repo } from '../../sim/model.js';
import { GitHubSimulator, sendWebhook } from '../../sim/server.js';
import { readFixture } from '../helpers/fixtures.js';
import { describeWithRedis, startRedis, type RunningRedis } from '../helpers/redis.js';
import { pullRequestEvent } from '../helpers/release-events.js';
import { startServer, testPrivateKey, type RunningServer } from '../helpers/server.js';
import { waitFor } from '../helpers/e2e.js';

const SECRET = 'replicas-secret';

describeWithRedis('two replicas sharing Redis', () => {
  let redis: RunningRedis;
  let model: GitHubModel;
  let sim: GitHubSimulator;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    redis = await startRedis();
    model = new GitHubModel();
    sim = await new GitHubSimulator(model, { appId: 1, privateKeyPem: testPrivateKey }).start();
    const env = {
      GHE_HOST: sim.host,
      GHE_PROTOCOL: 'http',
      WEBHOOK_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      REDIS_URL: redis.url,
      QUEUE_LOCK_MS: '2000',
      REDELIVERY_INTERVAL_MINUTES: String(2 / 60),
    };
    [a, b] = await Promise.all([startServer(env), startServer(env)]);
    sim.webhookTarget = { url: a.url, secret: SECRET };
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a.stop(), b.stop()]);
    await sim.stop();
    await redis.stop();
  });

  const completedOn = async (server: RunningServer) =>
    Number(/shipshape_stored_jobs_total\{outcome="completed"\} (\d+)/.exec(await (await fetch(`${server.url}/metrics`)).text())?.[1] ?? 0);
  const runsOn = (repo: Repo, sha: string) => repo.checkRuns.filter((r) => r.head_sha === sha && r.name === 'shipshape/policy');
  function burst(name: string, count: number) {
    const repos = [0, 1, 2, 3].map((i) => model.addRepo('css42', `${name}-${i}`, readFixture('css01.dashboards_store')));
    return Array.from({ length: count }, (_, i) => {
      const repo = repos[i % repos.length]!;
      const pr = model.openPullRequest(repo, `b${i}`, { [`models/m_${i}.sql`]: `select ${i}\n` });
      return { repo, sha: pr.pull_request!.head, payload: pullRequestEvent(repo, pr.number, 'opened', 200 + (i % repos.length)) };
    });
  }

  it('events sent to one replica are worked by both, each once', async () => {
    const items = burst('shared', 40);
    const statuses = await Promise.all(items.map((item) => sendWebhook(a.url, SECRET, 'pull_request', item.payload)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await waitFor(() => items.every((item) => runsOn(item.repo, item.sha).length > 0), 'every check run', 60_000);
    await new Promise((r) => setTimeout(r, 500));
    for (const item of items) expect(runsOn(item.repo, item.sha)).toHaveLength(1);
    const [byA, byB] = await Promise.all([completedOn(a), completedOn(b)]);
    expect(byA + byB).toBe(40);
    expect(byB).toBeGreaterThan(0); // B never received a webhook: it took jobs from the shared queue
  }, 90_000);

  it('one sweep at a time: a failed delivery is redelivered once, though both replicas sweep', async () => {
    const [item] = burst('swept', 1);
    const sweepsBefore = model.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/app/hook/deliveries')).length;
    sim.recordDelivery('pull_request', item!.payload, 502);
    const failed = model.deliveries[model.deliveries.length - 1]!;
    const started = Date.now();
    await waitFor(() => runsOn(item!.repo, item!.sha).length > 0, 'the redelivered check run', 30_000);
    await new Promise((r) => setTimeout(r, 4_500)); // two more sweep periods
    const seconds = (Date.now() - started) / 1000;
    const attempts = model.requests.filter((r) => r.method === 'POST' && r.path === `/app/hook/deliveries/${failed.id}/attempts`);
    expect(attempts).toHaveLength(1);
    expect(runsOn(item!.repo, item!.sha)).toHaveLength(1);
    // Each replica tries every 2 s; the lock lets one sweep through per 1.8 s, not two.
    const sweeps = model.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/app/hook/deliveries')).length - sweepsBefore;
    expect(sweeps).toBeLessThanOrEqual(Math.ceil(seconds / 1.8) + 1);
  }, 60_000);

  it('a replica killed mid-burst: the other finishes its jobs, none twice', async () => {
    const items = burst('killed', 60);
    await Promise.all(items.map((item) => sendWebhook(a.url, SECRET, 'pull_request', item.payload)));
    await waitFor(() => items.filter((item) => runsOn(item.repo, item.sha).length).length >= 10, 'the burst under way', 60_000);
    b.process.kill('SIGKILL');
    await waitFor(() => items.every((item) => runsOn(item.repo, item.sha).length > 0), 'every check run after the kill', 60_000);
    await new Promise((r) => setTimeout(r, 3_000)); // B's locks expire; A takes over what B held
    for (const item of items) expect(runsOn(item.repo, item.sha)).toHaveLength(1);
    expect(model.violations).toEqual([]);
    // What B held when it died was found stalled and finished by A: the burst did not just finish before the kill.
    const queue = new Queue(QUEUE_NAME, { connection: { url: redis.url } });
    try {
      const completed = await queue.getCompleted(0, -1);
      const takenOver = completed.filter((job) => job.stalledCounter > 0);
      console.log(`replicas: ${completed.length} stored jobs completed in all, ${takenOver.length} taken over from the killed replica`);
      expect(takenOver.length).toBeGreaterThan(0);
      expect(new Set(takenOver.map((job) => job.processedBy)).size).toBe(1);
    } finally {
      await queue.close();
    }
  }, 120_000);
});
