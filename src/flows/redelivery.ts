/**
 * No event lost: on start and periodically, ask GitHub for the app's recent webhook deliveries and
 * redeliver those whose every attempt failed (for instance while the app was down, or answered 5xx
 * because their job failed). Handlers are idempotent, so a delivery redelivered twice changes nothing the
 * second time. A delivery that already failed `maxAttempts` times is left alone and counted, rather than
 * redelivered at every sweep for three days. With Redis, one replica sweeps at a time (a lock), and the
 * sweep also starts again the stored jobs that failed all their attempts (their webhooks were answered 2xx).
 */
import type { GitHub } from '../github/client.js';
import { metrics } from '../ops/metrics.js';

export interface Delivery {
  id: number;
  guid: string;
  status_code: number;
  delivered_at: string;
  redelivery: boolean;
  event: string;
}

export interface RedeliveryOptions {
  intervalMs: number;
  windowMs: number;
  /** Attempts after which a failing delivery is given up (default 5). */
  maxAttempts?: number;
  /** Resolves true when this replica may sweep now (a Redis lock); always without Redis. */
  mayRun?: () => Promise<boolean>;
  /**
   * With Redis: stored events whose job used up its attempts were answered 2xx, so GitHub will not
   * redeliver them; the sweep starts them again instead (DurableQueue.retryFailed).
   */
  retryStored?: () => Promise<{ retried: number; givenUp: number }>;
  /** First sweep after start (default 1 s). */
  firstAfterMs?: number;
}

export interface SweepPlan {
  redeliver: Delivery[];
  givenUp: Delivery[];
}

/** Per guid, the deliveries with no successful attempt: the newest attempt, unless too many failed. */
export function failedDeliveries(deliveries: readonly Delivery[], since: number, maxAttempts = Infinity): SweepPlan {
  const byGuid = new Map<string, Delivery[]>();
  for (const d of deliveries) byGuid.set(d.guid, [...(byGuid.get(d.guid) ?? []), d]);
  const plan: SweepPlan = { redeliver: [], givenUp: [] };
  for (const attempts of byGuid.values()) {
    if (attempts.some((a) => a.status_code >= 200 && a.status_code < 300)) continue;
    const latest = attempts.sort((a, b) => Date.parse(b.delivered_at) - Date.parse(a.delivered_at))[0]!;
    if (Date.parse(latest.delivered_at) < since) continue;
    (attempts.length >= maxAttempts ? plan.givenUp : plan.redeliver).push(latest);
  }
  return plan;
}

/** Look back `windowMs` (GitHub keeps deliveries for 3 days) and redeliver what failed; returns how many. */
export async function redeliverFailed(appOctokit: GitHub, windowMs: number, now = Date.now(), maxAttempts = Infinity): Promise<number> {
  const since = now - windowMs;
  const deliveries: Delivery[] = [];
  for await (const { data } of appOctokit.paginate.iterator('GET /app/hook/deliveries', { per_page: 100 })) {
    deliveries.push(...(data as Delivery[]));
    if (data.length && Date.parse(data[data.length - 1]!.delivered_at) < since) break; // newest first
  }
  const plan = failedDeliveries(deliveries, since, maxAttempts);
  metrics.redeliveries.inc({ outcome: 'given-up' }, plan.givenUp.length);
  for (const d of plan.redeliver) {
    await appOctokit.request('POST /app/hook/deliveries/{delivery_id}/attempts', { delivery_id: d.id });
    metrics.redeliveries.inc({ outcome: 'redelivered' });
  }
  return plan.redeliver.length;
}

/**
 * One sweep (the server's timers run it every `intervalMs`, the first a second after start): when this
 * replica may, redeliver what failed, then start the stored jobs that used up their attempts again.
 */
export async function sweepDeliveries(
  appOctokit: () => Promise<GitHub>,
  options: RedeliveryOptions,
  log: { info: (obj: object, msg: string) => void },
): Promise<void> {
  if (options.mayRun && !(await options.mayRun())) return;
  const count = await redeliverFailed(await appOctokit(), options.windowMs, Date.now(), options.maxAttempts ?? 5);
  if (count) log.info({ count }, 'redelivered failed webhook deliveries');
  const stored = await options.retryStored?.();
  if (stored?.retried || stored?.givenUp) log.info(stored, 'started failed stored jobs again');
}
