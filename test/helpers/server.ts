/** Start the real server (`node dist/main.js`) as a child process on a free port, and stop it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { built } from './paths.js';

export const testPrivateKey = (() =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString())();

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

export interface RunningServer {
  url: string;
  process: ChildProcess;
  logs: string[];
  stop(): Promise<void>;
}

export async function startServer(
  env: Record<string, string>,
  entry = built('dist/main.js'),
  nodeArgs: string[] = [],
): Promise<RunningServer> {
  const port = await freePort();
  const logs: string[] = [];
  const child = spawn(process.execPath, [...nodeArgs, entry], {
    env: {
      PATH: process.env.PATH,
      APP_ID: '1',
      PRIVATE_KEY: testPrivateKey,
      WEBHOOK_SECRET: 'e2e-secret',
      HOST: '127.0.0.1',
      PORT: String(port),
      NO_SMEE_SETUP: 'true',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
      AUDIT_PERIOD_HOURS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => logs.push(String(d)));
  child.stderr.on('data', (d) => logs.push(String(d)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited: ${logs.join('')}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    process: child,
    logs,
    async stop() {
      // A child killed by a signal has no exit code but has exited: waiting for 'exit' again would hang.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    },
  };
}
