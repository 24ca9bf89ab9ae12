/**
 * GitHub's rate limits during a settings audit: a 403 that is a rate limit is never read as a missing
 * permission ("cannot audit"), and the command-line client waits out a short `retry-after` and gives up,
 * saying so, on a long one.
 */
import nock from 'nock';
import { readOnlyClient } from '../../src/audit-cli.js';
import { gatherAuditFacts } from '../../src/github/audit-facts.js';
import { rateLimited } from '../../src/github/audit-rest.js';
import { GitHubModel } from '../../sim/model.js';
import { GitHubSimulator } from '../../sim/server.js';
import { auditedRepo, installationClient, makeCompliant } from '../helpers/audit-sim.js';
import { testPrivateKey } from '../helpers/server.js';

it('tells a rate limit from a missing permission', () => {
  const error = (status: number, headers: Record<string, string>, message = 'Resource not accessible by integration') => ({
    status,
    message,
    response: { headers, data: { message } },
  });
  expect(rateLimited(error(403, {}))).toBe(false);
  expect(rateLimited(error(403, { 'retry-after': '30' }))).toBe(true);
  expect(rateLimited(error(403, { 'x-ratelimit-remaining': '0' }))).toBe(true);
  expect(rateLimited(error(403, {}, 'You have exceeded a secondary rate limit'))).toBe(true);
  expect(rateLimited(error(429, {}))).toBe(true);
});

it('a rate-limited read makes the audit fail, not report "cannot audit"', async () => {
  const model = new GitHubModel();
  const sim = await new GitHubSimulator(model, { appId: 1, privateKeyPem: testPrivateKey }).start();
  try {
    makeCompliant(auditedRepo(model, 'store'));
    const octokit = installationClient(sim);
    octokit.hook.wrap('request', async (request, options) => {
      if (options.url.includes('deployment-branch-policies'))
        throw Object.assign(new Error('You have exceeded a secondary rate limit'), {
          status: 403,
          response: { headers: { 'retry-after': '60' }, data: { message: 'You have exceeded a secondary rate limit' } },
        });
      return request(options);
    });
    await expect(
      gatherAuditFacts(octokit, { owner: 'css01', repo: 'store' }, { production: 'production', shaPinning: false }, {}),
    ).rejects.toThrow('secondary rate limit');
  } finally {
    await sim.stop();
  }
});

describe('the command-line client', () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
  const limited = (seconds: number) =>
    [403, { message: 'You have exceeded a secondary rate limit' }, { 'retry-after': String(seconds) }] as const;

  it('waits out a short retry-after and tells the user', async () => {
    const notes: string[] = [];
    nock('https://api.test')
      .get('/repos/css01/store')
      .reply(...limited(1))
      .get('/repos/css01/store')
      .reply(200, { name: 'store' });
    const client = readOnlyClient('t', 'https://api.test', (t) => notes.push(t));
    const { data } = await client.request('GET /repos/{owner}/{repo}', { owner: 'css01', repo: 'store' });
    expect(data.name).toBe('store');
    expect(notes).toEqual(["GitHub's secondary rate limit: waiting 1 s"]);
  });

  it('gives up on a long one, saying when to retry', async () => {
    const notes: string[] = [];
    nock('https://api.test')
      .get('/repos/css01/store')
      .reply(...limited(600));
    const client = readOnlyClient('t', 'https://api.test', (t) => notes.push(t));
    await expect(client.request('GET /repos/{owner}/{repo}', { owner: 'css01', repo: 'store' })).rejects.toMatchObject({ status: 403 });
    expect(notes).toEqual(["GitHub's secondary rate limit: GET /repos/{owner}/{repo} could be retried in 600 s; giving up"]);
  });
});
