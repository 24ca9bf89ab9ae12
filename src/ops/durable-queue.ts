/**
 * With REDIS_URL: webhooks are stored in a BullMQ queue on Redis that every replica shares, under their
 * delivery id (a redelivery of a stored event adds nothing), and answered 2xx once stored. Each replica
 * runs a worker that replays stored events through the app's handlers. A replica killed mid-job loses its
 * lock; after `lockMs` another replica's worker takes the job over. A job that fails is retried with
 * backoff; after the last attempt it stays in the failed set, and a redelivery of it or the sweep
 * (retryFailed) starts it again. A job
 * that cannot finish yet (a release another worker may still be opening) is delayed, not failed.
 */
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { WebhookAnswer, type EventStore, type QueuedEvent } from './jobs.js';
import { metrics } from './metrics.js';

export const QUEUE_NAME = 'shipshape-webhooks';

export interface DurableQueueOptions {
  redisUrl: string;
  /** Replays one stored event through the handlers. */
  execute: (event: QueuedEvent, job: Job) => Promise<void>;
  concurrency?: number;
  /** How long a worker's lock on a job lasts without renewal, so how soon a dead replica's jobs move. */
  lockMs?: number;
  attempts?: number;
  /** This replica's name, recorded on the jobs it processes (BullMQ's `processedBy`). */
  name?: string;
  log: { warn: (obj: unknown, msg?: string) => void; error: (obj: unknown, msg?: string) => void };
}

export class DurableQueue implements EventStore {
  readonly queue: Queue;
  readonly worker: Worker;
  private readonly connections: Redis[] = [];

  constructor(private readonly options: DurableQueueOptions) {
    // BullMQ blocks on its worker connection: it needs its own, with unlimited retries per request.
    const connect = () => {
      const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
      redis.on('error', (err) => options.log.warn({ err: err.message }, 'redis connection error'));
      this.connections.push(redis);
      return redis;
    };
    this.queue = new Queue(QUEUE_NAME, { connection: connect() });
    const lockDuration = options.lockMs ?? 30_000;
    this.worker = new Worker(QUEUE_NAME, (job: Job<QueuedEvent>, token?: string) => this.run(job, token), {
      connection: connect(),
      name: options.name,
      concurrency: options.concurrency ?? 20,
      lockDuration,
      stalledInterval: Math.max(1_000, Math.floor(lockDuration / 2)),
      // A job whose replica died is moved back to waiting, not failed, a few times over.
      maxStalledCount: 5,
    });
    this.worker.on('failed', (job, err) => {
      metrics.durableJobs.inc({ outcome: 'failed' });
      options.log.error({ err, delivery: job?.id, event: job?.name, attempt: job?.attemptsMade }, 'stored webhook job failed');
    });
    this.worker.on('completed', () => metrics.durableJobs.inc({ outcome: 'completed' }));
    this.worker.on('error', (err) => options.log.warn({ err: err.message }, 'queue worker error'));
  }

  /** Replays the event; one that cannot finish yet is put back for later without using up an attempt. */
  private async run(job: Job<QueuedEvent>, token: string | undefined): Promise<void> {
    try {
      await this.options.execute(job.data, job);
    } catch (err) {
      const later = retryAfterMs(err);
      if (later === undefined || token === undefined) throw err;
      metrics.durableJobs.inc({ outcome: 'delayed' });
      this.options.log.warn({ delivery: job.id, event: job.name, retryAfterMs: later }, 'stored webhook job cannot finish yet: delayed');
      await job.moveToDelayed(Date.now() + later, token);
      throw new DelayedError();
    }
  }

  async add(event: QueuedEvent): Promise<void> {
    const jobId = `delivery-${event.id}`; // BullMQ refuses ids that look like integers
    const existing = await this.queue.getJob(jobId);
    if (existing && (await existing.isFailed())) {
      await existing.retry('failed');
      return;
    }
    await this.queue.add(event.name, event, {
      jobId,
      attempts: this.options.attempts ?? 5,
      backoff: { type: 'exponential', delay: 2_000 },
      // Kept a day after success so that a redelivery within that time is recognised and dropped.
      removeOnComplete: { age: 86_400, count: 50_000 },
      removeOnFail: { age: 7 * 86_400 },
    });
  }

  /**
   * Starts again the jobs that used up their attempts within the last `windowMs` (GitHub down longer than
   * their backoff): their webhooks were answered 2xx, so no redelivery will bring them back. Each job is
   * started again by at most `maxSweeps` sweeps, then left in the failed set and counted once as given up.
   */
  async retryFailed(maxSweeps: number, windowMs: number, now = Date.now()): Promise<{ retried: number; givenUp: number }> {
    let retried = 0;
    let givenUp = 0;
    for (const job of (await this.queue.getFailed(0, 999)) as Array<Job<QueuedEvent & { sweeps?: number }>>) {
      const sweeps = job.data.sweeps ?? 0;
      if ((job.finishedOn ?? now) < now - windowMs || sweeps > maxSweeps) continue;
      await job.updateData({ ...job.data, sweeps: sweeps + 1 });
      if (sweeps === maxSweeps) {
        givenUp++;
        continue;
      }
      await job.retry('failed', { resetAttemptsMade: true });
      retried++;
    }
    metrics.redeliveries.inc({ outcome: 'stored-retried' }, retried);
    metrics.redeliveries.inc({ outcome: 'stored-given-up' }, givenUp);
    return { retried, givenUp };
  }

  /** Jobs waiting, running or delayed, for the gauge in /metrics. */
  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  /** Lets running jobs finish for up to `graceMs`; then drops the connections (their jobs move to another replica). */
  async close(graceMs = 10_000): Promise<void> {
    const graceful = (async () => {
      await this.worker.close();
      await this.queue.close();
    })().catch(() => undefined);
    await Promise.race([graceful, new Promise((r) => setTimeout(r, graceMs).unref())]);
    for (const c of this.connections) c.disconnect();
  }
}

/** The delay a handler asked for (a WebhookAnswer with `retryAfterMs`, as thrown or inside the webhooks' AggregateError). */
export function retryAfterMs(err: unknown): number | undefined {
  const errors = err instanceof AggregateError ? (err.errors as unknown[]) : [err];
  const delays = errors.map((e) => (e instanceof WebhookAnswer ? e.retryAfterMs : undefined));
  // Only when every handler that failed asked for a delay: a real failure is retried as one.
  return delays.every((d) => d !== undefined) ? Math.max(1_000, ...delays) : undefined;
}
