/**
 * The repository settings in GraphQL (see settings.ts): a ref's branch protection rule and the rules of
 * active rulesets that apply to it, the repository's rulesets, environments and their protection rules,
 * and collaborators. A setting whose permission the app "lacks" fails with FORBIDDEN at its field, as
 * GitHub answers an integration ("Resource not accessible by integration").
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { GitHubModel, Repo } from './model.js';
import { settingsOf, type Permission, type Raw, type SimEnvironment, type SimRuleset } from './settings.js';

/** The installation's permissions, as its access token reports them: app.yml's defaults unless a test changes them. */
const permissionsByModel = new WeakMap<GitHubModel, Record<string, string>>();
export function installationPermissions(model: GitHubModel): Record<string, string> {
  let p = permissionsByModel.get(model);
  if (!p) {
    const manifest = parse(readFileSync(new URL('../app.yml', import.meta.url), 'utf8')) as {
      default_permissions?: Record<string, string>;
    };
    permissionsByModel.set(model, (p = { ...(manifest.default_permissions ?? {}) }));
  }
  return p;
}

const forbidden = () => Object.assign(new Error('Resource not accessible by integration'), { extensions: { type: 'FORBIDDEN' } });

const connection = <T>(items: T[], first: number) => {
  const page = items.slice(0, first);
  return {
    nodes: page,
    edges: page.map((node, i) => ({ cursor: Buffer.from(`cursor:${i + 1}`).toString('base64'), node })),
    totalCount: items.length,
    pageInfo: {
      hasNextPage: items.length > first,
      endCursor: page.length ? Buffer.from(`cursor:${page.length}`).toString('base64') : null,
    },
  };
};

/** The `ref_name` condition as GitHub evaluates it for a branch. */
export function rulesetTargets(
  ruleset: SimRuleset,
  branch: string,
  defaultBranch: string,
  matches: (ref: string, p: string) => boolean,
): boolean {
  const ref = `refs/heads/${branch}`;
  const m = (p: string) => p === '~ALL' || (p === '~DEFAULT_BRANCH' && branch === defaultBranch) || matches(ref, p);
  return ruleset.conditions.ref_name.include.some(m) && !ruleset.conditions.ref_name.exclude.some(m);
}

/** A rule's parameters as the RuleParameters union (only the members the simulator's rules use). */
function parametersNode(rule: SimRuleset['rules'][number]): Raw | null {
  const p = rule.parameters ?? {};
  if (rule.type === 'pull_request')
    return {
      __typename: 'PullRequestParameters',
      requiredApprovingReviewCount: p.required_approving_review_count ?? 0,
      dismissStaleReviewsOnPush: Boolean(p.dismiss_stale_reviews_on_push),
      requireCodeOwnerReview: Boolean(p.require_code_owner_review),
      requireLastPushApproval: Boolean(p.require_last_push_approval),
      requiredReviewThreadResolution: Boolean(p.required_review_thread_resolution),
    };
  if (rule.type === 'required_status_checks')
    return {
      __typename: 'RequiredStatusChecksParameters',
      doNotEnforceOnCreate: false,
      strictRequiredStatusChecksPolicy: Boolean(p.strict_required_status_checks_policy),
      requiredStatusChecks: ((p.required_status_checks ?? []) as Raw[]).map((c) => ({
        context: c.context,
        integrationId: c.integration_id ?? null,
      })),
    };
  return null;
}

function rulesetNode(repo: Repo, r: SimRuleset): Raw {
  const node: Raw = {
    id: `RRS_${r.id}`,
    databaseId: r.id,
    name: r.name,
    enforcement: r.enforcement.toUpperCase(),
    target: r.target.toUpperCase(),
    source:
      r.source_type === 'Organization'
        ? { __typename: 'Organization', login: repo.owner }
        : { __typename: 'Repository', nameWithOwner: `${repo.owner}/${repo.name}` },
    conditions: { refName: { include: r.conditions.ref_name.include, exclude: r.conditions.ref_name.exclude } },
  };
  node.rules = ({ first }: { first: number }) =>
    connection(
      r.rules.map((rule) => ruleNode(rule, node)),
      first,
    );
  return node;
}

const ruleNode = (rule: SimRuleset['rules'][number], ruleset: Raw) => ({
  id: `RR_${String(ruleset.databaseId)}_${rule.type}`,
  type: rule.type.toUpperCase(),
  parameters: parametersNode(rule),
  repositoryRuleset: ruleset,
});

function environmentNode(e: SimEnvironment): Raw {
  const rules: Raw[] = [];
  if (e.wait_timer)
    rules.push({ databaseId: e.id * 10 + 1, type: 'WAIT_TIMER', timeout: e.wait_timer, preventSelfReview: null, reviewers: [] });
  if (e.reviewers.length)
    rules.push({
      databaseId: e.id * 10 + 2,
      type: 'REQUIRED_REVIEWERS',
      timeout: 0,
      preventSelfReview: Boolean(e.prevent_self_review),
      reviewers: e.reviewers.map((r) =>
        r.type === 'User'
          ? { __typename: 'User', databaseId: r.id, login: r.login }
          : { __typename: 'Team', databaseId: r.id, slug: r.login },
      ),
    });
  if (e.deployment_branch_policy)
    rules.push({ databaseId: e.id * 10 + 3, type: 'BRANCH_POLICY', timeout: 0, preventSelfReview: null, reviewers: [] });
  return {
    id: `EN_${e.id}`,
    databaseId: e.id,
    name: e.name,
    protectionRules: ({ first }: { first: number }) =>
      connection(
        rules.map((r) => ({ ...r, reviewers: ({ first: n }: { first: number }) => connection(r.reviewers as Raw[], n) })),
        first,
      ),
  };
}

/** Fields of `Repository` for its settings. */
export function repositorySettingsFields(repo: Repo) {
  const s = settingsOf(repo);
  const guard =
    <A, T>(permission: Permission, resolve: (args: A) => T) =>
    (args: A): T => {
      if (s.forbidden.has(permission)) throw forbidden();
      return resolve(args);
    };
  const findEnv = (name: string) => s.environments.find((e) => e.name.toLowerCase() === name.toLowerCase());
  return {
    rulesets: guard('metadata', ({ first, includeParents }: { first: number; includeParents?: boolean }) =>
      connection(
        s.rulesets.filter((r) => includeParents !== false || r.source_type === 'Repository').map((r) => rulesetNode(repo, r)),
        first,
      ),
    ),
    environment: guard('actions', ({ name }: { name: string }) => {
      const e = findEnv(name);
      return e ? environmentNode(e) : null;
    }),
    environments: guard('actions', ({ first }: { first: number }) => connection(s.environments.map(environmentNode), first)),
    collaborators: guard('metadata', ({ first, affiliation }: { first: number; affiliation?: string }) => {
      const people = [...repo.permissions].filter(([login]) => affiliation !== 'OUTSIDE' || s.outsideCollaborators.has(login));
      const c = connection(people, first);
      return {
        ...c,
        nodes: c.nodes.map(([login]) => ({ login })),
        edges: c.edges.map((e) => ({ cursor: e.cursor, permission: e.node[1].toUpperCase(), node: { login: e.node[0] } })),
      };
    }),
  };
}

/** Fields of a branch's `Ref`: its classic protection rule and the rules of active rulesets that apply to it. */
export function refSettingsFields(repo: Repo, branch: string, matches: (ref: string, p: string) => boolean) {
  const s = settingsOf(repo);
  return {
    branchProtectionRule: () => {
      if (s.forbidden.has('administration')) throw forbidden();
      const p = s.protection.get(branch);
      if (!p) return null;
      const contexts: string[] = p.required_status_checks?.contexts ?? [];
      return {
        id: `BPR_${repo.id}_${branch}`,
        pattern: branch,
        requiresApprovingReviews: Boolean(p.required_pull_request_reviews),
        requiredApprovingReviewCount: p.required_pull_request_reviews?.required_approving_review_count ?? null,
        requiresStatusChecks: Boolean(p.required_status_checks),
        requiredStatusCheckContexts: contexts,
        requiredStatusChecks: ((p.required_status_checks?.checks ?? []) as Raw[]).map((c) => ({ context: c.context, app: null })),
        requiresStrictStatusChecks: Boolean(p.required_status_checks?.strict),
        allowsForcePushes: Boolean(p.allow_force_pushes?.enabled),
        allowsDeletions: Boolean(p.allow_deletions?.enabled),
        isAdminEnforced: Boolean(p.enforce_admins?.enabled),
      };
    },
    rules: ({ first }: { first: number }) => {
      if (s.forbidden.has('metadata')) throw forbidden();
      const active = s.rulesets.filter(
        (r) => r.enforcement === 'active' && r.target === 'branch' && rulesetTargets(r, branch, repo.defaultBranch, matches),
      );
      return connection(
        active.flatMap((r) => {
          const ruleset = rulesetNode(repo, r);
          return r.rules.map((rule) => ruleNode(rule, ruleset));
        }),
        first,
      );
    },
  };
}
