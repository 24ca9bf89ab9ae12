/**
 * A small per-user allowance for answers that cost the installation's content-creation budget: a user
 * without any role who keeps commenting commands gets a reaction a few times an hour, then nothing. In
 * one process it is kept in memory; with REDIS_URL it is one counter in Redis that every replica shares,
 * so running more replicas does not multiply it.
 */
import { Redis } from 'ioredis';

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
 * Shared through Redis: a fixed window of `max` per `windowMs` (a clock hour by default), one key per
 * user and window, counted with INCR and given its expiry in the same MULTI, so no key outlives its window
 * and no crash between the two leaves a counter that never expires. When Redis cannot be reached the
 * allowance of this process applies: still bounded, never unlimited, and the command path never fails.
 */
export class RedisUserBudget implements UserBudget {
  private readonly fallback: PerUserBudget;

  constructor(
    private readonly redis: Redis,
    private readonly max = 5,
    private readonly windowMs = 3_600_000,
    private readonly now: () => number = Date.now,
  ) {
    this.fallback = new PerUserBudget(max, windowMs, now);
  }

  async take(key: string): Promise<boolean> {
    const window = Math.floor(this.now() / this.windowMs);
    const counter = `shipshape:no-role-budget:${key}:${window}`;
    try {
      const replies = await this.redis.multi().incr(counter).pexpire(counter, this.windowMs).exec();
      const [incr] = replies ?? [];
      if (!incr || incr[0]) throw incr?.[0] ?? new Error('the transaction was discarded');
      return Number(incr[1]) <= this.max;
    } catch {
      return this.fallback.take(key);
    }
  }
}

/** 5 an hour per user: in Redis when `redisUrl` is set, else in this process. */
export function noRoleBudget(redisUrl: string | undefined, max = 5, windowMs = 3_600_000): UserBudget {
  return redisUrl
    ? new RedisUserBudget(new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 }), max, windowMs)
    : new PerUserBudget(max, windowMs);
}
