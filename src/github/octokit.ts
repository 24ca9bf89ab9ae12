/**
 * The Octokit class the app uses: Probot's, throttled to GitHub's documented secondary limits per
 * installation (throttle.ts, budgets.ts) instead of Probot's default.
 *
 * Probot's default (@octokit/plugin-throttling) queues every write *and every GraphQL query* of an
 * installation through one group at one request per second, and its groups cannot express a budget per
 * endpoint. So that plugin is switched off for our clients and our own plugin takes its place: in-process
 * semaphores do the counting, and with REDIS_URL Bottleneck keeps the budgets in Redis for every replica.
 * A 403/429 with `retry-after` is waited out and retried (3 times), never reported as a policy failure.
 */
import type Bottleneck from 'bottleneck';
import { ProbotOctokit } from 'probot';
import { metrics } from '../ops/metrics.js';
import { Budgets, throttledRequest, type BudgetSettings } from './throttle.js';

export const BUDGETS = { maxRetries: 3 };

/** What a client passes on to the installation clients Probot derives from it. */
export interface ShipshapeThrottle {
  connection?: Bottleneck.IORedisConnection;
  retryAfterBaseValue: number;
  /** Budgets other than GitHub's (tests); they must be the same in every replica. */
  budgets?: Partial<BudgetSettings>;
}

type ClientOptions = Record<string, unknown> & {
  throttle?: Record<string, unknown>;
  shipshapeThrottle?: ShipshapeThrottle;
  auth?: unknown;
};

const budgetsByConnection = new Map<unknown, Budgets>();

/** One set of budgets per process, or per Redis connection (then shared with the other replicas). */
export function budgetsFor(throttle: ShipshapeThrottle): Budgets {
  const key = throttle.connection ?? throttle.budgets ?? null;
  let budgets = budgetsByConnection.get(key);
  if (!budgets) {
    budgets = new Budgets({ ...throttle.budgets, connection: throttle.connection });
    budgetsByConnection.set(key, budgets);
  }
  return budgets;
}

/** Closes the Redis connections the budgets use (graceful shutdown, tests). */
export async function disconnectBudgets(): Promise<void> {
  const connections = [...budgetsByConnection.values()].map((b) => b.settings.connection).filter((c) => c !== undefined);
  budgetsByConnection.clear();
  await Promise.all(connections.map((c) => c.disconnect(false).catch(() => undefined)));
}

/**
 * The options of one client. Probot builds an installation's client from the app client's options with
 * `throttle: { enabled: false }` once the plugin is off, so our settings travel in their own key; a client
 * created with throttling off from the start (handler tests) stays unthrottled.
 */
export function clientOptions(options: ClientOptions): ClientOptions {
  const throttle = options.throttle ?? {};
  let carried = options.shipshapeThrottle;
  if (!carried && throttle.enabled === false) return options;
  carried ??= {
    connection: throttle.connection as Bottleneck.IORedisConnection | undefined,
    retryAfterBaseValue: typeof throttle.retryAfterBaseValue === 'number' ? throttle.retryAfterBaseValue : 1000,
    budgets: throttle.budgets as Partial<BudgetSettings> | undefined,
  };
  // 429 is a rate limit: ours to wait out by its retry-after, not plugin-retry's to hammer at 1, 4, 9 s.
  const retry = { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451], ...(options.retry as Record<string, unknown> | undefined) };
  return { ...options, retry, throttle: { ...throttle, enabled: false }, shipshapeThrottle: carried };
}

export function installationOf(options: { auth?: unknown }): string {
  return String((options.auth as { installationId?: number } | undefined)?.installationId ?? 'app');
}

type Wrap = (
  request: Parameters<typeof throttledRequest>[2],
  options: Parameters<typeof throttledRequest>[3],
) => ReturnType<typeof throttledRequest>;
type Wrapped = { log: { warn: (msg: string) => void }; hook: { wrap: (name: 'request', fn: Wrap) => void } };

/** Octokit plugin: every request of the client goes through its installation's budgets. */
export function budgetThrottling(octokit: unknown, options: ClientOptions): Record<string, never> {
  const settings = options.shipshapeThrottle;
  if (!settings) return {};
  const client = octokit as Wrapped;
  const throttle = {
    budgets: budgetsFor(settings),
    installation: installationOf(options),
    maxRetries: BUDGETS.maxRetries,
    retryAfterBaseValue: settings.retryAfterBaseValue,
    fallbackRetryAfter: 60,
  };
  client.hook.wrap('request', (request, requestOptions) => throttledRequest(throttle, client.log, request, requestOptions));
  return {};
}

type Hooked = {
  hook: {
    after: (
      name: 'request',
      fn: (response: { status: number; headers: Record<string, unknown> }, options: { method: string }) => void,
    ) => void;
    error: (name: 'request', fn: (error: Error & { status?: number }, options: { method: string }) => never) => void;
  };
};

/** Counts every API call by method and status, and keeps the rate-limit headroom, for /metrics. */
export function requestMetrics(octokit: unknown, options: { auth?: unknown }): Record<string, never> {
  const hooked = octokit as Hooked;
  const installation = installationOf(options);
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

/** Probot's Octokit with our throttling and metrics; tests may pass `throttle: { enabled: false }` to see requests at once. */
export const ShipshapeOctokit = ProbotOctokit.plugin(requestMetrics, budgetThrottling).defaults((options: ClientOptions) =>
  clientOptions(options),
);
