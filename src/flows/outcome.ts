/**
 * What every background job returns: whether it did its work, found nothing to do, or refused, and a
 * short fixed label (`what`) for the metrics; details go to the log only.
 */
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
