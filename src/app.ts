/** The Probot app: wires webhook families to their handlers and the ops routes to the server. */
import type { ApplicationFunctionOptions, Probot } from 'probot';
import { registerAuditHandlers } from './handlers/audit.js';
import { registerPipelineHandlers } from './handlers/pipelines.js';
import { registerPolicyHandlers } from './handlers/policy.js';
import { registerReleaseHandlers } from './handlers/release.js';
import { opsHandler } from './ops/http.js';
import { redeliverFailed } from './ops/redelivery.js';
import { metrics } from './ops/metrics.js';
import { WorkQueue } from './ops/work-queue.js';
import { stateKeys } from './ops/state-keys.js';
import { swallowed } from './ops/swallowed.js';

export interface Shipshape {
  queue: WorkQueue;
}

export interface AppOptions {
  /** Keys of the release state kept in issue bodies, newest first (the first signs); default: STATE_SECRETS, else WEBHOOK_SECRET. */
  stateSecrets?: string[];
  /** Redeliver failed webhook deliveries on start and then every `intervalMs` (off when absent). */
  redelivery?: { intervalMs: number; windowMs: number };
}

export function createApp(options: AppOptions = {}): { appFn: (app: Probot, options?: ApplicationFunctionOptions) => void; shipshape: Shipshape } {
  const shipshape: Partial<Shipshape> = {};
  const appFn = (app: Probot, probotOptions?: ApplicationFunctionOptions) => {
    const queue = new WorkQueue(app.log);
    shipshape.queue = queue;
    app.onAny(async (context) => {
      const action = (context.payload as { action?: string }).action ?? '';
      metrics.events.inc({ event: context.name, action });
    });
    registerPolicyHandlers(app, queue);
    registerReleaseHandlers(app, queue, stateKeys(options.stateSecrets));
    registerAuditHandlers(app, queue);
    registerPipelineHandlers(app, queue);
    if (options.redelivery) scheduleRedelivery(app, options.redelivery);
    try {
      probotOptions?.addHandler?.(opsHandler());
    } catch (err) {
      // Probot.load() without a server (handler tests) has nowhere to add routes; anything else is real.
      if (!/no server instance/i.test((err as Error).message)) throw err;
    }
  };
  return { appFn, shipshape: shipshape as Shipshape };
}

function scheduleRedelivery(app: Probot, { intervalMs, windowMs }: { intervalMs: number; windowMs: number }): void {
  const sweep = async () => {
    try {
      const count = await redeliverFailed(await app.auth(), windowMs);
      if (count) app.log.info({ count }, 'redelivered failed webhook deliveries');
    } catch (err) {
      swallowed(app.log, 'redelivery-sweep', err);
    }
  };
  setTimeout(sweep, 1000).unref();
  setInterval(sweep, intervalMs).unref();
}
