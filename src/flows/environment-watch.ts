/**
 * Environment changes within minutes, although GitHub sends no webhook for them: every
 * AUDIT_ENVIRONMENT_WATCH_MINUTES one replica (a lock per window) compares each installed repository's
 * environment fingerprint (src/github/environment-watch.ts, GraphQL only: 20 repositories a query) with
 * the one seen before, and audits the repositories whose environments changed. Fingerprints live in
 * Redis when REDIS_URL is set (shared by replicas), otherwise in memory; a repository seen for the first
 * time is only remembered (the daily audit covers it).
 */
import { environmentFingerprints, WATCHED_PER_QUERY } from '../github/environment-watch.js';
import type { GitHub } from '../github/client.js';
import type { Lock, ScheduleTarget } from './audit-schedule.js';

export interface FingerprintStore {
  get: (keys: string[]) => Promise<Array<string | undefined>>;
  set: (entries: Array<[string, string]>) => Promise<void>;
}

export function memoryFingerprints(): FingerprintStore {
  const seen = new Map<string, string>();
  return {
    get: (keys) => Promise.resolve(keys.map((k) => seen.get(k))),
    set: (entries) => {
      for (const [k, v] of entries) seen.set(k, v);
      return Promise.resolve();
    },
  };
}

const HASH = 'shipshape:environment-fingerprints';
export function redisFingerprints(redis: {
  hmget: (key: string, ...fields: string[]) => Promise<Array<string | null>>;
  hset: (key: string, values: Record<string, string>) => Promise<unknown>;
}): FingerprintStore {
  return {
    get: async (keys) => (keys.length ? (await redis.hmget(HASH, ...keys)).map((v) => v ?? undefined) : []),
    set: async (entries) => {
      if (entries.length) await redis.hset(HASH, Object.fromEntries(entries));
    },
  };
}

export interface WatchOptions<T extends ScheduleTarget> {
  everyMs: number;
  list: () => Promise<T[]>;
  clientFor: (installationId: number) => Promise<GitHub>;
  store: FingerprintStore;
  lock: Lock;
  /** Audit a repository whose environments changed. */
  audit: (target: T) => void;
  now?: () => number;
  log?: { warn: (obj: unknown, msg?: string) => void };
}

export class EnvironmentWatch<T extends ScheduleTarget> {
  private timer?: NodeJS.Timeout;
  constructor(private readonly options: WatchOptions<T>) {}

  /** One look at every repository (when this replica holds the window); returns the repositories flagged. */
  async tick(): Promise<T[]> {
    const { everyMs, lock, store } = this.options;
    const window = Math.floor((this.options.now ?? Date.now)() / everyMs);
    if (!(await lock(`environment-watch:${window}`, everyMs))) return [];
    const byInstallation = new Map<number, T[]>();
    for (const t of await this.options.list())
      if (t.installationId !== undefined) byInstallation.set(t.installationId, [...(byInstallation.get(t.installationId) ?? []), t]);
    const changed: T[] = [];
    for (const [installationId, targets] of byInstallation) {
      const octokit = await this.options.clientFor(installationId);
      for (let i = 0; i < targets.length; i += WATCHED_PER_QUERY) {
        const chunk = targets.slice(i, i + WATCHED_PER_QUERY);
        const keys = chunk.map((t) => `${installationId}:${t.owner}/${t.repo}`.toLowerCase());
        const [now, before] = await Promise.all([environmentFingerprints(octokit, chunk), store.get(keys)]);
        const updates: Array<[string, string]> = [];
        chunk.forEach((t, k) => {
          const seen = now[k];
          if (seen === undefined) return;
          if (before[k] !== undefined && before[k] !== seen) changed.push(t);
          if (before[k] !== seen) updates.push([keys[k]!, seen]);
        });
        await store.set(updates);
      }
    }
    for (const t of changed) this.options.audit(t);
    return changed;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.tick().catch((err: unknown) => this.options.log?.warn({ err }, 'environment watch failed'));
    }, this.options.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
