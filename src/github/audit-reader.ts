/**
 * One repository's settings, as the audit needs them: what the batch's GraphQL answer gave is taken as
 * is, what it did not give is read over REST, and a second round reads only what the first answers call
 * for (production's tag rules and custom protection rules, an evaluate-mode ruleset's rules). A 403 (and
 * the 404s GitHub gives instead for hidden settings) becomes "cannot audit: … lacks X", never a fact; a
 * rate limit is thrown. Each read is a method; `gather` says in which order they run.
 */
import { targetsBranch } from '../audit/protection.js';
import type { AuditFacts, BranchRule, ClassicProtection, Environment, Fact, Ruleset, ShaPinning } from '../audit/types.js';
import type { GraphqlSettings } from './audit-graphql.js';
import {
  branchRule,
  classicProtection,
  environment,
  messageOf,
  pushProtectionOf,
  rateLimited,
  ruleset,
  type OrgSettingsCache,
  type RepositoryData,
  type Status,
} from './audit-rest.js';
import type { GitHub } from './client.js';
import type { RepoRef } from './issues.js';

export interface GatherOptions {
  /** The production environment's name (custom rules and tag policies are read for it only). */
  production: string;
  /** Read the Actions SHA-pinning setting (only when an active check needs it). */
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
};

export interface Gathered {
  facts: AuditFacts;
  /** REST requests made for this repository. */
  requests: number;
}

type BranchPolicy = { id: number; name: string; type: 'branch' | 'tag' };

export class RepositorySettingsReader {
  private requests: number;
  private readonly params: { owner: string; repo: string };
  private readonly branch: string;
  private readonly ownerIsOrg: boolean;

  constructor(
    private readonly octokit: GitHub,
    private readonly r: RepoRef,
    private readonly options: GatherOptions,
    private readonly repo: RepositoryData,
    private readonly graphql: GraphqlSettings,
    private readonly context: { orgSettings: OrgSettingsCache; administration?: boolean; requests: number },
  ) {
    this.requests = context.requests;
    this.params = { owner: r.owner, repo: r.repo };
    this.branch = repo.default_branch ?? 'main';
    this.ownerIsOrg = repo.owner.type === 'Organization';
  }

  async gather(): Promise<Gathered> {
    const [{ branchRules, classic, rulesets }, environments, outsideAdmins, shaPinning] = await Promise.all([
      this.protection(),
      this.environments(),
      this.ownerIsOrg ? this.outsideAdmins() : Promise.resolve(undefined),
      this.options.shaPinning ? this.shaPinning() : Promise.resolve(undefined),
    ]);
    // Second round: only what the first answers call for.
    const production = environments.ok
      ? environments.value.find((e) => e.name.toLowerCase() === this.options.production.toLowerCase())
      : undefined;
    const [customRules, policy, evaluated] = await Promise.all([
      production && !production.reviewers.length ? this.customRules(production.name) : Promise.resolve(undefined),
      this.productionPolicy(production),
      this.evaluatedRulesets(rulesets),
    ]);
    const allRulesets: Fact<Ruleset[]> = rulesets.ok
      ? { ok: true, value: rulesets.value.map((s) => evaluated.find((e) => e.id === s.id) ?? s) }
      : rulesets;
    const allEnvironments: Fact<Environment[]> =
      environments.ok && policy.env
        ? { ok: true, value: environments.value.map((e) => (e === production ? policy.env! : e)) }
        : environments;
    const { r, repo } = this;
    const facts: AuditFacts = {
      owner: r.owner,
      repo: r.repo,
      htmlUrl: repo.html_url,
      ownerIsOrg: this.ownerIsOrg,
      defaultBranch: this.branch,
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
      pushProtection: pushProtectionOf(repo, this.lacks(PERMISSIONS.administration)),
    };
    return { facts, requests: this.requests };
  }

  private lacks(permission: string): string {
    return `cannot audit: ${this.options.actor ?? 'the app'} lacks the ${permission} permission`;
  }

  private counted<T>(request: Promise<{ data: T }>): Promise<T> {
    this.requests++;
    return request.then((res) => res.data);
  }

  /** Read a fact; 403 (and the 404s GitHub gives instead for hidden settings) mean a missing permission. */
  private async fact<T>(permission: string, read: () => Promise<T>, onNotFound?: (e: Status) => T | undefined): Promise<Fact<T>> {
    try {
      return { ok: true, value: await read() };
    } catch (err) {
      const e = err as Status;
      if (rateLimited(e)) throw err;
      if (e.status === 404 && onNotFound) {
        const value = onNotFound(e);
        if (value !== undefined) return { ok: true, value };
      }
      if (e.status === 403 || e.status === 404) return { ok: false, missing: this.lacks(permission) };
      throw err;
    }
  }

  /** What GraphQL already answered, as a fact; undefined when it did not. */
  private known<T>(value: T | undefined): Promise<Fact<T>> | undefined {
    return value === undefined ? undefined : Promise.resolve({ ok: true, value });
  }

  private classic(): Promise<Fact<ClassicProtection | null>> {
    if (this.graphql.classic !== undefined) return Promise.resolve({ ok: true, value: this.graphql.classic });
    // The installation's token says it lacks Administration: GitHub would refuse the read.
    if (this.context.administration === false) return Promise.resolve({ ok: false, missing: this.lacks(PERMISSIONS.administration) });
    return this.fact(
      PERMISSIONS.administration,
      async () =>
        classicProtection(
          await this.counted(
            this.octokit.request('GET /repos/{owner}/{repo}/branches/{branch}/protection', { ...this.params, branch: this.branch }),
          ),
        ),
      (e) => (/not protected/i.test(messageOf(e)) ? null : undefined),
    );
  }

  private rulesets(): Promise<Fact<Ruleset[]>> {
    return (
      this.known(this.graphql.rulesets) ??
      this.fact(PERMISSIONS.metadata, async () =>
        (
          await this.counted(
            this.octokit.request('GET /repos/{owner}/{repo}/rulesets', { ...this.params, includes_parents: true, per_page: 100 }),
          )
        ).map(ruleset),
      )
    );
  }

  /** The active rules first (always readable); classic protection only if they do not suffice; rulesets only if protection is still missing. */
  private async protection(): Promise<{
    branchRules: Fact<BranchRule[]>;
    classic: Fact<ClassicProtection | null>;
    rulesets: Fact<Ruleset[]>;
  }> {
    const satisfied = this.options.protectionSatisfied ?? (() => false);
    const branchRules =
      (await this.known(this.graphql.branchRules)) ??
      (await this.fact(PERMISSIONS.metadata, async () =>
        (
          await this.counted(
            this.octokit.request('GET /repos/{owner}/{repo}/rules/branches/{branch}', {
              ...this.params,
              branch: this.branch,
              per_page: 100,
            }),
          )
        ).map(branchRule),
      ));
    const rules = branchRules.ok ? branchRules.value : [];
    const classic: Fact<ClassicProtection | null> =
      branchRules.ok && satisfied(null, rules) && this.graphql.classic === undefined ? { ok: true, value: null } : await this.classic();
    const rulesets: Fact<Ruleset[]> =
      branchRules.ok && classic.ok && satisfied(classic.value, rules) ? { ok: true, value: [] } : await this.rulesets();
    return { branchRules, classic, rulesets };
  }

  private environments(): Promise<Fact<Environment[]>> {
    return (
      this.known(this.graphql.environments) ??
      this.fact(PERMISSIONS.actions, async () =>
        (
          (await this.counted(this.octokit.request('GET /repos/{owner}/{repo}/environments', { ...this.params, per_page: 100 })))
            .environments ?? []
        ).map(environment),
      )
    );
  }

  private outsideAdmins(): Promise<Fact<string[]>> {
    return (
      this.known(this.graphql.outsideAdmins) ??
      this.fact(PERMISSIONS.metadata, async () =>
        (
          await this.counted(
            this.octokit.request('GET /repos/{owner}/{repo}/collaborators', {
              ...this.params,
              affiliation: 'outside',
              permission: 'admin',
              per_page: 100,
            }),
          )
        ).map((c) => c.login),
      )
    );
  }

  /** The organization's requirement first (read once an hour per organization); the repository's own only when that is off. */
  private async shaPinning(): Promise<Fact<ShaPinning>> {
    const organization = this.ownerIsOrg
      ? await this.context.orgSettings.shaPinning(this.octokit, this.r.owner, () => this.requests++)
      : undefined;
    if (organization) return { ok: true, value: { repository: false, organization } };
    const repoPinning = await this.fact(PERMISSIONS.administration, async (): Promise<ShaPinning> => {
      const data = await this.counted(this.octokit.request('GET /repos/{owner}/{repo}/actions/permissions', this.params));
      return { repository: Boolean(data.sha_pinning_required), enabled: data.enabled, allowedActions: data.allowed_actions };
    });
    return repoPinning.ok && organization !== undefined ? { ok: true, value: { ...repoPinning.value, organization } } : repoPinning;
  }

  /** Production without reviewers may be gated by an app's custom protection rule. */
  private customRules(name: string): Promise<Fact<Array<{ slug: string; enabled: boolean }>>> {
    return this.fact(PERMISSIONS.actions, async () =>
      (
        (
          await this.counted(
            this.octokit.request('GET /repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules', {
              ...this.params,
              environment_name: name,
            }),
          )
        ).custom_deployment_protection_rules ?? []
      ).map((x) => ({ slug: x.app.slug, enabled: x.enabled })),
    );
  }

  private branchPolicies(name: string): Promise<BranchPolicy[]> {
    return this.counted(
      this.octokit.request('GET /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies', {
        ...this.params,
        environment_name: name,
        per_page: 100,
      }),
    ).then((data) => data.branch_policies.map((p) => ({ id: p.id ?? 0, name: p.name ?? '', type: p.type ?? 'branch' })));
  }

  /**
   * GraphQL says whether production has a deployment branch policy, not which kind. GitHub lists tag and
   * branch policies only for the custom kind and answers 404 for "protected branches only"; the
   * environment itself is then read, so the kind is always GitHub's own word.
   */
  private async productionPolicy(production: Environment | undefined): Promise<{ env?: Environment; policies?: Fact<BranchPolicy[]> }> {
    if (!production) return {};
    if (this.graphql.environments === undefined)
      return production.branchPolicy?.customBranchPolicies
        ? { policies: await this.fact(PERMISSIONS.actions, () => this.branchPolicies(production.name)) }
        : {};
    if (!this.graphql.productionBranchPolicy) return {};
    try {
      const policies = await this.branchPolicies(production.name);
      return {
        env: { ...production, branchPolicy: { protectedBranches: false, customBranchPolicies: true } },
        policies: { ok: true, value: policies },
      };
    } catch (err) {
      const e = err as Status;
      // The kind stays unknown: production-release-tags reports it cannot audit.
      if (e.status === 403 && !rateLimited(e)) return { policies: { ok: false, missing: this.lacks(PERMISSIONS.actions) } };
      if (e.status !== 404) throw err;
    }
    const read = await this.fact(PERMISSIONS.actions, async () =>
      environment(
        await this.counted(
          this.octokit.request('GET /repos/{owner}/{repo}/environments/{environment_name}', {
            ...this.params,
            environment_name: production.name,
          }),
        ),
      ),
    );
    if (!read.ok) return { policies: read };
    const env = { ...production, branchPolicy: read.value.branchPolicy };
    return env.branchPolicy?.customBranchPolicies
      ? { env, policies: await this.fact(PERMISSIONS.actions, () => this.branchPolicies(production.name)) }
      : { env };
  }

  /** Evaluate-mode rulesets on the default branch whose rules the list left out: each read in full. */
  private evaluatedRulesets(rulesets: Fact<Ruleset[]>): Promise<Ruleset[]> {
    const evaluateMode = rulesets.ok
      ? rulesets.value.filter((s) => s.enforcement === 'evaluate' && (s.target ?? 'branch') === 'branch')
      : [];
    return Promise.all(
      evaluateMode
        .filter((s) => !s.rules && targetsBranch(s, this.branch))
        .map(async (s) => ({
          ...s,
          ...ruleset(
            await this.counted(
              this.octokit.request('GET /repos/{owner}/{repo}/rulesets/{ruleset_id}', {
                ...this.params,
                ruleset_id: s.id,
                includes_parents: true,
              }),
            ),
          ),
        })),
    );
  }
}
