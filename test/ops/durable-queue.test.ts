/**
 * The shared queue on a real Redis: a replayed event whose job cannot finish yet is delayed and run again
 * later, without using up one of its attempts and without counting as failed; a real failure is retried,
 * and once its attempts are used up, the redelivery sweep starts it again (its webhook was answered 2xx).
 */
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { DurableQueue, retryAfterMs } from '../../src/ops/durable-queue.js';
import { WebhookAnswer } from '../../src/ops/jobs.js';
import { describeWithRedis, startRedis, type RunningRedis } from '../helpers/redis.js';
import { waitFor } from '../helpers/e2e.js';

describe('retryAfterMs', () => {
  it('reads the delay asked for, alone or inside the webhooks AggregateError, never under 1 s', () => {
    expect(retryAfterMs(new WebhookAnswer(503, 'not yet', 5_000))).toBe(5_000);
    expect(retryAfterMs(new AggregateError([new WebhookAnswer(503, 'not yet', 200)]))).toBe(1_000);
  });

  it('is undefined when any handler really failed', () => {
    expect(retryAfterMs(new WebhookAnswer(500, 'failed'))).toBeUndefined();
    expect(retryAfterMs(new AggregateError([new WebhookAnswer(503, 'not yet', 2_000), new Error('boom')]))).toBeUndefined();
    expect(retryAfterMs(new Error('boom'))).toBeUndefined();
  });
});

/** The job's state once it is completed or failed (or whatever it is after 15 s). */
async function settled(queue: DurableQueue, id: string): Promise<string | undefined> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const state = await (await queue.queue.getJob(id))?.getState();
    if (state === 'completed' || state === 'failed' || Date.now() > deadline) return state;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeWithRedis('the shared queue', () => {
  let redis: RunningRedis;
  let queue: DurableQueue | undefined;
  beforeAll(async () => (redis = await startRedis()));
  afterEach(async () => {
    await queue?.close(1_000);
    const client = new Redis(redis.url);
    await client.flushall();
    client.disconnect();
  });
  afterAll(async () => redis.stop());

  it('delays a job that cannot finish yet, then runs it again with its attempts untouched', async () => {
    const runs: Array<{ at: number; attemptsMade: number }> = [];
    const failed: unknown[] = [];
    queue = new DurableQueue({
      redisUrl: redis.url,
      attempts: 1,
      log: pino({ level: 'silent' }),
      execute: (_event, job) => {
        runs.push({ at: Date.now(), attemptsMade: job.attemptsMade });
        if (runs.length < 3) return Promise.reject(new AggregateError([new WebhookAnswer(503, 'half-opened', 1_000)]));
        return Promise.resolve();
      },
    });
    queue.worker.on('failed', (_job, err) => failed.push(err));
    await queue.add({ id: 'd-1', name: 'push', payload: {} });
    await waitFor(() => runs.length === 3 && runs, 'the third run', 15_000);
    expect(await settled(queue, 'delivery-d-1')).toBe('completed');
    // With one attempt allowed, two failures would have left it failed: the delays did not count.
    expect(failed).toEqual([]);
    expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(900);
    expect(runs.map((r) => r.attemptsMade)).toEqual([0, 0, 0]);
  }, 30_000);

  it('retries a job that failed, and keeps it failed after its last attempt', async () => {
    let runs = 0;
    queue = new DurableQueue({
      redisUrl: redis.url,
      attempts: 2,
      log: pino({ level: 'silent' }),
      execute: () => {
        runs++;
        return Promise.reject(new AggregateError([new WebhookAnswer(500, 'failed')]));
      },
    });
    await queue.add({ id: 'd-2', name: 'push', payload: {} });
    expect(await settled(queue, 'delivery-d-2')).toBe('failed');
    expect(runs).toBe(2);
  }, 30_000);

  it('the sweep starts a job that used up its attempts again, up to its limit, then gives it up once', async () => {
    let runs = 0;
    queue = new DurableQueue({
      redisUrl: redis.url,
      attempts: 1,
      log: pino({ level: 'silent' }),
      execute: () => {
        runs++;
        return Promise.reject(new AggregateError([new WebhookAnswer(500, 'GitHub is down')]));
      },
    });
    await queue.add({ id: 'd-3', name: 'push', payload: {} });
    expect(await settled(queue, 'delivery-d-3')).toBe('failed');
    // Failed longer ago than the window: left alone.
    await new Promise((r) => setTimeout(r, 20));
    expect(await queue.retryFailed(1, 10)).toEqual({ retried: 0, givenUp: 0 });
    expect(await queue.retryFailed(1, 3_600_000)).toEqual({ retried: 1, givenUp: 0 });
    await waitFor(() => runs === 2, 'the second run', 10_000);
    expect(await settled(queue, 'delivery-d-3')).toBe('failed');
    expect(await queue.retryFailed(1, 3_600_000)).toEqual({ retried: 0, givenUp: 1 });
    expect(await queue.retryFailed(1, 3_600_000)).toEqual({ retried: 0, givenUp: 0 });
    expect(runs).toBe(2);
  }, 30_000);
});
