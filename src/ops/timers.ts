/**
 * The one runner of the server's timed work: the settings audit's schedule, the environment watch, the
 * redelivery sweep and paced audits after a large installation. Each is named, never runs twice at once,
 * has its errors logged and counted (never thrown into the event loop), keeps no process alive on its own,
 * and stops with the server.
 */
import { swallowed, type WarnLogger } from './swallowed.js';

export class Timers {
  private readonly handles = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly log?: WarnLogger) {}

  /** `work` every `everyMs`, and once `firstAfterMs` after start when given; a run still going skips the next. */
  every(name: string, everyMs: number, work: () => Promise<unknown>, firstAfterMs?: number): void {
    let running = false;
    const run = async () => {
      if (running || this.stopped) return;
      running = true;
      try {
        await work();
      } catch (err) {
        swallowed(this.log, name, err);
      } finally {
        running = false;
      }
    };
    if (this.stopped) return;
    if (firstAfterMs !== undefined) this.after(name, firstAfterMs, run);
    this.handles.add(setInterval(() => void run(), everyMs).unref());
  }

  /** `work` once, `ms` from now. */
  after(name: string, ms: number, work: () => unknown): NodeJS.Timeout | undefined {
    if (this.stopped) return undefined;
    const handle = setTimeout(() => {
      this.handles.delete(handle);
      Promise.resolve()
        .then(work)
        .catch((err: unknown) => swallowed(this.log, name, err));
    }, ms).unref();
    this.handles.add(handle);
    return handle;
  }

  /** No timer fires after this. */
  stop(): void {
    this.stopped = true;
    for (const handle of this.handles) clearTimeout(handle);
    this.handles.clear();
  }
}
