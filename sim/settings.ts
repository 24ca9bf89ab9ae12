/**
 * Repository and organization settings of the simulated GitHub, kept beside the model (one record per
 * repository, made on first use): classic branch protection, rulesets (active, evaluate, disabled),
 * environments with their protection rules and deployment branch/tag policies, outside collaborators, the
 * Actions permissions with SHA pinning, and security_and_analysis. `forbidden` makes the settings of a
 * permission answer 403 as GitHub does when the app lacks that permission.
 */
import type { GitHubModel, Repo } from './model.js';

export type Raw = Record<string, any>;

export interface SimRuleset {
  id: number;
  name: string;
  target: 'branch' | 'tag';
  enforcement: 'active' | 'evaluate' | 'disabled';
  source_type: 'Repository' | 'Organization';
  conditions: { ref_name: { include: string[]; exclude: string[] } };
  rules: Array<{ type: string; parameters?: Raw }>;
}

export interface SimEnvironment {
  id: number;
  name: string;
  reviewers: Array<{ type: 'User' | 'Team'; id: number; login: string }>;
  wait_timer?: number;
  prevent_self_review?: boolean;
  deployment_branch_policy: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  branchPolicies: Array<{ id: number; name: string; type: 'branch' | 'tag' }>;
  customRules: Array<{ id: number; enabled: boolean; slug: string }>;
}

export type Permission = 'administration' | 'actions' | 'metadata';

export interface RepoSettings {
  ownerType: 'Organization' | 'User';
  private: boolean;
  topics: string[];
  /** Classic protection by branch, in the shape GET …/protection answers. */
  protection: Map<string, Raw>;
  rulesets: SimRuleset[];
  environments: SimEnvironment[];
  /** Collaborators who are not members of the organization (their roles are the model's `permissions`). */
  outsideCollaborators: Set<string>;
  actions: { enabled: boolean; allowed_actions: 'all' | 'local_only' | 'selected'; sha_pinning_required: boolean };
  /** null: GitHub shows no security_and_analysis (no permission); without the push-protection key: not offered. */
  securityAndAnalysis: Record<string, { status: 'enabled' | 'disabled' }> | null;
  forbidden: Set<Permission>;
}

const repoSettings = new WeakMap<Repo, RepoSettings>();
const orgSettings = new WeakMap<GitHubModel, Map<string, { sha_pinning_required: boolean; forbidden: boolean }>>();

export function settingsOf(repo: Repo): RepoSettings {
  let s = repoSettings.get(repo);
  if (!s) {
    s = {
      ownerType: 'Organization',
      private: false,
      topics: [],
      protection: new Map(),
      rulesets: [],
      environments: [],
      outsideCollaborators: new Set(),
      actions: { enabled: true, allowed_actions: 'all', sha_pinning_required: false },
      securityAndAnalysis: { secret_scanning: { status: 'disabled' }, secret_scanning_push_protection: { status: 'disabled' } },
      forbidden: new Set(),
    };
    repoSettings.set(repo, s);
  }
  return s;
}

export function orgSettingsOf(model: GitHubModel, org: string): { sha_pinning_required: boolean; forbidden: boolean } {
  let byOrg = orgSettings.get(model);
  if (!byOrg) orgSettings.set(model, (byOrg = new Map()));
  let s = byOrg.get(org.toLowerCase());
  if (!s) byOrg.set(org.toLowerCase(), (s = { sha_pinning_required: false, forbidden: false }));
  return s;
}

/** Classic protection as GET …/protection answers it, from the body PUT …/protection takes. */
export function protectionFromBody(body: Raw): Raw {
  const rsc = body.required_status_checks;
  const rpr = body.required_pull_request_reviews;
  const flag = (v: unknown) => ({ enabled: Boolean(v) });
  const actors = (r: Raw | undefined) =>
    r && {
      users: (r.users ?? []).map((login: string) => ({ login })),
      teams: (r.teams ?? []).map((slug: string) => ({ slug })),
      apps: (r.apps ?? []).map((slug: string) => ({ slug })),
    };
  return {
    ...(rsc
      ? {
          required_status_checks: {
            strict: Boolean(rsc.strict),
            contexts: rsc.contexts ?? [],
            checks: (rsc.checks ?? rsc.contexts?.map((context: string) => ({ context })) ?? []).map((c: Raw) => ({
              context: c.context,
              app_id: c.app_id ?? null,
            })),
          },
        }
      : {}),
    ...(rpr
      ? {
          required_pull_request_reviews: {
            dismiss_stale_reviews: Boolean(rpr.dismiss_stale_reviews),
            require_code_owner_reviews: Boolean(rpr.require_code_owner_reviews),
            required_approving_review_count: rpr.required_approving_review_count ?? 0,
            require_last_push_approval: Boolean(rpr.require_last_push_approval),
            ...(rpr.dismissal_restrictions ? { dismissal_restrictions: actors(rpr.dismissal_restrictions) } : {}),
            ...(rpr.bypass_pull_request_allowances ? { bypass_pull_request_allowances: actors(rpr.bypass_pull_request_allowances) } : {}),
          },
        }
      : {}),
    ...(body.restrictions ? { restrictions: actors(body.restrictions) } : {}),
    enforce_admins: flag(body.enforce_admins),
    required_linear_history: flag(body.required_linear_history),
    allow_force_pushes: flag(body.allow_force_pushes),
    allow_deletions: flag(body.allow_deletions),
    required_conversation_resolution: flag(body.required_conversation_resolution),
    lock_branch: flag(body.lock_branch),
  };
}
