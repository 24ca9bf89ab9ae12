/** The Probot app: wires webhook families to their handlers; the server (ops/server.ts) adds the routes. */
import type { ApplicationFunctionOptions, Probot } from 'probot';
import { registerAuditHandlers } from './handlers/audit.js';
import { registerPipelineHandlers } from './handlers/pipelines.js';
import { registerPolicyHandlers } from './handlers/policy.js';
import type { Decider } from './ops/decider.js';
import { registerReleaseHandlers } from './handlers/release.js';
import { answerMalformedWith400, configureJobs, replaying, type JobMode } from './ops/jobs.js';
import { scheduleRedelivery, type RedeliveryOptions } from './ops/redelivery.js';
import { metrics } from './ops/metrics.js';
import { WorkQueue } from './ops/work-queue.js';
import { stateKeys } from './ops/state-keys.js';
import type { UserBudget } from './ops/user-budget.js';

export interface Shipshape {
  queue: WorkQueue;
}

export interface AppOptions {
  /** Where policy decisions run (default: in-process); the server runs them on worker threads with a time budget. */
  decider?: Decider;
  /** Keys of the release state kept in issue bodies, newest first (the first signs); default: STATE_SECRETS, else WEBHOOK_SECRET. */
  stateSecrets?: string[];
  /** Redeliver failed webhook deliveries on start and then every `intervalMs` (off when absent). */
  redelivery?: RedeliveryOptions;
  /** How webhooks wait for their work (see ops/jobs.ts); by default they wait for it, without a deadline. */
  jobs?: JobMode;
  /** Jobs pending in this process beyond which webhooks are answered 503. */
  queueLimit?: number;
  /** How often a user without any role gets a 👎 (default: 5 an hour, in Redis when REDIS_URL is set). */
  noRoleBudget?: UserBudget;
}

export function createApp(options: AppOptions = {}): {
  appFn: (app: Probot, options?: ApplicationFunctionOptions) => void;
  shipshape: Shipshape;
} {
  const shipshape: Partial<Shipshape> = {};
  const appFn = (app: Probot) => {
    const queue = new WorkQueue(app.log, 32, options.queueLimit);
    queue.onChange = (pending) => metrics.queueDepth.set(pending);
    shipshape.queue = queue;
    if (options.jobs) configureJobs(options.jobs);
    answerMalformedWith400(app);
    app.onAny((context) => {
      if (replaying.getStore()) return; // counted when it arrived
      const action = (context.payload as { action?: string }).action ?? '';
      metrics.events.inc({ event: context.name, action });
    });
    registerPolicyHandlers(app, queue, options.decider);
    registerReleaseHandlers(app, queue, stateKeys(options.stateSecrets), options.noRoleBudget);
    registerAuditHandlers(app, queue);
    registerPipelineHandlers(app, queue);
    if (options.redelivery) scheduleRedelivery(app, options.redelivery);
  };
  return { appFn, shipshape: shipshape as Shipshape };
}
