/**
 * Throttling to GitHub's secondary limits, per installation (see budgets.ts for the numbers).
 *
 * Each budget is a semaphore keyed by installation and endpoint: a request holds its points for the
 * budget's window (a minute, an hour) and then gives them back, so no sliding minute ever sees more than
 * the limit, bursts included. A request that would exceed a budget waits for it. In one process the
 * semaphores are local (local-limiter.ts); with Redis they live there (Bottleneck's clustering), replicas
 * share them, and a replica that dies gives its points back when the window ends (job expiration), never later.
 *
 * Waiting requests are ordered fairly across repositories: a repository's n-th waiting request queues
 * behind every other repository's earlier ones (Bottleneck priorities 0–9), so one busy repository cannot
 * starve the rest of the installation. A 403/429 with `retry-after` or `x-ratelimit-reset` pauses the
 * installation for that long and retries: GitHub's word beats our count.
 */
import Bottleneck from 'bottleneck';
import { LocalGroup, type Limiter } from './local-limiter.js';
import { BUDGET_KINDS, GITHUB_BUDGETS, costOf, isAuthRequest, reportedGraphqlCost, type BudgetKind, type Claim } from './budgets.js';
import { metrics } from '../ops/metrics.js';

export interface BudgetSettings {
  /** Bottleneck's ioredis connection (Probot makes one from REDIS_URL): budgets shared across replicas. */
  connection?: Bottleneck.IORedisConnection;
  /** Concurrent requests per installation. */
  concurrent: number;
  /** Limits and windows per budget kind (GitHub's by default; tests shrink them). */
  kinds: Record<BudgetKind['name'], BudgetKind>;
  /** Namespace of the Redis keys (tests keep runs apart). */
  prefix: string;
}

export const DEFAULT_SETTINGS: BudgetSettings = { concurrent: GITHUB_BUDGETS.concurrent, kinds: BUDGET_KINDS, prefix: 'shipshape' };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
/** A request not answered after this has its points counted from then; with Redis, a job still registered after it belonged to a replica that died. */
const REQUEST_EXPIRATION_MS = 120_000;

/** The budgets of every installation, in this process or (with a connection) shared through Redis. */
export class Budgets {
  private readonly groups = new Map<string, { key(key: string): Limiter }>();
  private readonly waiting = new Map<string, Map<string, number>>();
  private readonly pausedUntil = new Map<string, number>();
  readonly settings: BudgetSettings;

  constructor(settings: Partial<BudgetSettings> = {}) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings, kinds: { ...DEFAULT_SETTINGS.kinds, ...settings.kinds } };
  }

  /**
   * Waits until GitHub's pause (if any) is over and every claim is granted, fairly across repositories.
   * Call the returned function once GitHub has answered: the points are held for the window from then,
   * since GitHub counts the request when it arrives, which may be well after we granted it.
   */
  async admit(installation: string, repository: string, claims: Claim[]): Promise<() => void> {
    const perRepo = this.waiting.get(installation) ?? new Map<string, number>();
    this.waiting.set(installation, perRepo);
    const ahead = perRepo.get(repository) ?? 0;
    perRepo.set(repository, ahead + 1);
    let answered!: () => void;
    const done = new Promise<void>((resolve) => (answered = resolve));
    try {
      await this.waitOutPause(installation);
      for (const claim of claims) await this.take(installation, claim, Math.min(9, ahead), done);
    } catch (err) {
      answered();
      throw err;
    } finally {
      const left = (perRepo.get(repository) ?? 1) - 1;
      if (left > 0) perRepo.set(repository, left);
      else perRepo.delete(repository);
    }
    return answered;
  }

  /** Runs the request itself within the installation's concurrency cap. */
  async concurrently<T>(installation: string, run: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const limiter = this.group('concurrency', { maxConcurrent: this.settings.concurrent }).key(installation);
    return limiter.schedule(this.jobOptions(1, 0, REQUEST_EXPIRATION_MS), async () => {
      unrefExpirations(limiter);
      metrics.budgetWaitSeconds.observe({ budget: 'concurrency' }, (Date.now() - started) / 1000);
      return run();
    });
  }

  /** GitHub asked us to wait (retry-after, rate-limit reset): no request of this installation goes before then. */
  pause(installation: string, ms: number): void {
    this.pausedUntil.set(installation, Math.max(this.pausedUntil.get(installation) ?? 0, Date.now() + ms));
  }

  /** Points left in one budget of an installation (the sum of all replicas' requests with Redis). */
  async remaining(installation: string, claim: Pick<Claim, 'kind' | 'key'>): Promise<number> {
    const kind = this.settings.kinds[claim.kind.name];
    return kind.limit - (await this.limiter(installation, claim).running());
  }

  /** Takes a claim's points and holds them until `answered` and a window more; resolves when they are taken. */
  private async take(installation: string, claim: Claim, priority: number, answered: Promise<void>): Promise<void> {
    const kind = this.settings.kinds[claim.kind.name];
    const points = Math.min(claim.points, kind.limit);
    const limiter = this.limiter(installation, claim);
    const started = Date.now();
    await new Promise<void>((granted, failed) => {
      limiter
        .schedule(this.jobOptions(points, priority, REQUEST_EXPIRATION_MS + kind.windowMs + 5_000), async () => {
          granted();
          unrefExpirations(limiter);
          await Promise.race([answered, sleep(REQUEST_EXPIRATION_MS)]);
          await sleep(kind.windowMs);
          this.report(installation, claim, limiter);
        })
        .catch(failed);
    });
    metrics.budgetWaitSeconds.observe({ budget: kind.name }, (Date.now() - started) / 1000);
    this.report(installation, claim, limiter);
  }

  /** Charges points found out after the request (a GraphQL query's reported cost) without holding it up. */
  charge(installation: string, claim: Claim): void {
    void this.take(installation, claim, 0, Promise.resolve()).catch(() => undefined);
  }

  private limiter(installation: string, claim: Pick<Claim, 'kind' | 'key'>): Limiter {
    const kind = this.settings.kinds[claim.kind.name];
    return this.group(kind.name, { maxConcurrent: kind.limit, timeout: kind.windowMs + 300_000 }).key(`${installation}:${claim.key}`);
  }

  /** Shared through Redis: Bottleneck's clustering. In this process: semaphores that grant in the same tick (local-limiter.ts). */
  private group(name: string, options: Bottleneck.ConstructorOptions & { maxConcurrent: number }): { key(key: string): Limiter } {
    let group = this.groups.get(name);
    if (!group) {
      const { connection } = this.settings;
      group = connection
        ? new Bottleneck.Group({ id: `${this.settings.prefix}-${name}`, ...options, connection })
        : new LocalGroup(options.maxConcurrent);
      this.groups.set(name, group);
    }
    return group;
  }

  /** With Redis, a job's expiration frees its points if this replica dies; in one process a timer would only keep it alive. */
  private jobOptions(weight: number, priority: number, expiration: number): { weight: number; priority: number; expiration?: number } {
    return this.settings.connection ? { weight, priority, expiration } : { weight, priority };
  }

  private async waitOutPause(installation: string): Promise<void> {
    const until = this.pausedUntil.get(installation) ?? 0;
    if (until <= Date.now()) return;
    const started = Date.now();
    while ((this.pausedUntil.get(installation) ?? 0) > Date.now()) await sleep((this.pausedUntil.get(installation) ?? 0) - Date.now());
    metrics.budgetWaitSeconds.observe({ budget: 'retry-after' }, (Date.now() - started) / 1000);
  }

  private report(installation: string, claim: Claim, limiter: Limiter): void {
    const kind = this.settings.kinds[claim.kind.name];
    limiter.running().then(
      (used) =>
        metrics.budgetRemainingPoints.set(
          { installation, budget: claim.kind.name === 'rest' ? `rest ${claim.key}` : kind.name },
          kind.limit - used,
        ),
      () => undefined,
    );
  }
}

/**
 * Bottleneck keeps a timer per job with an expiration (the Redis case) and does not unref it: a process
 * would stay up for a whole window after its last request. Its expiration in Redis is what matters.
 */
function unrefExpirations(limiter: Limiter): void {
  if (!(limiter instanceof Bottleneck)) return;
  const scheduled = (limiter as unknown as { _scheduled?: Record<string, { expiration?: { unref?: () => void } }> })._scheduled ?? {};
  for (const job of Object.values(scheduled)) job.expiration?.unref?.();
}

export interface ThrottleOptions {
  budgets: Budgets;
  /** Installation id, or 'app' for the app's own (JWT) requests. */
  installation: string;
  maxRetries: number;
  /** Milliseconds per second of `retry-after` (tests make waits short). */
  retryAfterBaseValue: number;
  /** The wait when GitHub reports a secondary limit without `retry-after` (seconds). */
  fallbackRetryAfter: number;
}

type RequestOptions = Record<string, unknown> & { method: string; url: string };
type Response = { status: number; headers: Record<string, string | number | undefined>; data: unknown };
type HttpError = Error & { status?: number; response?: { headers?: Record<string, string | number | undefined>; data?: unknown } };
type Log = { warn: (msg: string) => void };

/** Seconds GitHub asks us to wait before retrying, or undefined when the failure is not a rate limit. */
export function retryAfterSeconds(
  status: number | undefined,
  headers: Record<string, string | number | undefined> = {},
  message = '',
  fallback = 60,
  now = Date.now(),
): number | undefined {
  if (status !== 403 && status !== 429 && status !== 200) return undefined;
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter)) return Math.max(0, retryAfter);
  const reset = Number(headers['x-ratelimit-reset']);
  if (String(headers['x-ratelimit-remaining']) === '0' && Number.isFinite(reset))
    return Math.max(0, Math.ceil((reset * 1000 - now) / 1000) + 1);
  if (/secondary rate limit/i.test(message)) return fallback;
  if (status === 429) return fallback;
  return undefined;
}

/** Wraps one request: budgets, concurrency, then GitHub's own verdict, retried a few times when it says wait. */
export async function throttledRequest(
  options: ThrottleOptions,
  log: Log,
  request: (o: RequestOptions) => Promise<Response>,
  requestOptions: RequestOptions,
): Promise<Response> {
  const { budgets, installation } = options;
  // The token a request needs is minted inside it: counting that one too could deadlock on the concurrency cap.
  if (isAuthRequest(requestOptions.method, requestOptions.url)) return request(requestOptions);
  const cost = costOf(requestOptions.method, requestOptions.url, requestOptions);
  for (let attempt = 0; ; attempt++) {
    const answered = await budgets.admit(installation, cost.repository, cost.claims);
    let wait: number | undefined;
    let failure: unknown;
    try {
      const response = await budgets.concurrently(installation, () => request(requestOptions)).finally(answered);
      if (cost.graphql) {
        const reported = reportedGraphqlCost(response.data);
        if (reported !== undefined && reported > cost.estimatedPoints)
          budgets.charge(installation, { ...cost.claims[0]!, points: reported - cost.estimatedPoints });
        const limited = ((response.data as { errors?: Array<{ type?: string }> } | undefined)?.errors ?? []).some(
          (e) => e.type === 'RATE_LIMITED',
        );
        if (!limited) return pauseWhenExhausted(options, response);
        wait =
          retryAfterSeconds(200, { ...response.headers, 'x-ratelimit-remaining': '0' }, '', options.fallbackRetryAfter) ??
          options.fallbackRetryAfter;
        failure = Object.assign(new Error('GraphQL rate limit exceeded'), { response, data: response.data });
      } else {
        return pauseWhenExhausted(options, response);
      }
    } catch (error) {
      const e = error as HttpError;
      wait = retryAfterSeconds(e.status, e.response?.headers, e.message, options.fallbackRetryAfter);
      failure = error;
    }
    if (wait === undefined || attempt >= options.maxRetries) throw failure;
    log.warn(`rate limited on ${requestOptions.method} ${requestOptions.url}: retry ${attempt + 1} in ${wait}s`);
    budgets.pause(installation, wait * options.retryAfterBaseValue);
  }
}

/** The primary limit reached zero: wait for its reset rather than be refused. */
function pauseWhenExhausted(options: ThrottleOptions, response: Response): Response {
  if (String(response.headers['x-ratelimit-remaining']) === '0') {
    const wait = retryAfterSeconds(403, response.headers);
    if (wait) options.budgets.pause(options.installation, wait * options.retryAfterBaseValue);
  }
  return response;
}
