/**
 * How a webhook's work is run so that no event is lost. GitHub counts a delivery answered 2xx as a
 * success even if the work then fails, and never redelivers it. So:
 * - without Redis, the webhook is answered after its job has finished; a job that fails, a full queue,
 *   or a job still running when GitHub's 10 s are nearly up answers 5xx, and the redelivery sweep brings
 *   the event back (handlers are idempotent);
 * - with Redis, the event is answered once it is stored in the shared queue; a worker (any replica) then
 *   replays it through the same handlers, which run their work inline.
 * A job that cannot finish yet (flows' RetryLater) is not done either: 503 without Redis, and with Redis
 * the stored job is delayed (see durable-queue.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** An error the webhook middleware answers with `status` (it reads `status` off the error). */
export class WebhookAnswer extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Set when the job is not failing but cannot finish yet: a stored event is then delayed this long, not failed. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'Shipshape';
  }
}

export interface QueuedEvent {
  id: string;
  name: string;
  payload: unknown;
}

/** The durable queue, as the handlers see it. */
export interface EventStore {
  add(event: QueuedEvent): Promise<void>;
}

export interface JobMode {
  /** With REDIS_URL: events go there and are answered 2xx once stored. */
  durable?: EventStore;
  /** Without: how long a webhook may wait for its job before answering 503. */
  answerWithinMs: number;
}

let mode: JobMode = { answerWithinMs: Infinity };

/** The server sets the mode once at start; handler tests keep the default (wait for the work, no deadline). */
export function configureJobs(next: JobMode): void {
  mode = next;
}

export function jobMode(): JobMode {
  return mode;
}

/** Set while a queue worker replays an event: handlers then run their work instead of queueing the event. */
export const replaying = new AsyncLocalStorage<{ jobId: string }>();

/**
 * Wraps every handler the app registers: an error that is not a deliberate answer (a job's 5xx) comes from
 * reading the payload, so the payload is malformed: 400, logged with the delivery id, no internals sent.
 */
export function answerMalformedWith400(app: {
  on: (...args: never[]) => unknown;
  log: { warn: (obj: unknown, msg?: string) => void };
}): void {
  const on = app.on.bind(app) as (events: unknown, handler: (context: { id: string; name: string }) => unknown) => unknown;
  (app as { on: unknown }).on = (events: unknown, handler: (context: { id: string; name: string }) => unknown) =>
    on(events, async (context) => {
      try {
        return await handler(context);
      } catch (err) {
        if (err instanceof WebhookAnswer) throw err;
        app.log.warn({ err, delivery: context.id, event: context.name }, 'malformed webhook payload');
        throw new WebhookAnswer(400, 'the payload does not have the shape GitHub documents for this event');
      }
    });
}

/** Waits for `work`, or answers 503 after `ms` (the work goes on; its redelivery finds it done). */
export async function answerWithin<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  if (!Number.isFinite(ms)) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new WebhookAnswer(503, `${what} is still running; answered 503 so that GitHub redelivers the event`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
