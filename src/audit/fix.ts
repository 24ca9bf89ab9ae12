/**
 * From the changes the checks propose to the REST requests that make them, as data (pure). The requests
 * keep what is already configured: a protection rule's other settings, an environment's reviewers.
 */
import type { AuditFacts, SettingChange } from './types.js';

export interface SettingRequest {
  route: string;
  params: Record<string, unknown>;
  /** One line for the issue or the log: what changes. */
  describe: string;
}

type Raw = Record<string, unknown>;
/** Users, teams and apps as GET …/protection lists them (objects), and as PUT takes them (logins and slugs). */
interface Actors {
  users?: Array<{ login?: string }>;
  teams?: Array<{ slug?: string }>;
  apps?: Array<{ slug?: string }>;
}
interface ProtectionRaw {
  required_status_checks?: { strict?: boolean; contexts?: string[]; checks?: Array<{ context: string }> };
  required_pull_request_reviews?: {
    dismiss_stale_reviews?: boolean;
    require_code_owner_reviews?: boolean;
    required_approving_review_count?: number;
    require_last_push_approval?: boolean;
    dismissal_restrictions?: Actors;
    bypass_pull_request_allowances?: Actors;
  };
  restrictions?: Actors;
  [setting: string]: unknown;
}
const actors = (r: Actors) => ({
  users: (r.users ?? []).map((u) => String(u.login)),
  teams: (r.teams ?? []).map((t) => String(t.slug)),
  apps: (r.apps ?? []).map((a) => String(a.slug)),
});

export function settingRequests(changes: SettingChange[], facts: AuditFacts): SettingRequest[] {
  const out: SettingRequest[] = [];
  const protection = changes.filter((c): c is Extract<SettingChange, { kind: 'branch-protection' }> => c.kind === 'branch-protection');
  if (protection.length) out.push(protectionRequest(protection, facts));
  for (const change of changes) {
    if (change.kind === 'create-environment') {
      out.push({
        route: 'PUT /repos/{owner}/{repo}/environments/{environment_name}',
        params: { environment_name: change.name },
        describe: `created the environment \`${change.name}\``,
      });
    } else if (change.kind === 'release-tag-policy') {
      const env = facts.environments.ok ? facts.environments.value.find((e) => e.name === change.environment) : undefined;
      const keep: Raw = {};
      if (env?.reviewers.length) keep.reviewers = env.reviewers.map((r) => ({ type: r.type, id: r.id }));
      if (env?.waitTimer !== undefined) keep.wait_timer = env.waitTimer;
      if (env?.preventSelfReview !== undefined) keep.prevent_self_review = env.preventSelfReview;
      out.push({
        route: 'PUT /repos/{owner}/{repo}/environments/{environment_name}',
        params: {
          environment_name: change.environment,
          ...keep,
          deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
        },
        describe: `\`${change.environment}\`: deployment branches and tags set to "Selected branches and tags"`,
      });
      for (const name of change.patterns) {
        out.push({
          route: 'POST /repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies',
          params: { environment_name: change.environment, name, type: 'tag' },
          describe: `\`${change.environment}\`: added the tag rule \`${name}\``,
        });
      }
    } else if (change.kind === 'sha-pinning') {
      const current = facts.shaPinning?.ok ? facts.shaPinning.value : undefined;
      out.push({
        route: 'PUT /repos/{owner}/{repo}/actions/permissions',
        params: {
          enabled: current?.enabled ?? true,
          ...(current?.allowedActions ? { allowed_actions: current.allowedActions } : {}),
          sha_pinning_required: true,
        },
        describe: 'Actions: turned on "Require actions to be pinned to a full-length commit SHA"',
      });
    } else if (change.kind === 'push-protection') {
      out.push({
        route: 'PATCH /repos/{owner}/{repo}',
        params: {
          security_and_analysis: { secret_scanning: { status: 'enabled' }, secret_scanning_push_protection: { status: 'enabled' } },
        },
        describe: 'Code security: turned on secret scanning and its push protection',
      });
    }
  }
  return out;
}

/** One PUT for every protection change, on top of the classic protection the branch already has. */
function protectionRequest(changes: Array<Extract<SettingChange, { kind: 'branch-protection' }>>, facts: AuditFacts): SettingRequest {
  const branch = changes[0]!.branch;
  const raw = ((facts.classic.ok && facts.classic.value?.raw) || {}) as ProtectionRaw;
  const reviews = Math.max(...changes.map((c) => c.reviews ?? 0));
  const statusCheck = changes.find((c) => c.statusCheck)?.statusCheck;
  const rsc = raw.required_status_checks;
  const rpr = raw.required_pull_request_reviews;
  const contexts = [
    ...new Set([...(rsc?.contexts ?? []), ...(rsc?.checks ?? []).map((c) => c.context), ...(statusCheck ? [statusCheck] : [])]),
  ];
  const done: string[] = [];
  if (reviews) done.push(`at least ${reviews} approving review(s)`);
  if (statusCheck) done.push(`the \`${statusCheck}\` status check`);
  if (changes.some((c) => c.blockForcePushes)) done.push('no force pushes');
  if (changes.some((c) => c.blockDeletions)) done.push('no deletion');
  const enabled = (key: string) => Boolean((raw[key] as { enabled?: boolean } | undefined)?.enabled);
  return {
    route: 'PUT /repos/{owner}/{repo}/branches/{branch}/protection',
    params: {
      branch,
      required_status_checks: contexts.length ? { strict: Boolean(rsc?.strict), contexts } : null,
      enforce_admins: enabled('enforce_admins'),
      required_pull_request_reviews:
        rpr || reviews
          ? {
              dismiss_stale_reviews: Boolean(rpr?.dismiss_stale_reviews),
              require_code_owner_reviews: Boolean(rpr?.require_code_owner_reviews),
              required_approving_review_count: Math.max(reviews, rpr?.required_approving_review_count ?? 0),
              require_last_push_approval: Boolean(rpr?.require_last_push_approval),
              ...(rpr?.dismissal_restrictions ? { dismissal_restrictions: actors(rpr.dismissal_restrictions) } : {}),
              ...(rpr?.bypass_pull_request_allowances
                ? { bypass_pull_request_allowances: actors(rpr.bypass_pull_request_allowances) }
                : {}),
            }
          : null,
      restrictions: raw.restrictions ? actors(raw.restrictions) : null,
      required_linear_history: enabled('required_linear_history'),
      allow_force_pushes: changes.some((c) => c.blockForcePushes) ? false : enabled('allow_force_pushes'),
      allow_deletions: changes.some((c) => c.blockDeletions) ? false : enabled('allow_deletions'),
      required_conversation_resolution: enabled('required_conversation_resolution'),
      lock_branch: enabled('lock_branch'),
    },
    describe: `\`${branch}\` branch protection: ${done.join(', ')}${facts.classic.ok && facts.classic.value ? ' (its other settings kept)' : ''}`,
  };
}
