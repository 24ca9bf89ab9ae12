/**
 * The in-process work queue. Jobs with the same key run one after the other, a job whose key is already
 * waiting is not queued twice (redelivery, double clicks), and at most `concurrency` jobs run at once, so
 * a burst of webhooks does not hold a thousand checks' data in memory together. Beyond `limit` pending
 * jobs, `enqueue` refuses at once (QueueFullError): the webhook is then answered 503 and redelivered
 * later, rather than accepted and lost.
 */
export interface Logger {
  error: (obj: unknown, msg?: string) => void;
}

export class QueueFullError extends Error {
  constructor(limit: number) {
    super(`the work queue is full (${limit} jobs pending)`);
  }
}

interface Entry {
  /** The job's own outcome, for whoever waits on it. */
  result: Promise<unknown>;
  /** Settles after the job, whatever its outcome, for the next job of the same key. */
  done: Promise<void>;
}

export class WorkQueue {
  private readonly inFlight = new Map<string, Entry>();
  private readonly waiting = new Set<string>();
  private running = 0;
  private pending = 0;
  private readonly slots: Array<() => void> = [];
  /** Called whenever the number of pending jobs changes (for the gauge in /metrics). */
  onChange?: (pending: number) => void;

  constructor(
    private readonly log: Logger,
    private readonly concurrency = 32,
    private readonly limit = Infinity,
  ) {}

  /**
   * Queues `job` behind any job with the same key; the promise settles with the job's outcome. A job
   * already waiting under `key` stands for this one: its outcome is returned (the same work, so the same type).
   */
  enqueue<T = void>(key: string, job: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing && this.waiting.has(key)) return existing.result as Promise<T>;
    if (this.pending >= this.limit) throw new QueueFullError(this.limit);
    this.pending++;
    this.onChange?.(this.pending);
    this.waiting.add(key);
    const result = (existing?.done ?? Promise.resolve())
      .then(() => this.slot())
      .then(async () => {
        this.waiting.delete(key);
        try {
          return await job();
        } finally {
          this.release();
        }
      });
    const done: Promise<void> = result
      .then(
        () => undefined,
        (err: unknown) => this.log.error({ err, key }, 'background job failed'),
      )
      .finally(() => {
        if (this.inFlight.get(key)?.done === done) this.inFlight.delete(key);
        this.pending--;
        this.onChange?.(this.pending);
      });
    this.inFlight.set(key, { result, done });
    return result;
  }

  /** Resolves when nothing is running (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight.values()].map((e) => e.done));
  }

  /** Jobs waiting or running. */
  get size(): number {
    return this.pending;
  }

  private slot(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.slots.push(resolve));
  }

  private release(): void {
    const next = this.slots.shift();
    if (next) next();
    else this.running--;
  }
}
