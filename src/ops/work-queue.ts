/**
 * Background work after the webhook is acknowledged. GitHub times a delivery out after 10 s, so handlers
 * enqueue and return. A job whose key is already waiting is not queued twice (redelivery, double clicks).
 */
export interface Logger {
  error: (obj: unknown, msg?: string) => void;
}

export class WorkQueue {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly waiting = new Set<string>();

  constructor(private readonly log: Logger) {}

  /** Runs `job` after any running job with the same key; returns at once. */
  enqueue(key: string, job: () => Promise<void>): Promise<void> {
    if (this.waiting.has(key)) return this.inFlight.get(key)!;
    const previous = this.inFlight.get(key) ?? Promise.resolve();
    this.waiting.add(key);
    const run = previous
      .then(() => {
        this.waiting.delete(key);
        return job();
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
}
