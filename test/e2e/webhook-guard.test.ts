/**
 * The webhook endpoint against hostile or broken senders: bodies over GitHub's 25 MB cap are refused
 * before they are read, forged payloads are refused and never logged, signed but malformed payloads get
 * 400 without internals, /metrics moves to METRICS_PORT, and the in-flight gauge returns to 0.
 */
import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { startE2E, waitFor, E2E_SECRET, type E2E } from '../helpers/e2e.js';
import { freePort } from '../helpers/server.js';
import { readFixture } from '../helpers/fixtures.js';
import { pullRequestEvent } from '../helpers/release-events.js';

let e2e: E2E;
let metricsPort: number;
beforeAll(async () => {
  metricsPort = await freePort();
  e2e = await startE2E({ env: { METRICS_PORT: String(metricsPort), REDELIVERY_INTERVAL_MINUTES: '0' } });
}, 120_000);
afterAll(() => e2e?.stop());

const sign = (body: string) => `sha256=${createHmac('sha256', E2E_SECRET).update(body).digest('hex')}`;
const post = (body: string, headers: Record<string, string>) =>
  fetch(`${e2e.app.url}/api/github/webhooks`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': 'guard-1', ...headers },
  });

it('a body announced over 25 MB is refused with 413 before it is read', async () => {
  const started = Date.now();
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(
      `${e2e.app.url}/api/github/webhooks`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(26 * 1024 * 1024),
          'x-github-event': 'push',
          'x-github-delivery': 'huge',
          'x-hub-signature-256': 'sha256=0',
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode!);
      },
    );
    req.on('error', reject);
    req.write('{"a":"'); // the rest never comes: the answer must not wait for it
  });
  expect(status).toBe(413);
  expect(Date.now() - started).toBeLessThan(5_000);
});

it('a forged payload gets 4xx and is never logged: only its delivery id and event', async () => {
  const marker = `FORGED-${'x'.repeat(32)}`;
  const body = JSON.stringify({ action: 'opened', note: marker, filler: 'y'.repeat(2 * 1024 * 1024) });
  const res = await post(body, { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}`, 'x-github-delivery': 'forged-delivery' });
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  await new Promise((r) => setTimeout(r, 300));
  const logs = e2e.app.logs.join('');
  expect(logs).not.toContain(marker);
  expect(logs).toContain('forged-delivery');
});

it('a signed payload missing its fields gets 400, with no internals in the answer', async () => {
  const body = JSON.stringify({ action: 'opened', installation: { id: 42 } });
  const res = await post(body, { 'x-hub-signature-256': sign(body), 'x-github-delivery': 'malformed' });
  expect(res.status).toBe(400);
  const text = await res.text();
  expect(text).not.toMatch(/TypeError|undefined|at \//);
});

it('METRICS_PORT: /metrics is served there, and not on the webhook port', async () => {
  expect((await fetch(`${e2e.app.url}/metrics`)).status).toBe(404);
  const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(res.status).toBe(200);
  expect(await res.text()).toContain('shipshape_webhook_events_total');
});

it('the in-flight gauge returns to 0 once the work is done', async () => {
  const repo = e2e.model.addRepo('css42', 'gauge-store', readFixture('css01.dashboards_store'));
  const pr = e2e.model.openPullRequest(repo, 'x', { 'README.md': '# hi\n' });
  expect(await e2e.send('pull_request', pullRequestEvent(repo, pr.number, 'opened'))).toBe(200);
  await waitFor(() => repo.checkRuns.length > 0, 'the check run');
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  expect(metrics).toMatch(/^shipshape_jobs_in_flight 0$/m);
});
