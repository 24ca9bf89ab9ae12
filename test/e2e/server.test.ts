/** The real server over HTTP: health, metrics, and webhook signature verification. */
import { createHmac } from 'node:crypto';
import { startServer, type RunningServer } from '../helpers/server.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({});
}, 120_000);
afterAll(() => server?.stop());

const sign = (body: string, secret = 'e2e-secret') => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const post = (body: string, headers: Record<string, string>) =>
  fetch(`${server.url}/api/github/webhooks`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': 'd1', ...headers },
  });

it('answers /healthz and /metrics', async () => {
  expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  expect(metrics).toContain('# TYPE shipshape_webhook_events_total counter');
});

it('accepts a correctly signed webhook', async () => {
  const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
  expect((await post(body, { 'x-hub-signature-256': sign(body) })).status).toBe(200);
});

it('refuses unsigned and forged webhooks with 4xx', async () => {
  const body = JSON.stringify({ zen: 'x', hook_id: 1 });
  const unsigned = await post(body, {});
  const forged = await post(body, { 'x-hub-signature-256': sign(body, 'wrong-secret') });
  expect(unsigned.status).toBeGreaterThanOrEqual(400);
  expect(unsigned.status).toBeLessThan(500);
  expect(forged.status).toBeGreaterThanOrEqual(400);
  expect(forged.status).toBeLessThan(500);
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  // Only the signed ping reached the app.
  expect(metrics).toContain('shipshape_webhook_events_total{event="ping",action=""} 1');
});

it('logs JSON', () => {
  const first = server.logs
    .join('')
    .split('\n')
    .find((l) => l.trim());
  expect(() => JSON.parse(first!)).not.toThrow();
});
