/**
 * No event lost: on start and periodically, ask GitHub for the app's recent webhook deliveries and
 * redeliver those whose every attempt failed (for instance while the app was down). Handlers are
 * idempotent, so a delivery redelivered twice (two replicas) changes nothing the second time.
 */
import type { GitHub } from '../github/client.js';

export interface Delivery {
  id: number;
  guid: string;
  status_code: number;
  delivered_at: string;
  redelivery: boolean;
  event: string;
}

/** The deliveries to redeliver: per guid, those with no successful attempt, newest attempt only. */
export function failedDeliveries(deliveries: readonly Delivery[], since: number): Delivery[] {
  const byGuid = new Map<string, Delivery[]>();
  for (const d of deliveries) byGuid.set(d.guid, [...(byGuid.get(d.guid) ?? []), d]);
  const out: Delivery[] = [];
  for (const attempts of byGuid.values()) {
    if (attempts.some((a) => a.status_code >= 200 && a.status_code < 300)) continue;
    const latest = attempts.sort((a, b) => Date.parse(b.delivered_at) - Date.parse(a.delivered_at))[0]!;
    if (Date.parse(latest.delivered_at) >= since) out.push(latest);
  }
  return out;
}

/** Look back `windowMs` (GitHub keeps deliveries for 3 days) and redeliver what failed; returns how many. */
export async function redeliverFailed(appOctokit: GitHub, windowMs: number, now = Date.now()): Promise<number> {
  const since = now - windowMs;
  const deliveries: Delivery[] = [];
  for await (const { data } of appOctokit.paginate.iterator('GET /app/hook/deliveries', { per_page: 100 })) {
    deliveries.push(...(data as Delivery[]));
    if (data.length && Date.parse(data[data.length - 1]!.delivered_at) < since) break; // newest first
  }
  const failed = failedDeliveries(deliveries, since);
  for (const d of failed) await appOctokit.request('POST /app/hook/deliveries/{delivery_id}/attempts', { delivery_id: d.id });
  return failed.length;
}
