/**
 * Queue a webhook's work to run after GitHub has its answer. A queued job keeps only the ids it needs,
 * not the event's context: it gets a client for the installation when it starts, so a burst of waiting
 * events does not hold a thousand clients and payloads in memory.
 */
import type { Context, Probot } from 'probot';
import type { GitHub } from '../github/client.js';
import { metrics } from '../ops/metrics.js';
import type { WorkQueue } from '../ops/work-queue.js';

export type Runner = (context: Context, key: string, job: string, work: (octokit: GitHub) => Promise<unknown>) => void;

export function backgroundRunner(app: Probot, queue: WorkQueue): Runner {
  return (context, key, job, work) => {
    const installationId = (context.payload as { installation?: { id: number } }).installation?.id;
    const direct = installationId === undefined ? context.octokit : undefined;
    metrics.queueDepth.set(queue.size + 1);
    void queue.enqueue(key, async () => {
      const end = metrics.handlerSeconds.startTimer({ job });
      try {
        const octokit = direct ?? ((await app.auth(installationId)) as GitHub);
        const outcome = await work(octokit);
        app.log.info({ key, outcome }, `${job} done`);
        end({ outcome: describe(outcome) });
      } catch (err) {
        end({ outcome: 'error' });
        throw err;
      } finally {
        metrics.queueDepth.set(queue.size);
      }
    });
  };
}

function describe(outcome: unknown): string {
  if (typeof outcome === 'string') return outcome;
  const o = outcome as { kind?: string; posted?: boolean; conclusion?: string; reason?: string } | undefined;
  return o?.kind ?? (o?.posted ? o.conclusion : o?.reason) ?? 'done';
}
