/** The simulator itself: it refuses what GitHub would refuse, so the app cannot pass by luck. */
import { createSign } from 'node:crypto';
import { testPrivateKey } from '../helpers/server.js';
import { handleGraphql } from '../../sim/graphql.js';
import { SecondaryLimits } from '../../sim/limits.js';
import { GitHubModel } from '../../sim/model.js';
import { handleRest } from '../../sim/rest.js';
import { GitHubSimulator } from '../../sim/server.js';

function jwt(appId: number, key = testPrivateKey): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ iat: now - 30, exp: now + 300, iss: appId })}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`;
}

describe("REST requests are checked against GitHub's OpenAPI description", () => {
  const model = new GitHubModel();
  model.addRepo('o', 'r', { 'README.md': '# r' });
  it('a check run with an unknown conclusion is refused (422) and recorded as a violation', () => {
    const [status] = handleRest(model, {
      method: 'POST',
      path: '/repos/o/r/check-runs',
      body: { name: 'x', head_sha: 'a'.repeat(40), status: 'completed', conclusion: 'passed' },
    });
    expect(status).toBe(422);
    expect(model.violations.pop()).toMatch(/conclusion must be equal to one of the allowed values/);
  });
  it('an unknown operation is refused', () => {
    handleRest(model, { method: 'POST', path: '/repos/o/r/magic', body: {} });
    expect(model.violations.pop()).toMatch(/no simulated route/);
  });
  it('more than 50 annotations in one request is refused', () => {
    const annotations = Array.from({ length: 51 }, () => ({
      path: 'a',
      start_line: 1,
      end_line: 1,
      annotation_level: 'warning',
      message: 'm',
    }));
    const [status] = handleRest(model, {
      method: 'POST',
      path: '/repos/o/r/check-runs',
      body: { name: 'x', head_sha: 'a'.repeat(40), output: { title: 't', summary: 's', annotations } },
    });
    expect(status).toBe(422);
    expect(model.violations.pop()).toMatch(/annotations must NOT have more than 50 items/);
  });
  it('a valid request passes', () => {
    const [status] = handleRest(model, {
      method: 'POST',
      path: '/repos/o/r/check-runs',
      body: { name: 'x', head_sha: 'a'.repeat(40), status: 'completed', conclusion: 'success', output: { title: 't', summary: 's' } },
    });
    expect(status).toBe(201);
    expect(model.violations).toEqual([]);
  });
});

describe("GraphQL is validated against GitHub's schema", () => {
  it('a field GitHub does not have is an error and a violation', async () => {
    const model = new GitHubModel();
    model.addRepo('o', 'r', { 'README.md': '# r' });
    const [, body] = await handleGraphql(model, { query: 'query { repository(owner: "o", name: "r") { files { name } } }' });
    expect((body as { errors: unknown[] }).errors).toHaveLength(1);
    expect(model.violations[0]).toMatch(/Cannot query field "files" on type "Repository"/);
  });
  it('a missing repository is NOT_FOUND, as on GitHub', async () => {
    const model = new GitHubModel();
    const [, body] = await handleGraphql(model, { query: 'query { repository(owner: "o", name: "nope") { name } }' });
    expect(body).toMatchObject({ data: { repository: null }, errors: [{ type: 'NOT_FOUND' }] });
  });
});

describe('HTTP: app authentication and secondary limits', () => {
  let sim: GitHubSimulator;
  beforeAll(async () => {
    sim = await new GitHubSimulator(new GitHubModel(), {
      appId: 7,
      privateKeyPem: testPrivateKey,
      limits: {
        concurrent: 100,
        restPointsPerMinutePerEndpoint: 10,
        graphqlPointsPerMinute: 2000,
        contentPerMinute: 80,
        contentPerHour: 500,
        retryAfterSeconds: 42,
      },
    }).start();
    sim.model.addRepo('o', 'r', { 'README.md': '# r' });
  });
  afterAll(() => sim.stop());

  it('issues an installation token only for a JWT signed with the app key and iss = app id', async () => {
    const post = (token: string) =>
      fetch(`${sim.url}/api/v3/app/installations/1/access_tokens`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect((await post(jwt(8))).status).toBe(401);
    expect((await post('not-a-jwt')).status).toBe(401);
    const ok = await post(jwt(7));
    expect(ok.status).toBe(201);
    const { token } = (await ok.json()) as { token: string };
    expect((await fetch(`${sim.url}/api/v3/repos/o/r`, { headers: { authorization: 'token wrong' } })).status).toBe(401);
    sim.model.violations.length = 0;
    expect((await fetch(`${sim.url}/api/v3/repos/o/r`, { headers: { authorization: `token ${token}` } })).status).toBe(200);
  });

  it('refuses writes beyond the points per minute with 403 and retry-after', async () => {
    const { token } = (await (
      await fetch(`${sim.url}/api/v3/app/installations/1/access_tokens`, { method: 'POST', headers: { authorization: `Bearer ${jwt(7)}` } })
    ).json()) as { token: string };
    const label = (i: number) =>
      fetch(`${sim.url}/api/v3/repos/o/r/labels`, {
        method: 'POST',
        headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `l${i}` }),
      });
    expect((await label(1)).status).toBe(201);
    expect((await label(2)).status).toBe(201);
    const refused = await label(3); // 3 writes × 5 points > 10
    expect(refused.status).toBe(403);
    expect(refused.headers.get('retry-after')).toBe('42');
    expect(((await refused.json()) as { message: string }).message).toMatch(/secondary rate limit/);
  });
});

describe('secondary limit bookkeeping', () => {
  it('counts content creation per minute and per hour, and concurrency', () => {
    let now = 0;
    const limits = new SecondaryLimits(
      {
        concurrent: 2,
        restPointsPerMinutePerEndpoint: 900,
        graphqlPointsPerMinute: 2000,
        contentPerMinute: 2,
        contentPerHour: 3,
        retryAfterSeconds: 60,
      },
      () => now,
    );
    const comment = () => {
      const refused = limits.admit('POST', '/repos/o/r/issues/1/comments', false);
      if (!refused) limits.done();
      return refused;
    };
    expect(comment()).toBeUndefined();
    expect(comment()).toBeUndefined();
    expect(comment()).toMatch(/2 content-creating requests per minute/);
    now += 61_000;
    expect(comment()).toBeUndefined();
    now += 61_000;
    expect(comment()).toMatch(/3 content-creating requests per hour/);
    expect(limits.admit('GET', '/a', false)).toBeUndefined();
    expect(limits.admit('GET', '/a', false)).toBeUndefined();
    expect(limits.admit('GET', '/a', false)).toMatch(/more than 2 concurrent requests/);
  });
});

describe('secondary limits per endpoint', () => {
  const settings = {
    concurrent: 100,
    restPointsPerMinutePerEndpoint: 900,
    graphqlPointsPerMinute: 2000,
    contentPerMinute: 80,
    contentPerHour: 500,
    retryAfterSeconds: 60,
  };
  const admitted = (limits: SecondaryLimits, n: number, ...args: Parameters<SecondaryLimits['admit']>) => {
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (limits.admit(...args)) break;
      limits.done();
      count++;
    }
    return count;
  };

  it('gives each REST endpoint its own 900 points a minute (a write 5, a read 1), and GraphQL its own 2,000', () => {
    const limits = new SecondaryLimits(settings, () => 0);
    expect(admitted(limits, 200, 'POST', '/repos/{owner}/{repo}/check-runs', false)).toBe(180);
    expect(admitted(limits, 200, 'PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}', false)).toBe(180);
    expect(admitted(limits, 1000, 'GET', '/repos/{owner}/{repo}/git/trees/{tree_sha}', false)).toBe(900);
    expect(admitted(limits, 2100, 'POST', '/graphql', true)).toBe(2000);
    expect(admitted(limits, 10, 'POST', '/graphql', true, true)).toBe(0);
  });

  it('counts over a sliding minute, not a fixed one', () => {
    let now = 0;
    const limits = new SecondaryLimits(settings, () => now);
    now = 59_000;
    expect(admitted(limits, 200, 'POST', '/repos/{owner}/{repo}/check-runs', false)).toBe(180);
    now = 61_000; // a new calendar minute, but the last 60 s still hold 180 writes
    expect(admitted(limits, 1, 'POST', '/repos/{owner}/{repo}/check-runs', false)).toBe(0);
    now = 119_001;
    expect(admitted(limits, 200, 'POST', '/repos/{owner}/{repo}/check-runs', false)).toBe(180);
  });

  it('counts issues, comments, reviews, releases and reactions as created content, not check runs or labels', () => {
    const limits = new SecondaryLimits({ ...settings, contentPerMinute: 1 }, () => 0);
    const content = [
      '/repos/{owner}/{repo}/issues',
      '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      '/repos/{owner}/{repo}/releases',
      '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions',
    ];
    for (const path of content) {
      const fresh = new SecondaryLimits({ ...settings, contentPerMinute: 1 }, () => 0);
      expect([admitted(fresh, 2, 'POST', path, false), path]).toEqual([1, path]);
    }
    expect(admitted(limits, 5, 'POST', '/repos/{owner}/{repo}/check-runs', false)).toBe(5);
    expect(admitted(limits, 5, 'POST', '/repos/{owner}/{repo}/labels', false)).toBe(5);
  });
});
