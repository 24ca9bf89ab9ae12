/**
 * Queue a webhook's work to run after GitHub has its answer. A queued job keeps only the ids it needs,
 * not the event's context: it gets a client for the installation when it starts, so a burst of waiting
 * events does not hold a thousand clients and payloads in memory.
 */
import type { Context, Probot } from 'probot';
import type { GitHub } from '../github/client.js';
import type { JobOutcome } from '../flows/outcome.js';
import { metrics } from '../ops/metrics.js';
import type { WorkQueue } from '../ops/work-queue.js';

export type Log = Probot['log'];

export type Job = (octokit: GitHub, log: Log) => Promise<JobOutcome>;
export type Runner = (context: Context, key: string, job: string, work: Job) => void;

export function backgroundRunner(app: Probot, queue: WorkQueue): Runner {
  return (context, key, job, work) => {
    const installationId = (context.payload as { installation?: { id: number } }).installation?.id;
    const direct = installationId === undefined ? context.octokit : undefined;
    metrics.queueDepth.set(queue.size + 1);
    void queue.enqueue(key, async () => {
      const end = metrics.handlerSeconds.startTimer({ job });
      const log = app.log.child({ job, key, delivery: context.id });
      try {
        const octokit = direct ?? (await app.auth(installationId));
        const outcome = await work(octokit, log);
        log.info({ outcome: outcome.status, what: outcome.what, ...outcome.detail }, `${job}: ${outcome.status} (${outcome.what})`);
        end({ outcome: outcome.what });
      } catch (err) {
        end({ outcome: 'error' });
        throw err;
      } finally {
        metrics.queueDepth.set(queue.size);
      }
    });
  };
}
