/**
 * Everything the settings audit needs to know about repositories, in as few requests as possible: one
 * GraphQL query per 20 repositories for what GraphQL has (src/github/audit-graphql.ts), then REST for
 * the rest: the repository itself when the caller lacks its security settings, production's tag rules
 * (and its custom protection rules when it has no reviewers), an evaluate-mode ruleset's rules, the
 * Actions SHA-pinning setting (the organization's once an hour, the repository's when that is off).
 * A fact GraphQL did not give (not asked, withheld, a GitHub without the field) is read over REST, as
 * every fact was before. A 403 becomes "cannot audit: … lacks X", never a fact; a rate limit is thrown.
 */
import { targetsBranch } from '../audit/protection.js';
import type { AuditFacts, BranchRule, ClassicProtection, Environment, Fact, Ruleset, ShaPinning } from '../audit/types.js';
import { readSettings, REPOSITORIES_PER_QUERY, type GraphqlSettings, type SettingsAsk } from './audit-graphql.js';
import {
  branchRule,
  classicProtection,
  environment,
  messageOf,
  OrgSettingsCache,
  pushProtectionOf,
  rateLimited,
  ruleset,
  type RepositoryData,
  type Status,
} from './audit-rest.js';

import type { GitHub } from './client.js';
import type { RepoRef } from './issues.js';

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
