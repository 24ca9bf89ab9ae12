/**
 * The environment watch: GitHub has no environment webhook, so a GraphQL look every few minutes (20
 * repositories a query, checked against GitHub's schema by the simulator over HTTP) flags the
 * repositories whose environments changed since the last look, and only those.
 */
import { Redis } from 'ioredis';
import type { GitHub } from '../../src/github/client.js';
import { watchQuery } from '../../src/github/environment-watch.js';
import { EnvironmentWatch } from '../../src/flows/environment-watch.js';
import { memoryCoordination, redisCoordination } from '../../src/ops/coordination.js';
import { queryPoints } from '../../sim/graphql-cost.js';
import { GitHubModel } from '../../sim/model.js';
import { GitHubSimulator } from '../../sim/server.js';
import { settingsOf } from '../../sim/settings.js';
import { auditedRepo, installationClient, makeCompliant, simEnvironment } from '../helpers/audit-sim.js';
import { describeWithRedis, startRedis, type RunningRedis } from '../helpers/redis.js';
import { testPrivateKey } from '../helpers/server.js';

let sim: GitHubSimulator;
let model: GitHubModel;
let octokit: GitHub;
beforeEach(async () => {
  model = new GitHubModel();
  sim = await new GitHubSimulator(model, { appId: 1, privateKeyPem: testPrivateKey }).start();
  octokit = installationClient(sim);
});
afterEach(async () => {
  expect(model.violations).toEqual([]);
  await sim.stop();
});

const MINUTE = 60_000;
function watchOf(names: string[], coordination = memoryCoordination()) {
  let now = Date.parse('2026-11-29T00:00:00Z');
  const audited: string[] = [];
  const watch = new EnvironmentWatch({
    everyMs: 30 * MINUTE,
    list: () => Promise.resolve(names.map((repo) => ({ installationId: 1, owner: 'css01', repo }))),
    clientFor: () => Promise.resolve(octokit),
    coordination,
    audit: (t) => audited.push(t.repo),
    now: () => now,
  });
  const look = async () => {
    now += 30 * MINUTE;
    return (await watch.tick()).map((t) => t.repo);
  };
  return { look, audited };
}

it('first look remembers; a production that loses its reviewers, or a new environment, is audited at the next look; the rest is not', async () => {
  const names = Array.from({ length: 25 }, (_, i) => makeCompliant(auditedRepo(model, `store-${i}`)).name);
  const { look, audited } = watchOf(names);
  expect(await look()).toEqual([]);
  const graphqlBefore = model.requests.filter((r) => r.graphql).length;
  expect(await look()).toEqual([]);
  // 25 repositories: two queries, no REST.
  expect(model.requests.filter((r) => r.graphql).length - graphqlBefore).toBe(2);

  settingsOf(model.repo('css01', 'store-3')!).environments.find((e) => e.name === 'production')!.reviewers = [];
  settingsOf(model.repo('css01', 'store-21')!).environments.push(simEnvironment('qa'));
  expect(await look()).toEqual(['store-3', 'store-21']);
  expect(audited).toEqual(['store-3', 'store-21']);
  expect(await look()).toEqual([]);
});

it('a repository whose environments GitHub withholds is neither flagged nor forgotten', async () => {
  const repo = makeCompliant(auditedRepo(model, 'store'));
  const { look } = watchOf(['store']);
  await look();
  settingsOf(repo).forbidden.add('actions');
  expect(await look()).toEqual([]);
  settingsOf(repo).forbidden.delete('actions');
  expect(await look()).toEqual([]);
});

it('one replica per window: a second watch sharing the coordination looks at nothing', async () => {
  makeCompliant(auditedRepo(model, 'store'));
  const shared = memoryCoordination();
  const a = watchOf(['store'], shared);
  const b = watchOf(['store'], shared);
  await a.look();
  const before = model.requests.length;
  await b.look();
  expect(model.requests.length).toBe(before);
});

it('costs 4 GraphQL points per 20 repositories: looking at 2,000 every 30 minutes is 800 points an hour, no REST', () => {
  const targets = Array.from({ length: 20 }, (_, i) => ({ owner: 'css01', repo: `r${i}` }));
  const { query, variables } = watchQuery(targets);
  expect(queryPoints(query, variables)).toBe(4);
});

describeWithRedis('fingerprints in Redis', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  it('a replica that did not take the previous look still sees the change', async () => {
    const repo = makeCompliant(auditedRepo(model, 'store'));
    const client = new Redis(redis.url);
    const first = watchOf(['store'], redisCoordination(client));
    await first.look();
    settingsOf(repo).environments = [];
    const second = watchOf(['store'], redisCoordination(client));
    try {
      expect(await second.look()).toEqual([]); // the window the first replica holds
      expect(await second.look()).toEqual(['store']);
    } finally {
      await client.quit();
    }
  });
});
