/**
 * Background work after the webhook is acknowledged. GitHub times a delivery out after 10 s, so handlers
 * enqueue and return. Jobs with the same key run one after the other, a job whose key is already waiting
 * is not queued twice (redelivery, double clicks), and at most `concurrency` jobs run at once, so a burst
 * of webhooks does not hold a thousand checks' data in memory together.
 */
export interface Logger {
  error: (obj: unknown, msg?: string) => void;
}

export class WorkQueue {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly waiting = new Set<string>();
  private running = 0;
  private readonly slots: Array<() => void> = [];

  constructor(
    private readonly log: Logger,
    private readonly concurrency = 32,
  ) {}

  /** Runs `job` after any running job with the same key; returns at once. */
  enqueue(key: string, job: () => Promise<void>): Promise<void> {
    if (this.waiting.has(key)) return this.inFlight.get(key)!;
    const previous = this.inFlight.get(key) ?? Promise.resolve();
    this.waiting.add(key);
    const run = previous
      .then(() => this.slot())
      .then(async () => {
        this.waiting.delete(key);
        try {
          await job();
        } finally {
          this.release();
        }
      })
      .catch((err: unknown) => this.log.error({ err, key }, 'background job failed'))
      .finally(() => {
        if (this.inFlight.get(key) === run) this.inFlight.delete(key);
      });
    this.inFlight.set(key, run);
    return run;
  }

  /** Resolves when nothing is running (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight.values()]);
  }

  get size(): number {
    return this.inFlight.size;
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
