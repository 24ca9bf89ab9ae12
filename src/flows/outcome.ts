/**
 * What every background job returns: whether it did its work, found nothing to do, or refused, and a
 * short fixed label (`what`) for the metrics; details go to the log only.
 */
import type { Probot } from 'probot';

/** The log a job writes to: the app's, with the job's fields bound. */
export type Log = Probot['log'];

export type JobStatus = 'done' | 'skipped' | 'refused';

export interface JobOutcome {
  status: JobStatus;
  /** Low-cardinality label, e.g. `opened`, `not-enabled`, `updated`: the job histogram's `outcome`. */
  what: string;
  /** Ids, numbers and reasons for the log line. */
  detail?: Record<string, unknown>;
}

export const done = (what: string, detail?: Record<string, unknown>): JobOutcome => ({ status: 'done', what, detail });
export const skipped = (what: string, detail?: Record<string, unknown>): JobOutcome => ({ status: 'skipped', what, detail });
export const refused = (what: string, detail?: Record<string, unknown>): JobOutcome => ({ status: 'refused', what, detail });

/**
 * Thrown by a job that cannot finish yet and must not count as done: another worker may be half-way
 * through the same work, or a dead one left it half-done and it cannot yet be told which. The event is
 * answered 5xx (or, stored in Redis, delayed) so that it comes back after `retryAfterMs`.
 */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'RetryLater';
  }
}
