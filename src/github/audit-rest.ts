/**
 * The settings audit's REST side: GitHub's REST answers in the audit's vocabulary, what tells a rate
 * limit from a missing permission, the organization settings kept for an hour, and what the
 * installation's token says it may do.
 */
import type { AuditFacts, BranchRule, ClassicProtection, Environment, Fact, Ruleset } from '../audit/types.js';
import type { GitHub } from './client.js';
import type { RepoRef } from './issues.js';

export interface RepositoryData {
  name: string;
  owner: { login: string; type?: string };
  html_url: string;
  default_branch?: string;
  archived?: boolean;
  private?: boolean;
  topics?: string[];
  security_and_analysis?: Record<string, { status?: string } | undefined> | null;
}

/** The repository itself (default branch, archived, topics, and security settings where the app may see them). */
export async function getRepository(octokit: GitHub, r: RepoRef): Promise<RepositoryData> {
  return (await octokit.request('GET /repos/{owner}/{repo}', { owner: r.owner, repo: r.repo })).data as RepositoryData;
}

export type Status = {
  status?: number;
  message?: string;
  response?: { data?: { message?: string }; headers?: Record<string, string | undefined> };
};

/** A 403 or 429 that is GitHub's rate limit, not a missing permission: the audit fails (and is retried), it does not report "cannot audit". */
export function rateLimited(e: Status): boolean {
  if (e.status === 429) return true;
  const headers = e.response?.headers ?? {};
  return (
    e.status === 403 &&
    (headers['retry-after'] !== undefined || headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(messageOf(e)))
  );
}

/** The fields read from GitHub's answers (structural subsets of the typed responses). */
interface ProtectionData {
  required_status_checks?: { contexts?: string[]; checks?: Array<{ context: string }>; strict?: boolean };
  required_pull_request_reviews?: { required_approving_review_count?: number };
  allow_force_pushes?: { enabled?: boolean };
  allow_deletions?: { enabled?: boolean };
  enforce_admins?: { enabled?: boolean };
}
interface RulesetData {
  id: number;
  name: string;
  enforcement: Ruleset['enforcement'];
  target?: string;
  source: string;
  _links?: { html?: { href?: string } | null };
  rules?: unknown[];
  conditions?: unknown;
}
interface EnvironmentData {
  id: number | bigint;
  name: string;
  protection_rules?: unknown[];
  deployment_branch_policy?: { protected_branches?: boolean; custom_branch_policies?: boolean } | null;
}

/** Settings read once per organization and kept for an hour: the Actions SHA-pinning requirement. */
export class OrgSettingsCache {
  private readonly entries = new Map<string, { at: number; value: Promise<boolean | undefined> }>();
  constructor(
    private readonly ttlMs = 3_600_000,
    private readonly now: () => number = Date.now,
  ) {}
  /** Whether the organization requires SHA pinning; undefined when the app may not read it. */
  shaPinning(octokit: GitHub, org: string, count: () => void): Promise<boolean | undefined> {
    const key = org.toLowerCase();
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    count();
    const value = octokit.request('GET /orgs/{org}/actions/permissions', { org }).then(
      (res) => Boolean(res.data.sha_pinning_required),
      (err: unknown) => {
        // Without the organization permission, each repository's own setting decides.
        if (!rateLimited(err as Status) && ((err as Status).status === 403 || (err as Status).status === 404)) return undefined;
        this.entries.delete(key);
        throw err;
      },
    );
    this.entries.set(key, { at: this.now(), value });
    return value;
  }
}

export const messageOf = (e: Status): string => e.response?.data?.message ?? e.message ?? '';

export function classicProtection(data: ProtectionData): ClassicProtection {
  const checks = [...(data.required_status_checks?.contexts ?? []), ...(data.required_status_checks?.checks ?? []).map((c) => c.context)];
  return {
    requiredReviews: data.required_pull_request_reviews
      ? (data.required_pull_request_reviews.required_approving_review_count ?? 0)
      : undefined,
    statusChecks: [...new Set(checks)],
    strict: Boolean(data.required_status_checks?.strict),
    allowForcePushes: Boolean(data.allow_force_pushes?.enabled),
    allowDeletions: Boolean(data.allow_deletions?.enabled),
    enforceAdmins: Boolean(data.enforce_admins?.enabled),
    raw: data as Record<string, unknown>,
  };
}

export function branchRule(data: unknown): BranchRule {
  const rule = data as { type: string; parameters?: Record<string, unknown>; ruleset_id?: number };
  return { type: rule.type, parameters: rule.parameters, rulesetId: rule.ruleset_id };
}

export function ruleset(data: RulesetData): Ruleset {
  return {
    id: data.id,
    name: data.name,
    enforcement: data.enforcement,
    target: data.target,
    source: data.source,
    htmlUrl: data._links?.html?.href,
    ...(data.rules ? { rules: data.rules.map(branchRule) } : {}),
    ...(data.conditions !== undefined ? { conditions: data.conditions } : {}),
  };
}

export function environment(data: EnvironmentData): Environment {
  const rules = (data.protection_rules ?? []) as Array<{
    type: string;
    wait_timer?: number;
    prevent_self_review?: boolean;
    reviewers?: Array<{ type?: string; reviewer?: { id?: number; login?: string; slug?: string } }>;
  }>;
  const reviewersRule = rules.find((x) => x.type === 'required_reviewers');
  const policy = data.deployment_branch_policy;
  return {
    id: Number(data.id),
    name: data.name,
    reviewers: (reviewersRule?.reviewers ?? []).map((x) => ({
      type: x.type ?? 'User',
      id: x.reviewer?.id ?? 0,
      login: x.reviewer?.login ?? x.reviewer?.slug,
    })),
    waitTimer: rules.find((x) => x.type === 'wait_timer')?.wait_timer,
    preventSelfReview: reviewersRule?.prevent_self_review,
    branchPolicy: policy
      ? { protectedBranches: Boolean(policy.protected_branches), customBranchPolicies: Boolean(policy.custom_branch_policies) }
      : null,
  };
}

/**
 * GitHub returns `security_and_analysis` only to those allowed to see it; within it, push protection is
 * listed only where the plan offers it (public repositories, or private ones with Secret Protection).
 */
export function pushProtectionOf(repo: RepositoryData, missing: string): Fact<'enabled' | 'disabled' | 'unavailable'> {
  const sa = repo.security_and_analysis;
  if (!sa) return { ok: false, missing };
  const status = sa.secret_scanning_push_protection?.status;
  return { ok: true, value: status === 'enabled' ? 'enabled' : status === 'disabled' ? 'disabled' : 'unavailable' };
}

/** The permissions the installation's token holds (0 requests: the token is already made); undefined for other tokens. */
export async function tokenPermissions(octokit: GitHub): Promise<Record<string, string> | undefined> {
  try {
    const auth = (await octokit.auth({ type: 'installation' })) as { permissions?: Record<string, string> };
    return auth.permissions && Object.keys(auth.permissions).length ? auth.permissions : undefined;
  } catch {
    return undefined;
  }
}

/** Classic protection as REST gives it (every setting), for a fix that rewrites it; facts read over GraphQL lack it. */
export async function withRawProtection(octokit: GitHub, facts: AuditFacts): Promise<AuditFacts> {
  if (!facts.classic.ok || !facts.classic.value || facts.classic.value.raw) return facts;
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/branches/{branch}/protection', {
    owner: facts.owner,
    repo: facts.repo,
    branch: facts.defaultBranch,
  });
  return { ...facts, classic: { ok: true, value: classicProtection(data) } };
}
