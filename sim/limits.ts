/**
 * GitHub's documented secondary rate limits, enforced by the simulator so the app's throttling is tested
 * against the same budgets: concurrent requests, points per minute per REST endpoint (each route template
 * its own budget) and for GraphQL (one budget), and content creation per minute and per hour, each over a
 * sliding window. A refused request gets 403 with `retry-after`.
 */
export interface LimitSettings {
  concurrent: number;
  restPointsPerMinutePerEndpoint: number;
  graphqlPointsPerMinute: number;
  contentPerMinute: number;
  contentPerHour: number;
  retryAfterSeconds: number;
  /** The "minute" of the per-minute limits (ms): GitHub's is 60 s; tests shorten it. */
  windowMs?: number;
}

export const GITHUB_LIMITS: LimitSettings = {
  concurrent: 100,
  restPointsPerMinutePerEndpoint: 900,
  graphqlPointsPerMinute: 2000,
  contentPerMinute: 80,
  contentPerHour: 500,
  retryAfterSeconds: 60,
};

/** Requests that create content (GitHub's "content-generating" requests): issues, comments, reviews, releases, reactions. Not check runs. */
const CONTENT_CREATING = [
  /^POST \/repos\/[^/]+\/[^/]+\/(issues|pulls|releases)$/,
  /^POST \/repos\/[^/]+\/[^/]+\/(issues|pulls)\/[^/]+\/(comments|reviews)$/,
  /^POST \/repos\/[^/]+\/[^/]+\/commits\/[^/]+\/comments$/,
  /^POST \/repos\/[^/]+\/[^/]+\/.+\/reactions$/,
];

export class SecondaryLimits {
  inFlight = 0;
  peakInFlight = 0;
  private readonly windows = new Map<string, Array<{ at: number; points: number }>>();

  constructor(
    readonly settings: LimitSettings = GITHUB_LIMITS,
    private readonly clock: () => number = Date.now,
    readonly refused: string[] = [],
  ) {}

  /** Returns the reason to refuse, or undefined and counts the request (call `done()` when answered). */
  admit(method: string, templateOrPath: string, isGraphql: boolean, isMutation = false): string | undefined {
    const now = this.clock();
    if (this.inFlight >= this.settings.concurrent)
      return this.refuse(`more than ${this.settings.concurrent} concurrent requests`, method, templateOrPath);
    const points = isGraphql ? (isMutation ? 5 : 1) : method === 'GET' || method === 'HEAD' ? 1 : 5;
    const bucket = isGraphql ? 'graphql' : `rest ${method} ${templateOrPath}`;
    const limit = isGraphql ? this.settings.graphqlPointsPerMinute : this.settings.restPointsPerMinutePerEndpoint;
    const minute = this.settings.windowMs ?? 60_000;
    if (this.sum(bucket, now, minute) + points > limit)
      return this.refuse(`more than ${limit} points per minute on ${bucket}`, method, templateOrPath);
    const content = CONTENT_CREATING.some((re) => re.test(`${method} ${templateOrPath}`));
    if (content) {
      if (this.sum('content', now, minute) + 1 > this.settings.contentPerMinute)
        return this.refuse(`more than ${this.settings.contentPerMinute} content-creating requests per minute`, method, templateOrPath);
      if (this.sum('content', now, 3_600_000) + 1 > this.settings.contentPerHour)
        return this.refuse(`more than ${this.settings.contentPerHour} content-creating requests per hour`, method, templateOrPath);
      this.record('content', now, 1);
    }
    this.record(bucket, now, points);
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    return undefined;
  }

  done(): void {
    this.inFlight--;
  }

  private refuse(reason: string, method: string, path: string): string {
    this.refused.push(`${method} ${path}: ${reason}`);
    return reason;
  }

  private sum(bucket: string, now: number, span: number): number {
    const list = (this.windows.get(bucket) ?? []).filter((e) => e.at > now - 3_600_000);
    this.windows.set(bucket, list);
    return list.filter((e) => e.at > now - span).reduce((n, e) => n + e.points, 0);
  }

  private record(bucket: string, at: number, points: number): void {
    const list = this.windows.get(bucket) ?? [];
    list.push({ at, points });
    this.windows.set(bucket, list);
  }
}
