/**
 * Run a webhook's work so that no event is lost (see ops/jobs.ts): the handler's promise settles when
 * the work is done (without Redis) or the event is stored (with Redis), and the webhook is answered then.
 * A queued job keeps only the ids it needs, not the event's context: it gets a client for the
 * installation when it starts, so a burst of waiting events does not hold a thousand clients in memory.
 */
import type { Context, Probot } from 'probot';
import type { GitHub } from '../github/client.js';
import { RetryLater, type JobOutcome, type Log } from '../flows/outcome.js';
import { answerWithin, jobMode, replaying, WebhookAnswer } from '../ops/jobs.js';
import { metrics } from '../ops/metrics.js';
import { QueueFullError, type WorkQueue } from '../ops/work-queue.js';

export type Job = (octokit: GitHub, log: Log) => Promise<JobOutcome>;
export type Runner = (context: Context, key: string, job: string, work: Job) => Promise<void>;

export function backgroundRunner(app: Probot, queue: WorkQueue): Runner {
  return async (context, key, job, work) => {
    const mode = jobMode();
    const replay = replaying.getStore();
    if (mode.durable && !replay) {
      // Stored in the shared queue under the delivery id: a second handler of the same event adds nothing.
      try {
        await mode.durable.add({ id: context.id, name: context.name, payload: context.payload });
      } catch (err) {
        app.log.error({ err, delivery: context.id }, 'could not store the event in Redis');
        throw new WebhookAnswer(503, 'the event could not be stored; GitHub will redeliver it');
      }
      return;
    }
    const installationId = (context.payload as { installation?: { id: number } }).installation?.id;
    const direct = installationId === undefined ? context.octokit : undefined;
    let done: Promise<RetryLater | undefined>;
    try {
      done = queue.enqueue(key, async () => {
        const end = metrics.handlerSeconds.startTimer({ job });
        const log = app.log.child({ job, key, delivery: context.id });
        try {
          const octokit = direct ?? (await app.auth(installationId));
          const outcome = await work(octokit, log);
          log.info({ outcome: outcome.status, what: outcome.what, ...outcome.detail }, `${job}: ${outcome.status} (${outcome.what})`);
          end({ outcome: outcome.what });
          return undefined;
        } catch (err) {
          // Not a failure: returned, so that the queue does not log it as one.
          if (err instanceof RetryLater) {
            log.info({ retryAfterMs: err.retryAfterMs }, `${job}: not yet (${err.message})`);
            end({ outcome: 'retry-later' });
            return err;
          }
          end({ outcome: 'error' });
          throw err;
        }
      });
    } catch (err) {
      if (err instanceof QueueFullError) throw new WebhookAnswer(503, `${err.message}; GitHub will redeliver the event`);
      throw err;
    }
    let later: RetryLater | undefined;
    try {
      later = await answerWithin(done, replay ? Infinity : mode.answerWithinMs, job);
    } catch (err) {
      if (err instanceof WebhookAnswer) throw err;
      // The job logged its own error; the answer says no more than what failed.
      throw new WebhookAnswer(500, `${job} failed; GitHub will redeliver the event`);
    }
    if (later)
      throw new WebhookAnswer(503, `${job} cannot finish yet (${later.message}); GitHub will redeliver the event`, later.retryAfterMs);
  };
}
