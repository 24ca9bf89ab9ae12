/**
 * The daily settings audit: every repository once per period (a day by default), each at its own minute
 * of the day (a hash of its name), so 2,000 repositories make a steady trickle, not a burst. With several
 * replicas, a lock per repository and period (the coordination service: Redis when REDIS_URL is set,
 * otherwise in-process) lets exactly one of them audit it. The server's timers call `tick`.
 */
import { createHash } from 'node:crypto';
import type { Coordination } from '../ops/coordination.js';

export interface ScheduleTarget {
  installationId?: number;
  owner: string;
  repo: string;
}

/** Targets grouped by installation (each installation reads with its own client); those without one are left out. */
export function byInstallation<T extends ScheduleTarget>(targets: readonly T[]): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const t of targets) if (t.installationId !== undefined) groups.set(t.installationId, [...(groups.get(t.installationId) ?? []), t]);
  return groups;
}

/**
 * Where in the period a repository's audit falls, in ms: stable across restarts and replicas. With
 * `windowMs`, slots start on window boundaries, so the repositories of one window are audited together
 * (one GraphQL query per 20 of them) instead of one or two a minute.
 */
export function slotOf(fullName: string, periodMs: number, windowMs = 1): number {
  const hash = createHash('sha256').update(fullName.toLowerCase()).digest().readUInt32BE(0);
  const slot = Math.floor((hash / 0x1_0000_0000) * periodMs);
  return slot - (slot % windowMs);
}

/** Targets whose slot falls in [from, to), each with the index of the period it falls in (for the lock key). */
export function dueTargets<T extends ScheduleTarget>(
  targets: readonly T[],
  from: number,
  to: number,
  periodMs: number,
  windowMs = 1,
): Array<{ target: T; period: number }> {
  const out: Array<{ target: T; period: number }> = [];
  for (const target of targets) {
    const slot = slotOf(`${target.owner}/${target.repo}`, periodMs, windowMs);
    // The first occurrence at or after `from`.
    let period = Math.floor((from - slot) / periodMs);
    if (period * periodMs + slot < from) period++;
    if (period * periodMs + slot < to) out.push({ target, period });
  }
  return out;
}

export interface ScheduleOptions<T extends ScheduleTarget> {
  periodMs: number;
  tickMs: number;
  /** Slots start on these boundaries, so a window's repositories are audited as one batch (default: any ms). */
  windowMs?: number;
  /** The repository list is refreshed this often (listing costs one request per 100 repositories). */
  listEveryMs: number;
  list: () => Promise<T[]>;
  /** The repositories due in one tick, together (audited in batches). */
  run: (targets: T[]) => Promise<unknown>;
  coordination: Pick<Coordination, 'take'>;
  now?: () => number;
}

export class AuditSchedule<T extends ScheduleTarget> {
  private last?: number;
  private targets: T[] = [];
  private listedAt = -Infinity;

  constructor(private readonly options: ScheduleOptions<T>) {}

  /** Audit the repositories whose slot passed since the previous tick; returns how many this replica ran. */
  async tick(): Promise<number> {
    const { periodMs, tickMs, listEveryMs } = this.options;
    const now = (this.options.now ?? Date.now)();
    const from = this.last ?? now - tickMs;
    this.last = now;
    if (now - this.listedAt >= listEveryMs) {
      this.targets = await this.options.list();
      this.listedAt = now;
    }
    const mine: T[] = [];
    for (const { target, period } of dueTargets(this.targets, from, now, periodMs, this.options.windowMs))
      if (await this.options.coordination.take(`audit:${target.owner}/${target.repo}:${period}`, periodMs)) mine.push(target);
    if (mine.length) await this.options.run(mine);
    return mine.length;
  }
}
