/**
 * GitHub's documented secondary rate limits, as budgets a request draws on (pure: no I/O).
 * Per installation: at most 100 concurrent requests; 900 points a minute per REST endpoint (a read costs
 * 1, a write 5); 2,000 GraphQL points a minute (a query 1, a mutation 5, or the cost GitHub reports);
 * 80 content-creating requests a minute and 500 an hour.
 * See https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits
 */
import { throttling } from '@octokit/plugin-throttling';

export const GITHUB_BUDGETS = {
  concurrent: 100,
  restPointsPerMinute: 900,
  graphqlPointsPerMinute: 2000,
  contentPerMinute: 80,
  contentPerHour: 500,
} as const;

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** A kind of budget: how many points it holds over which sliding window. */
export interface BudgetKind {
  name: 'rest' | 'graphql' | 'content-minute' | 'content-hour';
  limit: number;
  windowMs: number;
}

export const BUDGET_KINDS: Record<BudgetKind['name'], BudgetKind> = {
  rest: { name: 'rest', limit: GITHUB_BUDGETS.restPointsPerMinute, windowMs: MINUTE },
  graphql: { name: 'graphql', limit: GITHUB_BUDGETS.graphqlPointsPerMinute, windowMs: MINUTE },
  'content-minute': { name: 'content-minute', limit: GITHUB_BUDGETS.contentPerMinute, windowMs: MINUTE },
  'content-hour': { name: 'content-hour', limit: GITHUB_BUDGETS.contentPerHour, windowMs: HOUR },
};

/** Points a request takes from one budget; `key` names the budget within the installation. */
export interface Claim {
  kind: BudgetKind;
  key: string;
  points: number;
}

export interface RequestCost {
  claims: Claim[];
  /** `owner/repo` the request is about, for fair ordering ('' when none). */
  repository: string;
  graphql: boolean;
  /** The GraphQL points charged up front (1 or 5); the reported cost may add more afterwards. */
  estimatedPoints: number;
}

/** GraphQL mutations that create content: addComment, addReaction, createIssue, createPullRequest, … */
const CONTENT_MUTATION = /^\s*mutation\b[^{]*\{\s*(?:\w+\s*:\s*)?(?:add|create)[A-Z]\w*/;

/**
 * The endpoint a request is counted on: its route template with every parameter as `*` (braces would be Redis hash tags). Octokit passes
 * templates (`/repos/{owner}/{repo}/check-runs`); pagination follows concrete URLs, whose owner, repo and
 * numeric segments are folded the same way so both land on one budget.
 */
export function endpointOf(url: string): string {
  let path = url
    .replace(/^https?:\/\/[^/]+/, '')
    .replace(/^\/api\/v3(?=\/)/, '')
    .replace(/^\/api\/graphql$/, '/graphql')
    .split('?')[0]!;
  path = path.replace(/\{[^}]+\}/g, '*');
  path = path.replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/*/*');
  return path.replace(/\/\d+(?=\/|$)/g, '/*');
}

function repositoryOf(url: string, params: Record<string, unknown>): string {
  if (typeof params.owner === 'string' && typeof params.repo === 'string') return `${params.owner}/${params.repo}`.toLowerCase();
  const concrete = /\/repos\/([^/{}]+)\/([^/{}?]+)/.exec(url);
  if (concrete) return `${concrete[1]}/${concrete[2]}`.toLowerCase();
  const variables = (params.variables ?? params) as Record<string, unknown>;
  if (typeof variables.owner === 'string' && (typeof variables.repo === 'string' || typeof variables.name === 'string'))
    return `${variables.owner}/${String(variables.repo ?? variables.name)}`.toLowerCase();
  return '';
}

/** Minting an installation token (and the like) is the app's own request: GitHub does not count it against the installation. */
export function isAuthRequest(method: string, url: string): boolean {
  const endpoint = `${method.toUpperCase()} ${endpointOf(url)}`;
  return [
    'POST /app/installations/*/access_tokens',
    'POST /applications/*/token',
    'PATCH /applications/*/token/scoped',
    'POST /login/oauth/access_token',
  ].includes(endpoint);
}

/** What a request costs, from its method, URL (template or concrete) and parameters. */
export function costOf(method: string, url: string, params: Record<string, unknown> = {}): RequestCost {
  const verb = method.toUpperCase();
  const endpoint = endpointOf(url);
  const repository = repositoryOf(url, params);
  if (endpoint === '/graphql') {
    const query = typeof params.query === 'string' ? params.query : '';
    const mutation = /^\s*mutation\b/.test(query);
    const points = mutation ? 5 : 1;
    const claims: Claim[] = [{ kind: BUDGET_KINDS.graphql, key: 'graphql', points }];
    if (mutation && CONTENT_MUTATION.test(query)) claims.push(...contentClaims());
    return { claims, repository, graphql: true, estimatedPoints: points };
  }
  const read = verb === 'GET' || verb === 'HEAD';
  const claims: Claim[] = [{ kind: BUDGET_KINDS.rest, key: `${verb} ${endpoint}`, points: read ? 1 : 5 }];
  // Octokit's list of the endpoints that notify people (issues, comments, reviews, releases, …); reactions
  // notify nobody but GitHub counts them as created content too.
  if (!read && (throttling.triggersNotification(endpoint) || (verb === 'POST' && endpoint.endsWith('/reactions'))))
    claims.push(...contentClaims());
  return { claims, repository, graphql: false, estimatedPoints: 0 };
}

function contentClaims(): Claim[] {
  return [
    { kind: BUDGET_KINDS['content-minute'], key: 'content', points: 1 },
    { kind: BUDGET_KINDS['content-hour'], key: 'content', points: 1 },
  ];
}

/** The cost GitHub reported for a GraphQL query (`rateLimit { cost }`), when the query asked for it. */
export function reportedGraphqlCost(body: unknown): number | undefined {
  const cost = (body as { data?: { rateLimit?: { cost?: unknown } } } | undefined)?.data?.rateLimit?.cost;
  return typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? cost : undefined;
}
