/**
 * Everything the settings audit needs to know about one repository, in as few requests as possible:
 * the repository (skipped when the caller already holds it with its security settings), then at once
 * the classic protection, the active rules of the default branch, the rulesets, the environments, the
 * outside admins and (when asked) the Actions settings; then only what those answers call for (the
 * production environment's custom rules or tag policies, an evaluate-mode ruleset's rules, the
 * organization's Actions setting). A 403 becomes "cannot audit: … lacks X", never a fact.
 */
import { targetsBranch } from '../audit/protection.js';
import type { AuditFacts, BranchRule, ClassicProtection, Environment, Fact, Ruleset, ShaPinning } from '../audit/types.js';
import { readSettings, REPOSITORIES_PER_QUERY, type GraphqlSettings, type SettingsAsk } from './audit-graphql.js';
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

export interface GatherOptions {
  /** The production environment's name (custom rules and tag policies are read for it only). */
  production: string;
  /** Read the Actions SHA-pinning setting (only when `actions-pinned` is an error). */
  shaPinning: boolean;
  /** The repository as the caller already has it (a listing, a webhook); fetched when it lacks security settings. */
  repository?: RepositoryData;
  /** `repository` is GET /repos/{owner}/{repo}'s own answer: without security settings, the app may not see them. */
  repositoryFetched?: boolean;
  /** Whether classic protection and active rules already satisfy every protection check (reads are skipped then). */
  protectionSatisfied?: (classic: ClassicProtection | null, rules: BranchRule[]) => boolean;
  /** Who lacks a permission, in messages: `the app` (default) or `the token`. */
  actor?: string;
}

const PERMISSIONS = {
  administration: 'Administration (read)',
  actions: 'Actions (read)',
  metadata: 'Metadata (read)',
  orgAdministration: 'Organization administration (read)',
};

type Status = {
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

export interface GatherShared {
  /** The installation's permissions as its token reports them; undefined when unknown (a user's token). */
  permissions?: Record<string, string>;
  /** Organization settings shared by the audits of one installation (a fresh one per call when absent). */
  orgSettings?: OrgSettingsCache;
}

export interface Gathered {
  facts: AuditFacts;
  /** REST requests made for this repository. */
  requests: number;
}

/** One repository (a webhook, the CLI): the batched gathering with a batch of one. */
export async function gatherAuditFacts(octokit: GitHub, r: RepoRef, options: GatherOptions, shared: GatherShared = {}): Promise<Gathered> {
  const [one] = await gatherAuditFactsBatch(octokit, [{ ...r, options }], shared);
  return one!;
}

/**
 * Several repositories: one GraphQL query per REPOSITORIES_PER_QUERY of them for what GraphQL has, then
 * REST for the rest (see the file's comment); the answers in the order of `targets`.
 */
export async function gatherAuditFactsBatch(
  octokit: GitHub,
  targets: ReadonlyArray<RepoRef & { options: GatherOptions }>,
  shared: GatherShared = {},
): Promise<Gathered[]> {
  const orgSettings = shared.orgSettings ?? new OrgSettingsCache();
  const granted = (name: string) => shared.permissions !== undefined && name in shared.permissions;
  const repos = await Promise.all(targets.map((t) => repositoryOf(octokit, t, t.options)));
  const ask: SettingsAsk = { classic: granted('administration'), environments: granted('actions'), collaborators: true };
  const answers: GraphqlSettings[] = [];
  for (let i = 0; i < targets.length; i += REPOSITORIES_PER_QUERY) {
    const chunk = targets
      .slice(i, i + REPOSITORIES_PER_QUERY)
      .map((t) => ({ owner: t.owner, repo: t.repo, production: t.options.production }));
    answers.push(...(await readSettings(octokit, chunk, ask)));
  }
  return Promise.all(
    targets.map((t, i) =>
      gatherOne(octokit, t, t.options, repos[i]!.data, answers[i]!, {
        orgSettings,
        administration: shared.permissions && granted('administration'),
        requests: repos[i]!.requests,
      }),
    ),
  );
}

async function repositoryOf(octokit: GitHub, r: RepoRef, options: GatherOptions): Promise<{ data: RepositoryData; requests: number }> {
  const given = options.repository;
  if (given && (options.repositoryFetched || given.security_and_analysis !== undefined)) return { data: given, requests: 0 };
  return {
    data: (await octokit.request('GET /repos/{owner}/{repo}', { owner: r.owner, repo: r.repo })).data as RepositoryData,
    requests: 1,
  };
}

async function gatherOne(
  octokit: GitHub,
  r: RepoRef,
  options: GatherOptions,
  repo: RepositoryData,
  graphql: GraphqlSettings,
  context: { orgSettings: OrgSettingsCache; administration?: boolean; requests: number },
): Promise<Gathered> {
  let requests = context.requests;
  const counted = <T>(request: Promise<{ data: T }>): Promise<T> => {
    requests++;
    return request.then((res) => res.data);
  };
  const actor = options.actor ?? 'the app';
  const lacks = (permission: string) => `cannot audit: ${actor} lacks the ${permission} permission`;
  /** Read a fact; 403 (and the 404s GitHub gives instead for hidden settings) mean a missing permission. */
  const fact = async <T>(permission: string, read: () => Promise<T>, onNotFound?: (e: Status) => T | undefined): Promise<Fact<T>> => {
    try {
      return { ok: true, value: await read() };
    } catch (err) {
      const e = err as Status;
      if (rateLimited(e)) throw err;
      if (e.status === 404 && onNotFound) {
        const value = onNotFound(e);
        if (value !== undefined) return { ok: true, value };
      }
      if (e.status === 403 || e.status === 404) return { ok: false, missing: lacks(permission) };
      throw err;
    }
  };
  const known = <T>(value: T | undefined): Promise<Fact<T>> | undefined =>
    value === undefined ? undefined : Promise.resolve({ ok: true, value });
  const repoParams = { owner: r.owner, repo: r.repo };
  const branch = repo.default_branch ?? 'main';
  const ownerIsOrg = repo.owner.type === 'Organization';

  const readClassic = (): Promise<Fact<ClassicProtection | null>> => {
    if (graphql.classic !== undefined) return Promise.resolve({ ok: true, value: graphql.classic });
    // The installation's token says it lacks Administration: GitHub would refuse the read.
    if (context.administration === false) return Promise.resolve({ ok: false, missing: lacks(PERMISSIONS.administration) });
    return fact(
      PERMISSIONS.administration,
      async () =>
        classicProtection(
          await counted(octokit.request('GET /repos/{owner}/{repo}/branches/{branch}/protection', { ...repoParams, branch })),
        ),
      (e) => (/not protected/i.test(messageOf(e)) ? null : undefined),
    );
  };
  const readRulesets = () =>
    known(graphql.rulesets) ??
    fact(PERMISSIONS.metadata, async () =>
      (await counted(octokit.request('GET /repos/{owner}/{repo}/rulesets', { ...repoParams, includes_parents: true, per_page: 100 }))).map(
        ruleset,
      ),
    );
  const satisfied = options.protectionSatisfied ?? (() => false);
  /** The active rules first (always readable); classic protection only if they do not suffice; rulesets only if protection is still missing. */
  const protection = async () => {
    const branchRules =
      (await known(graphql.branchRules)) ??
      (await fact(PERMISSIONS.metadata, async () =>
        (await counted(octokit.request('GET /repos/{owner}/{repo}/rules/branches/{branch}', { ...repoParams, branch, per_page: 100 }))).map(
          branchRule,
        ),
      ));
    const rules = branchRules.ok ? branchRules.value : [];
    const classic: Fact<ClassicProtection | null> =
      branchRules.ok && satisfied(null, rules) && graphql.classic === undefined ? { ok: true, value: null } : await readClassic();
    const rulesets: Fact<Ruleset[]> =
      branchRules.ok && classic.ok && satisfied(classic.value, rules) ? { ok: true, value: [] } : await readRulesets();
    return { branchRules, classic, rulesets };
  };

  const [{ branchRules, classic, rulesets }, environments, outsideAdmins, shaPinning] = await Promise.all([
    protection(),
    known(graphql.environments) ??
      fact(PERMISSIONS.actions, async () =>
        (
          (await counted(octokit.request('GET /repos/{owner}/{repo}/environments', { ...repoParams, per_page: 100 }))).environments ?? []
        ).map(environment),
      ),
    ownerIsOrg
      ? (known(graphql.outsideAdmins) ??
        fact(PERMISSIONS.metadata, async () =>
          (
            await counted(
              octokit.request('GET /repos/{owner}/{repo}/collaborators', {
                ...repoParams,
                affiliation: 'outside',
                permission: 'admin',
                per_page: 100,
              }),
            )
          ).map((c) => c.login),
        ))
      : Promise.resolve(undefined),
    options.shaPinning ? readShaPinning() : Promise.resolve(undefined),
  ]);

  /** The organization's requirement first (read once an hour per organization); the repository's own only when that is off. */
  async function readShaPinning(): Promise<Fact<ShaPinning>> {
    const organization = ownerIsOrg ? await context.orgSettings.shaPinning(octokit, r.owner, () => requests++) : undefined;
    if (organization) return { ok: true, value: { repository: false, organization } };
    const repoPinning = await fact(PERMISSIONS.administration, async (): Promise<ShaPinning> => {
      const data = await counted(octokit.request('GET /repos/{owner}/{repo}/actions/permissions', repoParams));
      return { repository: Boolean(data.sha_pinning_required), enabled: data.enabled, allowedActions: data.allowed_actions };
    });
    return repoPinning.ok && organization !== undefined ? { ok: true, value: { ...repoPinning.value, organization } } : repoPinning;
  }

  // Second round: only what the first answers call for.
  const production = environments.ok
    ? environments.value.find((e) => e.name.toLowerCase() === options.production.toLowerCase())
    : undefined;
  const evaluateMode = rulesets.ok ? rulesets.value.filter((s) => s.enforcement === 'evaluate' && (s.target ?? 'branch') === 'branch') : [];
  const environmentParams = (name: string) => ({ ...repoParams, environment_name: name });
  const readBranchPolicies = (name: string) =>
    counted(
      octokit.request('GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies', {
        ...environmentParams(name),
        per_page: 100,
      }),
    ).then((data) => data.branch_policies.map((p) => ({ id: p.id ?? 0, name: p.name ?? '', type: p.type ?? 'branch' })));
  /**
   * GraphQL says whether production has a deployment branch policy, not which kind. GitHub lists tag and
   * branch policies only for the custom kind and answers 404 for "protected branches only"; the
   * environment itself is then read, so the kind is always GitHub's own word.
   */
  const productionPolicy = async (): Promise<{
    env?: Environment;
    policies?: Fact<Array<{ id: number; name: string; type: 'branch' | 'tag' }>>;
  }> => {
    if (!production) return {};
    if (graphql.environments === undefined)
      return production.branchPolicy?.customBranchPolicies
        ? { policies: await fact(PERMISSIONS.actions, () => readBranchPolicies(production.name)) }
        : {};
    if (!graphql.productionBranchPolicy) return {};
    try {
      const policies = await readBranchPolicies(production.name);
      return {
        env: { ...production, branchPolicy: { protectedBranches: false, customBranchPolicies: true } },
        policies: { ok: true, value: policies },
      };
    } catch (err) {
      const e = err as Status;
      // The kind stays unknown: production-release-tags reports it cannot audit.
      if (e.status === 403 && !rateLimited(e)) return { policies: { ok: false, missing: lacks(PERMISSIONS.actions) } };
      if (e.status !== 404) throw err;
    }
    const read = await fact(PERMISSIONS.actions, async () =>
      environment(
        await counted(octokit.request('GET /repos/{owner}/{repo}/environments/{environment_name}', environmentParams(production.name))),
      ),
    );
    if (!read.ok) return { policies: read };
    const env = { ...production, branchPolicy: read.value.branchPolicy };
    return env.branchPolicy?.customBranchPolicies
      ? { env, policies: await fact(PERMISSIONS.actions, () => readBranchPolicies(production.name)) }
      : { env };
  };
  const [customRules, policy, evaluated] = await Promise.all([
    production && !production.reviewers.length
      ? fact(PERMISSIONS.actions, async () =>
          (
            (
              await counted(
                octokit.request(
                  'GET /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules',
                  environmentParams(production.name),
                ),
              )
            ).custom_deployment_protection_rules ?? []
          ).map((x) => ({ slug: x.app.slug, enabled: x.enabled })),
        )
      : Promise.resolve(undefined),
    productionPolicy(),
    Promise.all(
      evaluateMode
        .filter((s) => !s.rules && targetsBranch(s, branch))
        .map(async (s) => ({
          ...s,
          ...ruleset(
            await counted(
              octokit.request('GET /repos/{owner}/{repo}/rulesets/{ruleset_id}', {
                ...repoParams,
                ruleset_id: s.id,
                includes_parents: true,
              }),
            ),
          ),
        })),
    ),
  ]);
  const allRulesets: Fact<Ruleset[]> = rulesets.ok
    ? { ok: true, value: rulesets.value.map((s) => evaluated.find((e) => e.id === s.id) ?? s) }
    : rulesets;
  const allEnvironments: Fact<Environment[]> =
    environments.ok && policy.env ? { ok: true, value: environments.value.map((e) => (e === production ? policy.env! : e)) } : environments;
  const facts: AuditFacts = {
    owner: r.owner,
    repo: r.repo,
    htmlUrl: repo.html_url,
    ownerIsOrg,
    defaultBranch: branch,
    archived: repo.archived ?? false,
    private: repo.private ?? false,
    topics: repo.topics ?? [],
    classic,
    branchRules,
    rulesets: allRulesets,
    environments: allEnvironments,
    production: { customRules, branchPolicies: policy.policies },
    outsideAdmins,
    shaPinning,
    pushProtection: pushProtectionOf(repo, lacks(PERMISSIONS.administration)),
  };
  return { facts, requests };
}

const messageOf = (e: Status): string => e.response?.data?.message ?? e.message ?? '';

function classicProtection(data: ProtectionData): ClassicProtection {
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

function branchRule(data: unknown): BranchRule {
  const rule = data as { type: string; parameters?: Record<string, unknown>; ruleset_id?: number };
  return { type: rule.type, parameters: rule.parameters, rulesetId: rule.ruleset_id };
}

function ruleset(data: RulesetData): Ruleset {
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

function environment(data: EnvironmentData): Environment {
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
function pushProtectionOf(repo: RepositoryData, missing: string): Fact<'enabled' | 'disabled' | 'unavailable'> {
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
