/**
 * Two app instances (two Probot apps, each with its own Redis connection, as two replicas are) share one
 * rate-limit budget through a real Redis: together they stay within what the simulated GitHub allows one
 * installation, where two instances without Redis, each counting alone, are refused.
 */
import pino from 'pino';
import { Probot } from 'probot';
import { BUDGET_KINDS } from '../../src/github/budgets.js';
import { disconnectBudgets, ShipshapeOctokit } from '../../src/github/octokit.js';
import type { BudgetSettings } from '../../src/github/throttle.js';
import { GitHubModel } from '../../sim/model.js';
import { GitHubSimulator } from '../../sim/server.js';
import { describeWithRedis, startRedis, type RunningRedis } from '../helpers/redis.js';
import { testPrivateKey } from '../helpers/server.js';

/** Two writes (5 points each) per endpoint per 2 s, on both sides; GitHub's other limits as they are. */
const WINDOW_MS = 2000;
const limits = {
  concurrent: 100,
  restPointsPerMinutePerEndpoint: 10,
  graphqlPointsPerMinute: 2000,
  contentPerMinute: 80,
  contentPerHour: 500,
  retryAfterSeconds: 1,
  windowMs: WINDOW_MS,
};

describeWithRedis('two instances, one budget (Redis)', () => {
  let redis: RunningRedis;
  let sim: GitHubSimulator;
  let model: GitHubModel;
  let run = 0;

  beforeAll(async () => {
    redis = await startRedis();
  }, 20_000);
  afterAll(async () => {
    await redis.stop();
  });
  beforeEach(async () => {
    model = new GitHubModel();
    model.addRepo('css42', 'store', { 'README.md': '# store\n' });
    sim = await new GitHubSimulator(model, { appId: 1, privateKeyPem: testPrivateKey, limits }).start();
    run++;
  });
  afterEach(async () => {
    await disconnectBudgets();
    await sim.stop();
  });

  /** One instance as `npm start` builds it: Probot with our Octokit class, REDIS_URL when given. */
  const instance = (redisUrl: string | undefined, name: string) => {
    const budgets: Partial<BudgetSettings> = {
      kinds: { ...BUDGET_KINDS, rest: { ...BUDGET_KINDS.rest, limit: 10, windowMs: WINDOW_MS } },
      prefix: `test${run}`,
    };
    const Octokit = ShipshapeOctokit.defaults((options: Record<string, unknown>) => ({
      ...options,
      throttle: { ...(options.throttle as object), budgets },
    }));
    return new Probot({
      appId: 1,
      privateKey: testPrivateKey,
      baseUrl: `${sim.url}/api/v3`,
      Octokit,
      redisConfig: redisUrl,
      log: pino({ level: 'silent', name }),
    });
  };

  /** Each instance creates three check runs on installation 7 at once; returns how long all six took. */
  const burst = async (redisUrl: string | undefined) => {
    const clients = await Promise.all(['a', 'b'].map((name) => instance(redisUrl, name).auth(7)));
    const sha = model.repo('css42', 'store')!.branches.get('main')!;
    const started = Date.now();
    await Promise.all(
      clients.flatMap((octokit) =>
        Array.from({ length: 3 }, (_, i) =>
          octokit.request('POST /repos/{owner}/{repo}/check-runs', {
            owner: 'css42',
            repo: 'store',
            name: `run-${i}`,
            head_sha: sha,
            status: 'completed',
            conclusion: 'success',
          }),
        ),
      ),
    );
    return Date.now() - started;
  };

  it('shares the budget: six writes go two per window, none refused', async () => {
    const elapsed = await burst(redis.url);
    expect(sim.refused).toEqual([]);
    expect(model.repo('css42', 'store')!.checkRuns).toHaveLength(6);
    // Two now, two when the first window has passed, two after the second.
    expect(elapsed).toBeGreaterThanOrEqual(2 * WINDOW_MS);
    expect(elapsed).toBeLessThan(5 * WINDOW_MS);
  }, 30_000);

  it('without Redis each instance counts alone, and GitHub refuses what they send together', async () => {
    await burst(undefined);
    expect(sim.refused.length).toBeGreaterThan(0);
    expect(sim.refused[0]).toMatch(/more than 10 points per minute on rest POST \/repos\/\{owner\}\/\{repo\}\/check-runs/);
  }, 30_000);
});
