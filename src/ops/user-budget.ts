/**
 * A small per-user allowance for answers that cost the installation's content-creation budget: a user
 * without any role who keeps commenting commands gets a reaction a few times an hour, then nothing. In
 * one process it is kept in memory; with REDIS_URL it is one counter in the coordination service
 * (Redis) that every replica shares, so running more replicas does not multiply it.
 */
import type { Coordination } from './coordination.js';

export interface UserBudget {
  /** Whether `key` may spend one more now (and records it). */
  take(key: string): boolean | Promise<boolean>;
}

/** In this process: a sliding window of `max` per `windowMs`. */
export class PerUserBudget implements UserBudget {
  private readonly spent = new Map<string, number[]>();

  constructor(
    private readonly max = 5,
    private readonly windowMs = 3_600_000,
    private readonly now: () => number = Date.now,
    /** Users remembered at most; the oldest are forgotten first. */
    private readonly capacity = 10_000,
  ) {}

  take(key: string): boolean {
    const now = this.now();
    const recent = (this.spent.get(key) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.max) return false;
    this.spent.delete(key);
    this.spent.set(key, [...recent, now]);
    if (this.spent.size > this.capacity) this.spent.delete(this.spent.keys().next().value!);
    return true;
  }
}

/**
 * Shared by replicas: a fixed window of `max` per `windowMs` (a clock hour by default), one counter per
 * user and window in the coordination service, which gives it its expiry in the same step (Redis: INCR
 * and PEXPIRE in one MULTI), so no key outlives its window. When Redis cannot be reached the allowance of
 * this process applies: still bounded, never unlimited, and the command path never fails.
 */
export class SharedUserBudget implements UserBudget {
  private readonly fallback: PerUserBudget;

  constructor(
    private readonly coordination: Pick<Coordination, 'count'>,
    private readonly max = 5,
    private readonly windowMs = 3_600_000,
    private readonly now: () => number = Date.now,
  ) {
    this.fallback = new PerUserBudget(max, windowMs, now);
  }

  async take(key: string): Promise<boolean> {
    const window = Math.floor(this.now() / this.windowMs);
    try {
      return (await this.coordination.count(`no-role-budget:${key}:${window}`, this.windowMs)) <= this.max;
    } catch {
      return this.fallback.take(key);
    }
  }
}

/** 5 an hour per user: shared when the coordination service is (Redis), else in this process. */
export function noRoleBudget(coordination: Coordination, max = 5, windowMs = 3_600_000): UserBudget {
  return coordination.shared ? new SharedUserBudget(coordination, max, windowMs) : new PerUserBudget(max, windowMs);
}
