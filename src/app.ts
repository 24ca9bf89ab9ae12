/**
 * The Probot app: wires each webhook family to its handlers and the timed jobs (the settings audit's
 * schedule, the environment watch, the redelivery sweep) to the one timer runner. Every setting and shared
 * service comes in through AppOptions, from the composition root (src/server.ts); a handler test leaves
 * them out and gets in-process defaults with the timed jobs off.
 */
import type { ApplicationFunctionOptions, Probot } from 'probot';
import { AuditSchedule } from './flows/audit-schedule.js';
import { EnvironmentWatch } from './flows/environment-watch.js';
import { sweepDeliveries, type RedeliveryOptions } from './flows/redelivery.js';
import { registerAuditHandlers } from './handlers/audit.js';
import { registerPipelineHandlers } from './handlers/pipelines.js';
import { registerPolicyHandlers } from './handlers/policy.js';
import { registerReleaseHandlers } from './handlers/release.js';
import { memoryCoordination, type Coordination } from './ops/coordination.js';
import type { Decider } from './ops/decider.js';
import { answerMalformedWith400, configureJobs, replaying, type JobMode } from './ops/jobs.js';
import { metrics } from './ops/metrics.js';
import { onceIn } from './ops/once.js';
import { Timers } from './ops/timers.js';
import { noRoleBudget, type UserBudget } from './ops/user-budget.js';
import { WorkQueue } from './ops/work-queue.js';
import type { StateKeys } from './release/state.js';
import { DEFAULT_APP_SLUG } from './audit/audit.js';

export interface Shipshape {
  queue: WorkQueue;
}

export interface AppOptions {
  /** Where policy decisions run (default: in-process); the server runs them on worker threads with a time budget. */
  decider?: Decider;
  /** Keys of the release state kept in issue bodies, newest first (the first signs). */
  stateKeys: StateKeys;
  /** Locks, once-only claims, counters shared by replicas (default: this process's). */
  coordination?: Coordination;
  /** The runner of timed work (default: one of the app's own). */
  timers?: Timers;
  /** Redeliver failed webhook deliveries on start and then every `intervalMs` (off when absent). */
  redelivery?: RedeliveryOptions;
  /** How webhooks wait for their work (see ops/jobs.ts); by default they wait for it, without a deadline. */
  jobs?: JobMode;
  /** Jobs pending in this process beyond which webhooks are answered 503. */
  queueLimit?: number;
  /** How often a user without any role gets a 👎 (default: 5 an hour, shared when the coordination is). */
  noRoleBudget?: UserBudget;
  /** The settings audit: its app slug and pace, and its schedule and environment watch (each off when 0 or absent). */
  audit?: { appSlug?: string; burstPerHour?: number; periodMs?: number; environmentWatchMs?: number };
}

export function createApp(options: AppOptions): {
  appFn: (app: Probot, options?: ApplicationFunctionOptions) => void;
  shipshape: Shipshape;
} {
  const shipshape: Partial<Shipshape> = {};
  const appFn = (app: Probot) => {
    const coordination = options.coordination ?? memoryCoordination();
    const timers = options.timers ?? new Timers(app.log);
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
    registerReleaseHandlers(app, queue, options.stateKeys, options.noRoleBudget ?? noRoleBudget(coordination));
    const audit = options.audit ?? {};
    const audits = registerAuditHandlers(app, queue, {
      appSlug: audit.appSlug ?? DEFAULT_APP_SLUG,
      burstPerHour: audit.burstPerHour ?? 600,
      timers,
    });
    registerPipelineHandlers(app, queue, coordination.shared ? onceIn(coordination) : undefined);

    if (audit.periodMs) {
      // 2,000 repositories a day make about 21 per quarter hour: one batch, rather than one or two a minute.
      const schedule = new AuditSchedule({
        periodMs: audit.periodMs,
        tickMs: 60_000,
        windowMs: 15 * 60_000,
        listEveryMs: 3_600_000,
        coordination,
        list: audits.list,
        run: (due) => {
          audits.auditDue(due);
          return Promise.resolve();
        },
      });
      timers.every('audit-schedule', 60_000, () => schedule.tick());
    }
    if (audit.environmentWatchMs) {
      const everyMs = audit.environmentWatchMs;
      const watch = new EnvironmentWatch({
        everyMs,
        list: audits.list,
        clientFor: (id) => app.auth(id),
        coordination,
        audit: audits.auditOne,
      });
      timers.every('environment-watch', everyMs, () => watch.tick());
    }
    const redelivery = options.redelivery;
    if (redelivery)
      timers.every(
        'redelivery-sweep',
        redelivery.intervalMs,
        () => sweepDeliveries(() => app.auth(), redelivery, app.log),
        redelivery.firstAfterMs ?? 1000,
      );
  };
  return { appFn, shipshape: shipshape as Shipshape };
}
