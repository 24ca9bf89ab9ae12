/**
 * Our throttling: GitHub's budgets per installation and endpoint, requests that wait for them fairly, and
 * GitHub's own retry-after (403/429) waited out and retried, not surfaced.
 */
import nock from 'nock';
import { BUDGET_KINDS, type BudgetKind } from '../../src/github/budgets.js';
import { BUDGETS, budgetsFor, clientOptions, ShipshapeOctokit } from '../../src/github/octokit.js';
import type { BudgetSettings } from '../../src/github/throttle.js';
import { registry } from '../../src/ops/metrics.js';

afterEach(() => nock.cleanAll());

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const sha = 'a'.repeat(40);

/** A client of installation `installationId`; seconds of retry-after become milliseconds so tests do not wait. */
const octokit = (budgets?: Partial<BudgetSettings>, retry: Record<string, unknown> = { enabled: false }) =>
  new ShipshapeOctokit({ auth: { token: 'test' }, retry, log: quiet, throttle: { retryAfterBaseValue: 1, budgets } } as never);

/** Small budgets with short windows, so waiting shows in milliseconds. */
const small = (kinds: Partial<Record<BudgetKind['name'], Partial<BudgetKind>>>): Partial<BudgetSettings> => ({
  kinds: Object.fromEntries(
    Object.entries(BUDGET_KINDS).map(([name, kind]) => [name, { ...kind, ...kinds[name as BudgetKind['name']] }]),
  ) as BudgetSettings['kinds'],
});

const createCheckRun = (client: ReturnType<typeof octokit>, repo = 'r') =>
  client.request('POST /repos/{owner}/{repo}/check-runs', { owner: 'o', repo, name: 'x', head_sha: sha });

it('retries a write refused by the secondary rate limit after retry-after', async () => {
  const scope = nock('https://api.github.com')
    .post('/repos/o/r/check-runs')
    .reply(
      403,
      { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
      { 'retry-after': '2' },
    )
    .post('/repos/o/r/check-runs')
    .reply(201, { id: 7 });
  const { data } = await createCheckRun(octokit());
  expect(data.id).toBe(7);
  expect(scope.isDone()).toBe(true);
});

it('gives up after the retry budget and surfaces the error', async () => {
  const scope = nock('https://api.github.com')
    .post('/repos/o/r/check-runs')
    .times(BUDGETS.maxRetries + 1)
    .reply(429, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '1' });
  await expect(createCheckRun(octokit())).rejects.toMatchObject({ status: 429 });
  expect(scope.isDone()).toBe(true);
});

it('waits out retry-after itself on a 429 even with plugin-retry on (which would retry at once)', async () => {
  const scope = nock('https://api.github.com')
    .post('/repos/o/r/check-runs')
    .reply(429, { message: 'Too many requests' }, { 'retry-after': '300' })
    .post('/repos/o/r/check-runs')
    .reply(201, { id: 8 });
  const started = Date.now();
  const { data } = await createCheckRun(octokit(undefined, {}));
  expect(data.id).toBe(8);
  expect(Date.now() - started).toBeGreaterThanOrEqual(290); // 300 "seconds" of 1 ms
  expect(scope.isDone()).toBe(true);
});

it('does not retry a 403 that is not a rate limit', async () => {
  const scope = nock('https://api.github.com')
    .post('/repos/o/r/check-runs')
    .reply(403, { message: 'Resource not accessible by integration' });
  await expect(createCheckRun(octokit())).rejects.toMatchObject({ status: 403 });
  expect(scope.isDone()).toBe(true);
});

it('sends GraphQL queries and writes side by side, not one a second through a write queue', async () => {
  const scope = nock('https://api.github.com')
    .post('/graphql')
    .times(40)
    .reply(200, { data: { repository: { name: 'r' } } })
    .post('/repos/o/r/check-runs')
    .times(40)
    .reply(201, { id: 1 });
  const client = octokit({});
  const started = Date.now();
  await Promise.all([
    ...Array.from({ length: 40 }, () => client.graphql('query { repository(owner: "o", name: "r") { name } }')),
    ...Array.from({ length: 40 }, () => createCheckRun(client)),
  ]);
  // Probot's default throttling takes 80 s here (one write or query a second).
  expect(Date.now() - started).toBeLessThan(3000);
  expect(scope.isDone()).toBe(true);
});

it('makes a write wait when its endpoint has spent its points in the window, and not writes to other endpoints', async () => {
  // 10 points per 400 ms: two writes (5 points each) per window on each endpoint.
  const client = octokit(small({ rest: { limit: 10, windowMs: 400 } }));
  const at: Record<string, number[]> = { create: [], update: [] };
  nock('https://api.github.com')
    .post('/repos/o/r/check-runs')
    .times(3)
    .reply(201, () => (at.create!.push(Date.now()), { id: 1 }))
    .patch('/repos/o/r/check-runs/1')
    .times(2)
    .reply(200, () => (at.update!.push(Date.now()), { id: 1 }));
  const started = Date.now();
  await Promise.all([
    ...Array.from({ length: 3 }, () => createCheckRun(client)),
    ...Array.from({ length: 2 }, () =>
      client.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { owner: 'o', repo: 'r', check_run_id: 1 }),
    ),
  ]);
  const after = (list: number[]) => list.map((t) => t - started).sort((a, b) => a - b);
  expect(after(at.create!)[1]).toBeLessThan(300);
  expect(after(at.create!)[2]).toBeGreaterThanOrEqual(390); // the third waited for the window
  expect(Math.max(...after(at.update!))).toBeLessThan(300); // another endpoint, another budget
});

it('orders waiting requests fairly: a busy repository does not starve a quiet one', async () => {
  // One read per 100 ms on this endpoint.
  const client = octokit(small({ rest: { limit: 1, windowMs: 100 } }));
  const order: string[] = [];
  nock('https://api.github.com')
    .get(/\/repos\/o\/(busy|quiet)$/)
    .times(13)
    .reply(200, (uri) => (order.push(uri.split('/').pop()!), {}));
  const get = (repo: string) => client.request('GET /repos/{owner}/{repo}', { owner: 'o', repo });
  const busy = Array.from({ length: 12 }, () => get('busy'));
  await new Promise((r) => setTimeout(r, 20));
  await Promise.all([...busy, get('quiet')]);
  // FIFO would answer the quiet repository last (13th); fair ordering takes it as soon as the busy one has had its turn.
  expect(order.indexOf('quiet')).toBeLessThanOrEqual(2);
});

it('charges the cost GitHub reports for a GraphQL query, beyond the 1 point charged up front', async () => {
  const budgets = small({ graphql: { limit: 10, windowMs: 60_000 } });
  const client = octokit(budgets);
  nock('https://api.github.com')
    .post('/graphql')
    .reply(200, { data: { rateLimit: { cost: 7 } } });
  await client.graphql('query { rateLimit { cost } }');
  await new Promise((r) => setTimeout(r, 20));
  expect(await budgetsFor({ retryAfterBaseValue: 1, budgets }).remaining('app', { kind: BUDGET_KINDS.graphql, key: 'graphql' })).toBe(3);
});

it('shows each budget’s remaining points and the time spent waiting in /metrics', async () => {
  nock('https://api.github.com').post('/repos/o/r/issues').reply(201, { number: 1 });
  await octokit({}).request('POST /repos/{owner}/{repo}/issues', { owner: 'o', repo: 'r', title: 't' });
  await new Promise((r) => setTimeout(r, 20));
  const text = await registry.metrics();
  expect(text).toMatch(/shipshape_github_budget_remaining_points\{installation="app",budget="rest POST \/repos\/\*\/\*\/issues"\} 895/);
  expect(text).toMatch(/shipshape_github_budget_remaining_points\{installation="app",budget="content-minute"\} 79/);
  expect(text).toMatch(/shipshape_github_budget_remaining_points\{installation="app",budget="content-hour"\} 499/);
  expect(text).toMatch(/shipshape_github_budget_wait_seconds_count\{budget="rest"\} \d+/);
});

describe('clientOptions', () => {
  it('switches Probot’s throttling off and carries our settings to the installation clients Probot derives', () => {
    const app = clientOptions({ throttle: { onRateLimit: () => true }, auth: { appId: 1 } });
    expect(app.throttle?.enabled).toBe(false);
    expect(app.shipshapeThrottle).toEqual({ connection: undefined, retryAfterBaseValue: 1000, budgets: undefined });
    // What Probot builds for a webhook event: the app client's options, throttle off, the installation in `auth`.
    const installation = clientOptions({ ...app, throttle: { enabled: false }, auth: { installationId: 500 } });
    expect(installation.shipshapeThrottle).toBe(app.shipshapeThrottle);
    expect((installation.retry as { doNotRetry: number[] }).doNotRetry).toContain(429);
  });

  it('leaves a client created with throttling off unthrottled (handler tests)', () => {
    expect(clientOptions({ throttle: { enabled: false } }).shipshapeThrottle).toBeUndefined();
  });
});

// nock patches node's http for the whole jest worker: leave it as it was found, for the test files after this one.
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
