/**
 * A real Redis for tests: Debian's `redis-server`, one per caller, on a free loopback port, no persistence,
 * stopped by its pid. `.ci/run` installs it (and requires it); elsewhere, where it is missing, `describeWithRedis`
 * skips with a note.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server.js';

export const hasRedis = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

export interface RunningRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RunningRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'shipshape-redis-'));
  const pidfile = join(dir, 'redis.pid');
  execFileSync('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'yes',
    '--pidfile',
    pidfile,
    '--dir',
    dir,
  ]);
  const deadline = Date.now() + 10_000;
  while (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() !== 'PONG') {
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      try {
        const pid = Number(readFileSync(pidfile, 'utf8').trim());
        process.kill(pid, 'SIGTERM');
        const until = Date.now() + 5_000;
        while (Date.now() < until && isAlive(pid)) await new Promise((r) => setTimeout(r, 25));
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * `describe` when redis-server is installed. Otherwise a skipped block with a visible note — except where
 * Redis is required (`.ci/run` sets SHIPSHAPE_REQUIRE_REDIS): there a missing Redis is a failing test, so CI
 * can never pass with the Redis-backed paths untested.
 */
export const describeWithRedis: jest.Describe = hasRedis
  ? describe
  : (((name: string) => {
      if (process.env.SHIPSHAPE_REQUIRE_REDIS) {
        describe(name, () =>
          it('needs redis-server', () => {
            throw new Error('redis-server is not installed, and SHIPSHAPE_REQUIRE_REDIS says this run must test with Redis');
          }),
        );
        return;
      }
      console.warn(`NOTE: "${name}" skipped: redis-server is not installed (.ci/run installs it)`);
      describe(name, () => it.skip('needs redis-server', () => undefined));
    }) as unknown as jest.Describe);

/**
 * Inside a describeWithRedis block: one Redis for the block, started before its tests and stopped after,
 * and `connect()` for clients of it, each disconnected at the end.
 */
export function redisForBlock(options: { maxRetriesPerRequest?: number } = {}): { connect: () => Redis; url: () => string } {
  let redis: RunningRedis | undefined;
  const clients: Redis[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redis?.stop();
  });
  return {
    url: () => redis!.url,
    connect: () => {
      const c = new Redis(redis!.url, { maxRetriesPerRequest: options.maxRetriesPerRequest ?? 1 });
      clients.push(c);
      return c;
    },
  };
}
