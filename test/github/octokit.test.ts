/** Our throttling: GitHub's secondary limit (403 + retry-after) is waited out and retried, not surfaced. */
import nock from 'nock';
import { BUDGETS, clientThrottle, ShipshapeOctokit } from '../../src/github/octokit.js';

afterEach(() => nock.cleanAll());

const octokit = () =>
  new ShipshapeOctokit({
    auth: { token: 'test' },
    retry: { enabled: false },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    // Seconds of retry-after become milliseconds here so the test does not wait.
    throttle: { id: 'test', retryAfterBaseValue: 1 },
  } as never);

it('retries a write refused by the secondary rate limit after retry-after', async () => {
  const scope = nock('https://api.github.com')
    .post('/repos/o/r/check-runs')
    .reply(403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': '2' })
    .post('/repos/o/r/check-runs')
    .reply(201, { id: 7 });
  const { data } = await octokit().request('POST /repos/{owner}/{repo}/check-runs', { owner: 'o', repo: 'r', name: 'x', head_sha: 'a'.repeat(40) });
  expect(data.id).toBe(7);
  expect(scope.isDone()).toBe(true);
});

it('gives up after the retry budget and surfaces the error', async () => {
  const scope = nock('https://api.github.com')
    .post('/repos/o/r/check-runs')
    .times(BUDGETS.maxRetries + 1)
    .reply(429, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '1' });
  await expect(octokit().request('POST /repos/{owner}/{repo}/check-runs', { owner: 'o', repo: 'r', name: 'x', head_sha: 'a'.repeat(40) })).rejects.toMatchObject({ status: 429 });
  expect(scope.isDone()).toBe(true);
});

it('gives each installation its own budget, even when the app client already has a throttle id', () => {
  const app = clientThrottle({ throttle: { enabled: true }, auth: { appId: 1 } });
  expect(app?.id).toBe('app');
  // What Probot builds for a webhook event: the app client's options, plus the installation in `auth`.
  expect(clientThrottle({ throttle: app, auth: { installationId: 500 } })?.id).toBe('500');
  expect(clientThrottle({ throttle: app, auth: { installationId: 501 } })?.id).toBe('501');
  expect(clientThrottle({ throttle: { enabled: false } })).toBeUndefined();
});
