/**
 * Environment changes within minutes, although GitHub sends no webhook for them: every
 * AUDIT_ENVIRONMENT_WATCH_MINUTES one replica (a lock per window) compares each installed repository's
 * environment fingerprint (src/github/environment-watch.ts, GraphQL only: 20 repositories a query) with
 * the one seen before, and audits the repositories whose environments changed. Fingerprints and the lock
 * live in the coordination service (Redis when REDIS_URL is set, shared by replicas; otherwise in memory);
 * a repository seen for the first time is only remembered (the daily audit covers it). The server's
 * timers call `tick`.
 */
import { environmentFingerprints, WATCHED_PER_QUERY } from '../github/environment-watch.js';
import type { GitHub } from '../github/client.js';
import type { Coordination } from '../ops/coordination.js';
import { byInstallation, type ScheduleTarget } from './audit-schedule.js';

/** The shared map of fingerprints (its key as it always was: `shipshape:environment-fingerprints`). */
const FINGERPRINTS = 'environment-fingerprints';

export interface WatchOptions<T extends ScheduleTarget> {
  everyMs: number;
  list: () => Promise<T[]>;
  clientFor: (installationId: number) => Promise<GitHub>;
  coordination: Pick<Coordination, 'take' | 'read' | 'write'>;
  /** Audit a repository whose environments changed. */
  audit: (target: T) => void;
  now?: () => number;
}

export class EnvironmentWatch<T extends ScheduleTarget> {
  constructor(private readonly options: WatchOptions<T>) {}

  /** One look at every repository (when this replica holds the window); returns the repositories flagged. */
  async tick(): Promise<T[]> {
    const { everyMs, coordination } = this.options;
    const window = Math.floor((this.options.now ?? Date.now)() / everyMs);
    if (!(await coordination.take(`environment-watch:${window}`, everyMs))) return [];
    const changed: T[] = [];
    for (const [installationId, targets] of byInstallation(await this.options.list())) {
      const octokit = await this.options.clientFor(installationId);
      for (let i = 0; i < targets.length; i += WATCHED_PER_QUERY) {
        const chunk = targets.slice(i, i + WATCHED_PER_QUERY);
        const keys = chunk.map((t) => `${installationId}:${t.owner}/${t.repo}`.toLowerCase());
        const [now, before] = await Promise.all([environmentFingerprints(octokit, chunk), coordination.read(FINGERPRINTS, keys)]);
        const updates: Array<[string, string]> = [];
        chunk.forEach((t, k) => {
          const seen = now[k];
          if (seen === undefined) return;
          if (before[k] !== undefined && before[k] !== seen) changed.push(t);
          if (before[k] !== seen) updates.push([keys[k]!, seen]);
        });
        await coordination.write(FINGERPRINTS, updates);
      }
    }
    for (const t of changed) this.options.audit(t);
    return changed;
  }
}
