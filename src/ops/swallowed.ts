/**
 * Errors a job deliberately carries on after (a Slack call, a reaction, a fallback): each is logged with
 * where it happened and counted in /metrics, so nothing fails silently.
 */
import { metrics } from './metrics.js';

export interface WarnLogger {
  warn: (obj: Record<string, unknown>, msg: string) => void;
}

export function swallowed(log: WarnLogger | undefined, where: string, err: unknown): void {
  metrics.swallowedErrors.inc({ where });
  log?.warn({ err, where }, `${where}: ${err instanceof Error ? err.message : String(err)} (carried on)`);
}
