/**
 * The in-process counterpart of a Bottleneck limiter, for budgets kept in this process (no Redis).
 *
 * Bottleneck's local datastore waits a `setTimeout` turn of the event loop on every operation, and its locks
 * take a limiter's jobs one at a time: a burst's requests, which all draw on the same budget, were admitted
 * one per event-loop turn, and on a busy loop that added hundreds of milliseconds before the first request of
 * a burst left. A weighted semaphore (async-mutex) grants in the same tick, with the same order: by priority
 * (Bottleneck's 0 first … 9 last), first come first served within one, and a waiting job is not overtaken
 * by a lighter one behind it.
 */
import { Semaphore } from 'async-mutex';

/** What the budgets need of a limiter: Bottleneck's (with Redis) or this one. */
export interface Limiter {
  schedule<T>(options: { weight?: number; priority?: number }, job: () => Promise<T>): Promise<T>;
  /** Weight held by running jobs. */
  running(): Promise<number>;
}

export class LocalLimiter implements Limiter {
  private readonly semaphore: Semaphore;
  private jobs = 0;

  constructor(
    private readonly capacity: number,
    /** Called when no job runs or waits any more (the group forgets the limiter). */
    private readonly onIdle: () => void = () => undefined,
  ) {
    this.semaphore = new Semaphore(capacity);
  }

  async schedule<T>({ weight = 1, priority = 5 }: { weight?: number; priority?: number }, job: () => Promise<T>): Promise<T> {
    this.jobs++;
    try {
      // async-mutex serves higher numbers first; Bottleneck (and our callers) lower ones.
      const [, release] = await this.semaphore.acquire(Math.min(weight, this.capacity), 9 - priority);
      try {
        return await job();
      } finally {
        release();
      }
    } finally {
      if (--this.jobs === 0) this.onIdle();
    }
  }

  running(): Promise<number> {
    return Promise.resolve(this.capacity - this.semaphore.getValue());
  }
}

/** Limiters by key, made on first use and dropped when idle (as Bottleneck.Group does). */
export class LocalGroup {
  private readonly limiters = new Map<string, LocalLimiter>();

  constructor(private readonly capacity: number) {}

  key(key: string): LocalLimiter {
    let limiter = this.limiters.get(key);
    if (!limiter) {
      const made: LocalLimiter = new LocalLimiter(this.capacity, () => {
        if (this.limiters.get(key) === made) this.limiters.delete(key);
      });
      limiter = made;
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}
