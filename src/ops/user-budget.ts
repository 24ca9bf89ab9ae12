/**
 * A small per-user allowance (in this process) for answers that cost the installation's content-creation
 * budget: a user without any role who keeps commenting commands gets a reaction a few times an hour,
 * then nothing.
 */
export class PerUserBudget {
  private readonly spent = new Map<string, number[]>();

  constructor(
    private readonly max = 5,
    private readonly windowMs = 3_600_000,
    private readonly now: () => number = Date.now,
    /** Users remembered at most; the oldest are forgotten first. */
    private readonly capacity = 10_000,
  ) {}

  /** Whether `key` may spend one more now (and records it). */
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
