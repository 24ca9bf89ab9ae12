/**
 * `npm run demo`: the real server (dist/main.js, as `npm start` runs it) against the built-in GitHub
 * simulator, both on 127.0.0.1, with a key made up for the occasion: no credentials, no network. Plays
 * the story (story.ts) and exits 0 when it ended as it should.
 * `npm run demo -- --keep` leaves both running and serves a small control endpoint, so that
 * `npm run demo -- sim comment|webhook …` can add a comment or send any signed event.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commentOn } from '../sim/events.js';
import { GitHubModel } from '../sim/model.js';
import { GitHubSimulator, readBody } from '../sim/server.js';
import { ORG, OWNER, playStory, seed, STORE } from './story.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The build whose server the demo runs: the checkout's (`npm run build`), or the tests' own (SHIPSHAPE_BUILD). */
const BUILD = process.env.SHIPSHAPE_BUILD ?? ROOT;
const STATE_FILE = join(tmpdir(), 'shipshape-demo.json');
const print = (line: string) => process.stdout.write(`${line}\n`);

async function freePort(): Promise<number> {
  const server = createNetServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function startApp(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; logs: string[] }> {
  const port = await freePort();
  const logs: string[] = [];
  const child = spawn(process.execPath, [join(BUILD, 'dist/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      REDELIVERY_INTERVAL_MINUTES: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => logs.push(String(d)));
  child.stderr.on('data', (d) => logs.push(String(d)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${logs.join('')}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { child, url, logs };
    if (Date.now() > deadline) throw new Error(`the server did not become ready: ${logs.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function demo(keep: boolean): Promise<number> {
  const started = Date.now();
  if (!existsSync(join(BUILD, 'dist/main.js'))) {
    print('shipshape demo: dist/main.js is missing; run `npm ci` (which builds) or `npm run build` first.');
    return 1;
  }
  const privateKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const secret = randomBytes(16).toString('hex');
  const model = new GitHubModel();
  const sim = await new GitHubSimulator(model, { appId: 1, privateKeyPem }).start();
  const store = seed(model, join(ROOT, 'examples/css42.dashboards_store'));
  print('Shipshape demo: the real server against a simulated GitHub, both on 127.0.0.1 (no credentials, no network)');
  print(`  GitHub (simulated, GHE layout) ${sim.url}/api/v3   org ${ORG}: ${STORE} and Sciance-Inc/core.dashboards_store (3 releases)`);
  const app = await startApp({ APP_ID: '1', PRIVATE_KEY: privateKeyPem, WEBHOOK_SECRET: secret, GHE_HOST: sim.host, GHE_PROTOCOL: 'http' });
  print(`  Shipshape ${app.url}   (/healthz /readyz /metrics, webhooks at /api/github/webhooks)`);
  sim.webhookTarget = { url: app.url, secret };
  let failed: Error | undefined;
  try {
    await playStory(model, sim, store, print);
    if (model.violations.length) throw new Error(`requests GitHub would refuse:\n${model.violations.join('\n')}`);
  } catch (err) {
    failed = err as Error;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failed) {
    print(`\n✗ The demo stopped: ${failed.message}\n  The server's log:\n${app.logs.join('').split('\n').slice(-20).join('\n')}`);
  } else {
    print(
      `\n✓ The whole story in ${seconds} s: ${store.checkRuns.length} check runs, ${store.comments.filter((c) => c.user === 'shipshape[bot]').length} replies, ${model.requests.length} API requests.`,
    );
  }
  if (keep && !failed) return keepRunning(model, sim, store, app);
  app.child.kill('SIGTERM');
  await sim.stop();
  return failed ? 1 : 0;
}

async function keepRunning(
  model: GitHubModel,
  sim: GitHubSimulator,
  store: ReturnType<typeof seed>,
  app: { child: ChildProcess; url: string },
): Promise<number> {
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const body = JSON.parse((await readBody(req)) || '{}') as {
        issue?: number;
        body?: string;
        as?: string;
        event?: string;
        payload?: unknown;
      };
      let status: number;
      if (req.url === '/comment')
        status = await sim.deliver('issue_comment', commentOn(model, store, Number(body.issue), String(body.body), body.as ?? OWNER));
      else if (req.url === '/webhook') status = await sim.deliver(String(body.event), body.payload);
      else return void res.writeHead(404).end();
      const replies = store.comments.filter((c) => c.user === 'shipshape[bot]');
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status, lastReply: replies[replies.length - 1]?.body }));
    } catch (err) {
      res.writeHead(400).end(JSON.stringify({ error: (err as Error).message }));
    }
  };
  const control = createServer((req, res) => void answer(req, res));
  const port = await freePort();
  await new Promise<void>((r) => control.listen(port, '127.0.0.1', r));
  writeFileSync(STATE_FILE, JSON.stringify({ control: `http://127.0.0.1:${port}` }));
  const issue = store.issues.find((i) => i.labels.includes('release'))?.number ?? 2;
  print('\nBoth keep running (Ctrl-C stops them). From another terminal:');
  print(`  npm run demo -- sim comment ${issue} "/status" --as ${OWNER}     # a signed issue_comment webhook`);
  print('  npm run demo -- sim webhook push payload.json                  # any event, signed with the demo secret');
  print(`  curl ${app.url}/metrics`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  app.child.kill('SIGTERM');
  control.close();
  await sim.stop();
  rmSync(STATE_FILE, { force: true });
  return 0;
}

async function simCommand(args: string[]): Promise<number> {
  if (!existsSync(STATE_FILE)) {
    print('No demo is running: start one with `npm run demo -- --keep`.');
    return 2;
  }
  const { control } = JSON.parse(readFileSync(STATE_FILE, 'utf8')) as { control: string };
  const as = args.includes('--as') ? args[args.indexOf('--as') + 1] : undefined;
  const [kind, first, second] = args.filter((a, i) => a !== '--as' && args[i - 1] !== '--as');
  let request: { path: string; body: unknown };
  if (kind === 'comment' && first && second) request = { path: '/comment', body: { issue: Number(first), body: second, as } };
  else if (kind === 'webhook' && first && second)
    request = { path: '/webhook', body: { event: first, payload: JSON.parse(readFileSync(second, 'utf8')) as unknown } };
  else {
    print('usage: npm run demo -- sim comment ISSUE "BODY" [--as LOGIN] | sim webhook EVENT PAYLOAD.json');
    return 2;
  }
  const res = await fetch(`${control}${request.path}`, { method: 'POST', body: JSON.stringify(request.body) });
  const answer = (await res.json()) as { status?: number; lastReply?: string; error?: string };
  if (answer.error) {
    print(`refused: ${answer.error}`);
    return 1;
  }
  print(`the app answered ${answer.status}${answer.lastReply ? `\nshipshape[bot]: ${answer.lastReply}` : ''}`);
  return 0;
}

const args = process.argv.slice(2);
const code = args[0] === 'sim' ? await simCommand(args.slice(1)) : await demo(args.includes('--keep'));
process.exit(code);
