/**
 * The composition root, called by src/main.ts with the settings read once (ops/settings.ts): it builds
 * every shared service and hands them in. One Redis connection (or none) carries the coordination service
 * (locks, once-only claims, shared counters and maps) and the /readyz check; BullMQ's queue and
 * Bottleneck's budgets keep the connections those libraries require. One timer runner carries the timed
 * jobs and stops with the server. Probot's webhook middleware sits behind our own HTTP server, so that
 * what must happen before a body is read (size cap) and the ops routes come first, and /metrics can move
 * to its own port. The job mode (ops/jobs.ts): with REDIS_URL a shared BullMQ queue; without, webhooks
 * wait for their work.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Probot } from 'probot';
import { createApp, type Shipshape } from './app.js';
import { disconnectBudgets, ShipshapeOctokit } from './github/octokit.js';
import { memoryCoordination, redisCoordination } from './ops/coordination.js';
import { workerDecider } from './ops/decider.js';
import { DurableQueue } from './ops/durable-queue.js';
import { opsHandler, type ReadinessProbe } from './ops/http.js';
import { replaying } from './ops/jobs.js';
import { metrics } from './ops/metrics.js';
import type { Settings } from './ops/settings.js';
import { Timers } from './ops/timers.js';

export const WEBHOOK_PATH = '/api/github/webhooks';
/** GitHub caps webhook payloads at 25 MB; anything larger is not GitHub's and is refused unread. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

type Handler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface RunningShipshape {
  probot: Probot;
  shipshape: Shipshape;
  server: Server;
  metricsServer?: Server;
  durable?: DurableQueue;
  /** Stops taking requests, lets running jobs finish (bounded), closes Redis. */
  close(): Promise<void>;
}

export async function startShipshape(settings: Settings, log: Logger): Promise<RunningShipshape> {
  const probot = new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    secret: settings.webhookSecret,
    baseUrl: settings.baseUrl,
    redisConfig: settings.redisUrl,
    log,
    Octokit: ShipshapeOctokit,
  });
  // The one connection for coordination. Commands wait (the offline queue) while it connects, as each
  // feature's own connection did; /readyz bounds its PING at 1 s.
  const redis = settings.redisUrl ? new Redis(settings.redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  redis?.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  const coordination = redis ? redisCoordination(redis) : memoryCoordination();
  const timers = new Timers(log);
  const replica = randomUUID();
  const durable = settings.redisUrl
    ? new DurableQueue({
        redisUrl: settings.redisUrl,
        name: replica,
        lockMs: settings.queueLockMs,
        log,
        execute: (event, job) => replaying.run({ jobId: String(job.id) }, () => probot.receive(event as never)),
      })
    : undefined;
  const windowMs = Math.max(2 * settings.redeliveryIntervalMs, 3_600_000);
  // Policy decisions run on worker threads, each within its time budget, never on the event loop.
  const decider = workerDecider({ budgetMs: settings.checkTimeoutMs });
  const { appFn, shipshape } = createApp({
    decider,
    stateKeys: settings.stateKeys,
    coordination,
    timers,
    audit: {
      appSlug: settings.appSlug,
      burstPerHour: settings.auditBurstPerHour,
      periodMs: settings.auditPeriodMs,
      environmentWatchMs: settings.environmentWatchMs,
    },
    jobs: { durable, answerWithinMs: settings.answerWithinMs },
    queueLimit: settings.queueLimit,
    redelivery:
      settings.redeliveryIntervalMs > 0
        ? {
            intervalMs: settings.redeliveryIntervalMs,
            windowMs,
            maxAttempts: settings.redeliveryMaxAttempts,
            // One replica sweeps per period: the lock is not released, so together they sweep at most once.
            mayRun: coordination.shared
              ? () => coordination.take('lock:redelivery', settings.redeliveryIntervalMs * 0.9, replica)
              : undefined,
            retryStored: durable ? () => durable.retryFailed(settings.redeliveryMaxAttempts, windowMs) : undefined,
          }
        : undefined,
  });
  await probot.load(appFn, { cwd: process.cwd(), addHandler: () => undefined });
  const webhooks = (await probot.getNodeMiddleware({ log: unverifiedSafeLog(log) as never })) as Handler;

  const ready: ReadinessProbe = async () => {
    const problems: string[] = [];
    try {
      const app = (await probot.auth()) as unknown as { auth: (o: { type: 'app' }) => Promise<{ token: string }> };
      if (!(await app.auth({ type: 'app' })).token) problems.push('could not mint an app JWT');
    } catch (err) {
      problems.push(`could not mint an app JWT: ${(err as Error).message}`);
    }
    if (redis) {
      const pong = await Promise.race([
        redis.ping().catch((err: unknown) => (err instanceof Error ? err.message : String(err))),
        new Promise<string>((r) => setTimeout(() => r('timed out'), 1_000).unref()),
      ]);
      if (pong !== 'PONG') problems.push(`Redis does not answer (${pong})`);
    }
    return problems;
  };
  const separateMetrics = settings.metricsPort !== undefined;
  const handlers: Handler[] = [opsHandler({ ready, metrics: !separateMetrics }), webhookGuard(log), webhooks];
  const server = createServer((req, res) => void serve(handlers, req, res, log));
  server.listen(settings.port, settings.host);
  await once(server, 'listening');
  let metricsServer: Server | undefined;
  if (separateMetrics) {
    const metricsOnly = opsHandler({ ready });
    metricsServer = createServer((req, res) => void serve([metricsOnly], req, res, log));
    metricsServer.listen(settings.metricsPort, settings.host);
    await once(metricsServer, 'listening');
  }
  const address = server.address() as { port: number };
  log.info(
    { port: address.port, metricsPort: settings.metricsPort, queue: durable ? 'redis' : 'in-process' },
    `Shipshape listening on http://${settings.host}:${address.port}`,
  );

  return {
    probot,
    shipshape,
    server,
    metricsServer,
    durable,
    async close() {
      timers.stop();
      server.close();
      metricsServer?.close();
      await Promise.race([shipshape.queue.idle(), new Promise((r) => setTimeout(r, 10_000).unref())]);
      await decider.close();
      await durable?.close(redis?.status === 'ready' ? 10_000 : 0);
      redis?.disconnect();
      await disconnectBudgets();
    },
  };
}

async function serve(handlers: Handler[], req: IncomingMessage, res: ServerResponse, log: Logger): Promise<void> {
  try {
    for (const handler of handlers) if (await handler(req, res)) return;
    if (!res.headersSent) res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
  } catch (err) {
    log.error({ err, url: req.url }, 'request failed');
    if (!res.headersSent) res.writeHead(500).end();
  }
}

/** Before the webhook middleware reads a body: refuse what is too large, and count error answers. */
function webhookGuard(log: Logger): Handler {
  return (req, res) => {
    if ((req.url ?? '').split('?')[0] !== WEBHOOK_PATH || req.method !== 'POST') return false;
    const length = Number(req.headers['content-length']);
    const delivery = String(req.headers['x-github-delivery'] ?? '');
    const event = String(req.headers['x-github-event'] ?? '');
    res.on('finish', () => {
      if (res.statusCode >= 400) metrics.webhookAnswers.inc({ status: String(res.statusCode) });
    });
    if (!Number.isFinite(length) || length > MAX_WEBHOOK_BYTES) {
      const status = Number.isFinite(length) ? 413 : 411;
      log.warn({ delivery, event, length: req.headers['content-length'] }, 'webhook refused unread: no or too large Content-Length');
      res
        .writeHead(status, { 'content-type': 'application/json', connection: 'close' })
        .end(JSON.stringify({ error: status === 413 ? 'payload over 25 MB' : 'Content-Length required' }));
      req.resume();
      return true;
    }
    return false;
  };
}

/**
 * The logger the webhook middleware gets: it logs a failed delivery's error object, which for a forged
 * request carries the whole unverified payload. Only the delivery id, event and reason are kept.
 */
function unverifiedSafeLog(log: Logger) {
  const brief = (err: unknown) => {
    const first = (err as { errors?: unknown[] }).errors?.[0] ?? err;
    const e = first as { message?: string; status?: number; event?: { id?: string; name?: string } };
    return { delivery: e.event?.id, event: e.event?.name, status: e.status, reason: e.message };
  };
  return {
    debug: () => undefined,
    info: (msg: string) => log.debug(msg),
    warn: (msg: string) => log.warn(msg),
    error: (err: unknown) => log.warn(brief(err), 'webhook not processed'),
  };
}
