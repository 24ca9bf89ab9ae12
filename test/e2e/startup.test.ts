/** `npm start` fails loudly without credentials, and /readyz tells when the app can work. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { built } from '../helpers/paths.js';
import { freePort, startServer, testPrivateKey } from '../helpers/server.js';

const main = built('dist/main.js');
// An empty folder: no .env is picked up, no *.pem lies around.
const cwd = mkdtempSync(join(tmpdir(), 'shipshape-start-'));
const start = (env: Record<string, string>) =>
  spawnSync(process.execPath, [main], { cwd, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 15_000 });

it('without any credentials: exit 1 with one line naming each missing variable, .env.example and the demo', () => {
  const run = start({});
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/APP_ID/);
  expect(lines[0]).toMatch(/PRIVATE_KEY or PRIVATE_KEY_PATH/);
  expect(lines[0]).toMatch(/WEBHOOK_SECRET/);
  expect(lines[0]).toContain('.env.example');
  expect(lines[0]).toContain('npm run demo');
});

it('names only what is missing', () => {
  const run = start({ APP_ID: '1', PRIVATE_KEY: testPrivateKey });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/^shipshape: cannot start: WEBHOOK_SECRET is not set\./);
});

it.each([
  ['a key path that does not exist', { PRIVATE_KEY_PATH: './missing.pem' }, /PRIVATE_KEY_PATH \(\.\/missing\.pem\): no such file/],
  ['a key that is not PEM', { PRIVATE_KEY: 'not a key' }, /PRIVATE_KEY: not a PEM private key/],
  ['a key path that is a folder', { PRIVATE_KEY_PATH: '.' }, /PRIVATE_KEY_PATH \(\.\): not a PEM private key/],
  ['an APP_ID that is not a number', { APP_ID: 'my-app', PRIVATE_KEY: testPrivateKey }, /APP_ID must be the app's numeric id/],
])('%s: exit 1, one line, no stack trace', (_name, env, message) => {
  const run = start({ APP_ID: '1', WEBHOOK_SECRET: 's', ...env });
  expect(run.status).toBe(1);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(/\n\s+at /);
});

it('/readyz is 200 once a JWT can be minted, and 503 naming Redis while Redis does not answer', async () => {
  const ready = await startServer({ GHE_HOST: '127.0.0.1:9', GHE_PROTOCOL: 'http' });
  try {
    expect((await fetch(`${ready.url}/readyz`)).status).toBe(200);
  } finally {
    await ready.stop();
  }
  const noRedis = await startServer({ GHE_HOST: '127.0.0.1:9', GHE_PROTOCOL: 'http', REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
  try {
    expect((await fetch(`${noRedis.url}/healthz`)).status).toBe(200);
    const res = await fetch(`${noRedis.url}/readyz`);
    expect(res.status).toBe(503);
    expect(JSON.stringify(await res.json())).toMatch(/Redis does not answer/);
  } finally {
    await noRedis.stop();
  }
}, 60_000);
