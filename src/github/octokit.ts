/**
 * The Octokit class the app uses: Probot's, with throttling set to GitHub's documented secondary limits
 * instead of Probot's default queue of one write (and one GraphQL query) per second per installation.
 *
 * Budgets (per installation, see docs "Rate limits for the REST API" → secondary rate limits):
 * - at most 100 concurrent requests overall: we allow 20 per installation;
 * - 900 points/minute per REST endpoint, a write costing 5 → 180 writes/minute; GraphQL queries cost 1
 *   of 2,000 points/minute and share the same bucket, which keeps both under their limit;
 * - content creation (issues, comments): 80/minute and 500/hour → bursts of 80, refilled by one every 7.2 s.
 * A 403/429 with `retry-after` is waited out and retried (3 times), never reported as a policy failure.
 * With REDIS_URL, Probot hands us a Redis connection and these buckets are shared across replicas.
 */
import Bottleneck from 'bottleneck';
import { ProbotOctokit } from 'probot';
import { metrics } from '../ops/metrics.js';

export const BUDGETS = {
  concurrentPerInstallation: 20,
  writesPerMinute: 180,
  contentCreationBurst: 80,
  contentCreationRefillMs: 3_600_000 / 500,
  maxRetries: 3,
};

type ThrottleOptions = Record<string, unknown> & { connection?: unknown; Bottleneck?: typeof Bottleneck };
type RetryInfo = { method: string; url: string; request: { retryCount: number } };
type Logger = { warn: (msg: string) => void };

const groupsByConnection = new Map<unknown, Record<string, Bottleneck.Group>>();

/** One set of buckets per process (or per Redis connection), keyed inside by installation id. */
export function budgetGroups(connection?: unknown, B: typeof Bottleneck = Bottleneck): Record<string, Bottleneck.Group> {
  let groups = groupsByConnection.get(connection ?? null);
  if (!groups) {
    const common = connection ? { connection: connection as Bottleneck.IORedisConnection, timeout: 120_000 } : {};
    const minute = 60_000;
    groups = {
      global: new B.Group({ id: 'shipshape-global', maxConcurrent: BUDGETS.concurrentPerInstallation, ...common }),
      write: new B.Group({ id: 'shipshape-write', maxConcurrent: 10, reservoir: BUDGETS.writesPerMinute, reservoirRefreshAmount: BUDGETS.writesPerMinute, reservoirRefreshInterval: minute, ...common }),
      notifications: new B.Group({ id: 'shipshape-content', maxConcurrent: 5, reservoir: BUDGETS.contentCreationBurst, reservoirIncreaseAmount: 1, reservoirIncreaseInterval: BUDGETS.contentCreationRefillMs, reservoirIncreaseMaximum: BUDGETS.contentCreationBurst, ...common }),
      search: new B.Group({ id: 'shipshape-search', maxConcurrent: 1, minTime: 2000, ...common }),
    };
    groupsByConnection.set(connection ?? null, groups);
  }
  return groups;
}

export function throttleOptions(base: ThrottleOptions = {}): ThrottleOptions {
  const retry = (kind: string) => (retryAfter: number, options: RetryInfo, octokit: { log: Logger }) => {
    const retryCount = options.request.retryCount ?? 0;
    octokit.log.warn(`${kind} on ${options.method} ${options.url}: retry ${retryCount + 1} in ${retryAfter}s`);
    return retryCount < BUDGETS.maxRetries;
  };
  return {
    ...base,
    // Probot gives an installation's client its own throttle id (the installation id) only when
    // `enabled` is set: without it every installation would share one budget.
    enabled: true,
    ...budgetGroups(base.connection, base.Bottleneck ?? Bottleneck),
    onSecondaryRateLimit: retry('secondary rate limit'),
    onRateLimit: retry('rate limit'),
  };
}

/**
 * The throttle options of one client. The clients Probot makes for webhook events inherit the app
 * client's options, throttle id included, so every installation would share one budget; GitHub counts
 * per installation, and so do we.
 */
export function clientThrottle(options: Record<string, unknown>): ThrottleOptions | undefined {
  const throttle = (options.throttle ?? {}) as ThrottleOptions;
  if (throttle.enabled === false) return undefined;
  const installationId = (options.auth as { installationId?: number } | undefined)?.installationId;
  return throttleOptions({ ...throttle, id: installationId ? String(installationId) : ((throttle.id as string | undefined) ?? 'app') });
}

type Hooked = { hook: { after: (name: 'request', fn: (response: { status: number; headers: Record<string, unknown> }, options: { method: string }) => void) => void; error: (name: 'request', fn: (error: { status?: number }, options: { method: string }) => never) => void } };

/** Counts every API call by method and status, and keeps the rate-limit headroom, for /metrics. */
export function requestMetrics(octokit: unknown, options: { auth?: unknown }): Record<string, never> {
  const hooked = octokit as Hooked;
  const installation = String((options.auth as { installationId?: number } | undefined)?.installationId ?? 'app');
  hooked.hook.after('request', (response, request) => {
    metrics.apiRequests.inc({ method: request.method, status: String(response.status) });
    const remaining = Number(response.headers['x-ratelimit-remaining']);
    if (Number.isFinite(remaining)) metrics.rateLimitRemaining.set({ installation }, remaining);
  });
  hooked.hook.error('request', (error, request) => {
    metrics.apiRequests.inc({ method: request.method, status: String(error.status ?? 'network') });
    throw error;
  });
  return {};
}

/** Probot's Octokit with our throttling and metrics; tests may pass `{ enabled: false }` to see requests at once. */
export const ShipshapeOctokit = ProbotOctokit.plugin(requestMetrics).defaults((options: Record<string, unknown>) => {
  const throttle = clientThrottle(options);
  return throttle ? { ...options, throttle } : options;
});
