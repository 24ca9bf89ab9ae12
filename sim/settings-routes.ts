/**
 * REST routes of the simulated GitHub for repository settings (see settings.ts). rest.ts registers them
 * through the same `route` function, so each request is checked against GitHub's OpenAPI description.
 */
import picomatch from 'picomatch';
import type { GitHubModel, Repo } from './model.js';
import { installationPermissions, rulesetTargets } from './settings-graphql.js';
import {
  orgSettingsOf,
  protectionFromBody,
  settingsOf,
  type Permission,
  type Raw,
  type SimEnvironment,
  type SimRuleset,
} from './settings.js';

type Reply = [number, unknown?, Record<string, string>?];
interface Ctx {
  model: GitHubModel;
  repo: Repo;
  params: Record<string, string>;
  query: URLSearchParams;
  body: any;
  htmlBase: string;
  apiBase: string;
}
export type RouteFn = (method: string, template: string, handler: (ctx: Ctx) => Reply) => void;

const forbidden: Reply = [403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' }];
const notFound = (message = 'Not Found'): Reply => [404, { message, documentation_url: 'https://docs.github.com/rest' }];
const repoUrl = (c: Ctx) => `${c.htmlBase}/${c.repo.owner}/${c.repo.name}`;

/** A route that answers 403 when the app "lacks" the permission guarding it. */
const guarded =
  (permission: Permission, handler: (ctx: Ctx) => Reply) =>
  (c: Ctx): Reply =>
    settingsOf(c.repo).forbidden.has(permission) ? forbidden : handler(c);

export function repositoryJson(c: Ctx): Raw {
  const s = settingsOf(c.repo);
  const showSecurity = s.securityAndAnalysis && !s.forbidden.has('administration');
  return {
    id: c.repo.id,
    name: c.repo.name,
    full_name: `${c.repo.owner}/${c.repo.name}`,
    default_branch: c.repo.defaultBranch,
    archived: c.repo.archived,
    private: s.private,
    visibility: s.private ? 'private' : 'public',
    topics: s.topics,
    html_url: repoUrl(c),
    owner: { login: c.repo.owner, type: s.ownerType },
    ...(showSecurity ? { security_and_analysis: s.securityAndAnalysis } : {}),
  };
}

const refMatches = (ruleset: SimRuleset, branch: string, defaultBranch: string): boolean =>
  rulesetTargets(ruleset, branch, defaultBranch, (ref, p) => picomatch.isMatch(ref, p));

const rulesetSummary = (c: Ctx, r: SimRuleset) => ({
  id: r.id,
  name: r.name,
  target: r.target,
  source_type: r.source_type,
  source: r.source_type === 'Organization' ? c.repo.owner : `${c.repo.owner}/${c.repo.name}`,
  enforcement: r.enforcement,
  node_id: `RRS_${r.id}`,
  _links: { self: { href: `/repos/${c.repo.owner}/${c.repo.name}/rulesets/${r.id}` }, html: { href: `${repoUrl(c)}/rules/${r.id}` } },
});

const environmentJson = (c: Ctx, e: SimEnvironment) => ({
  id: e.id,
  node_id: `EN_${e.id}`,
  name: e.name,
  url: `/repos/${c.repo.owner}/${c.repo.name}/environments/${e.name}`,
  html_url: `${repoUrl(c)}/deployments/activity_log?environments_filter=${e.name}`,
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
  protection_rules: [
    ...(e.wait_timer ? [{ id: e.id * 10 + 1, node_id: 'W', type: 'wait_timer', wait_timer: e.wait_timer }] : []),
    ...(e.reviewers.length
      ? [
          {
            id: e.id * 10 + 2,
            node_id: 'R',
            type: 'required_reviewers',
            prevent_self_review: Boolean(e.prevent_self_review),
            reviewers: e.reviewers.map((r) => ({
              type: r.type,
              reviewer: r.type === 'User' ? { id: r.id, login: r.login } : { id: r.id, slug: r.login },
            })),
          },
        ]
      : []),
    ...(e.deployment_branch_policy ? [{ id: e.id * 10 + 3, node_id: 'B', type: 'branch_policy' }] : []),
  ],
  deployment_branch_policy: e.deployment_branch_policy,
});

const findEnv = (c: Ctx) => settingsOf(c.repo).environments.find((e) => e.name.toLowerCase() === c.params.environment_name!.toLowerCase());

export function settingsRoutes(route: RouteFn): void {
  route(
    'PATCH',
    '/repos/{owner}/{repo}',
    guarded('administration', (c) => {
      const s = settingsOf(c.repo);
      for (const [key, value] of Object.entries(
        (c.body.security_and_analysis ?? {}) as Record<string, { status: 'enabled' | 'disabled' }>,
      )) {
        if (!s.securityAndAnalysis || !(key in s.securityAndAnalysis))
          return [422, { message: `${key} is not available for this repository` }];
        s.securityAndAnalysis[key] = value;
      }
      if (c.body.archived !== undefined) c.repo.archived = Boolean(c.body.archived);
      return [200, repositoryJson(c)];
    }),
  );

  route(
    'GET',
    '/repos/{owner}/{repo}/branches/{branch}/protection',
    guarded('administration', (c) => {
      const p = settingsOf(c.repo).protection.get(c.params.branch!);
      return p
        ? [200, { url: `/repos/${c.repo.owner}/${c.repo.name}/branches/${c.params.branch}/protection`, ...p }]
        : notFound('Branch not protected');
    }),
  );
  route(
    'PUT',
    '/repos/{owner}/{repo}/branches/{branch}/protection',
    guarded('administration', (c) => {
      if (!c.repo.branches.has(c.params.branch!)) return notFound('Branch not found');
      const p = protectionFromBody(c.body);
      settingsOf(c.repo).protection.set(c.params.branch!, p);
      return [200, p];
    }),
  );

  route(
    'GET',
    '/repos/{owner}/{repo}/rules/branches/{branch}',
    guarded('metadata', (c) => {
      const active = settingsOf(c.repo).rulesets.filter(
        (r) => r.enforcement === 'active' && r.target === 'branch' && refMatches(r, c.params.branch!, c.repo.defaultBranch),
      );
      return [
        200,
        active.flatMap((r) =>
          r.rules.map((rule) => ({
            ...rule,
            ruleset_source_type: r.source_type,
            ruleset_source: rulesetSummary(c, r).source,
            ruleset_id: r.id,
          })),
        ),
      ];
    }),
  );
  route(
    'GET',
    '/repos/{owner}/{repo}/rulesets',
    guarded('metadata', (c) => {
      const parents = c.query.get('includes_parents') !== 'false';
      return [
        200,
        settingsOf(c.repo)
          .rulesets.filter((r) => parents || r.source_type === 'Repository')
          .map((r) => rulesetSummary(c, r)),
      ];
    }),
  );
  route(
    'GET',
    '/repos/{owner}/{repo}/rulesets/{ruleset_id}',
    guarded('metadata', (c) => {
      const r = settingsOf(c.repo).rulesets.find((x) => x.id === Number(c.params.ruleset_id));
      return r ? [200, { ...rulesetSummary(c, r), conditions: r.conditions, rules: r.rules, bypass_actors: [] }] : notFound();
    }),
  );

  route(
    'GET',
    '/repos/{owner}/{repo}/environments',
    guarded('actions', (c) => {
      const envs = settingsOf(c.repo).environments;
      return [200, { total_count: envs.length, environments: envs.map((e) => environmentJson(c, e)) }];
    }),
  );
  route(
    'GET',
    '/repos/{owner}/{repo}/environments/{environment_name}',
    guarded('actions', (c) => {
      const env = findEnv(c);
      return env ? [200, environmentJson(c, env)] : notFound();
    }),
  );
  route(
    'PUT',
    '/repos/{owner}/{repo}/environments/{environment_name}',
    guarded('administration', (c) => {
      const s = settingsOf(c.repo);
      let env = findEnv(c);
      if (!env)
        s.environments.push(
          (env = {
            id: c.model.id(),
            name: c.params.environment_name!,
            reviewers: [],
            deployment_branch_policy: null,
            branchPolicies: [],
            customRules: [],
          }),
        );
      const body = (c.body ?? {}) as Raw;
      if (body.wait_timer !== undefined) env.wait_timer = body.wait_timer;
      if (body.prevent_self_review !== undefined) env.prevent_self_review = body.prevent_self_review;
      if (body.reviewers !== undefined)
        env.reviewers = (body.reviewers ?? []).map((r: Raw) => ({
          type: r.type,
          id: r.id,
          login: env.reviewers.find((x) => x.id === r.id)?.login ?? `user${r.id}`,
        }));
      if (body.deployment_branch_policy !== undefined) {
        const policy = body.deployment_branch_policy;
        if (policy && policy.protected_branches === policy.custom_branch_policies)
          return [422, { message: 'Exactly one of protected_branches and custom_branch_policies must be true' }];
        env.deployment_branch_policy = policy;
      }
      return [200, environmentJson(c, env)];
    }),
  );
  route(
    'GET',
    '/repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies',
    guarded('actions', (c) => {
      const env = findEnv(c);
      // GitHub answers 404 here unless the environment uses custom branch and tag policies (not for protected branches only).
      if (!env?.deployment_branch_policy?.custom_branch_policies) return notFound();
      return [
        200,
        { total_count: env.branchPolicies.length, branch_policies: env.branchPolicies.map((p) => ({ ...p, node_id: `DBP_${p.id}` })) },
      ];
    }),
  );
  route(
    'POST',
    '/repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies',
    guarded('administration', (c) => {
      const env = findEnv(c);
      if (!env) return notFound();
      if (!env.deployment_branch_policy?.custom_branch_policies)
        return notFound('Custom branch policies are not enabled for this environment');
      if (env.branchPolicies.some((p) => p.name === c.body.name && p.type === (c.body.type ?? 'branch')))
        return [303, { message: 'already exists' }];
      const policy = { id: c.model.id(), name: c.body.name as string, type: (c.body.type ?? 'branch') as 'branch' | 'tag' };
      env.branchPolicies.push(policy);
      return [200, { ...policy, node_id: `DBP_${policy.id}` }];
    }),
  );
  route(
    'GET',
    '/repos/{owner}/{repo}/environments/{environment_name}/deployment_protection_rules',
    guarded('actions', (c) => {
      const env = findEnv(c);
      if (!env) return notFound();
      const rules = env.customRules.map((r) => ({
        id: r.id,
        node_id: `DPR_${r.id}`,
        enabled: r.enabled,
        app: { id: r.id + 1, slug: r.slug, integration_url: `/apps/${r.slug}`, node_id: `A_${r.id}` },
      }));
      return [200, { total_count: rules.length, custom_deployment_protection_rules: rules }];
    }),
  );

  route(
    'GET',
    '/repos/{owner}/{repo}/actions/permissions',
    guarded('administration', (c) => [
      200,
      { ...settingsOf(c.repo).actions, selected_actions_url: `/repos/${c.repo.owner}/${c.repo.name}/actions/permissions/selected-actions` },
    ]),
  );
  route(
    'PUT',
    '/repos/{owner}/{repo}/actions/permissions',
    guarded('administration', (c) => {
      const a = settingsOf(c.repo).actions;
      a.enabled = c.body.enabled;
      if (c.body.allowed_actions) a.allowed_actions = c.body.allowed_actions;
      if (c.body.sha_pinning_required !== undefined) a.sha_pinning_required = c.body.sha_pinning_required;
      return [204];
    }),
  );
  route('GET', '/orgs/{org}/actions/permissions', (c) => {
    const s = orgSettingsOf(c.model, c.params.org!);
    return s.forbidden
      ? forbidden
      : [200, { enabled_repositories: 'all', allowed_actions: 'all', sha_pinning_required: s.sha_pinning_required }];
  });

  route('GET', '/app/installations', (c) => [200, installationsOf(c.model)]);
  route('GET', '/installation/repositories', (c) => {
    const all = [...c.model.repos.values()];
    const page = Number(c.query.get('page') ?? 1);
    const perPage = Number(c.query.get('per_page') ?? 30);
    // GitHub's `repository` schema here has no security_and_analysis (GET /orgs/{org}/repos and GET /repos/… have it).
    const repos = all.slice((page - 1) * perPage, page * perPage).map((repo) => {
      const json = repositoryJson({ ...c, repo });
      delete json.security_and_analysis;
      return json;
    });
    return [
      200,
      { total_count: all.length, repository_selection: 'all', repositories: repos },
      nextLink(c, '/installation/repositories', all.length),
    ];
  });
  route('GET', '/orgs/{org}/repos', (c) => {
    const all = [...c.model.repos.values()].filter((r) => r.owner.toLowerCase() === c.params.org!.toLowerCase());
    const page = Number(c.query.get('page') ?? 1);
    const perPage = Number(c.query.get('per_page') ?? 30);
    return [
      200,
      all.slice((page - 1) * perPage, page * perPage).map((repo) => repositoryJson({ ...c, repo })),
      nextLink(c, `/orgs/${c.params.org!}/repos`, all.length),
    ];
  });
}

/** The simulator has one installation, on the owner of its first repository; it can see every repository. */
export function installationsOf(model: GitHubModel): Raw[] {
  const owner = [...model.repos.values()][0]?.owner ?? 'octo-org';
  return [
    {
      id: 1,
      account: { login: owner, type: 'Organization' },
      repository_selection: 'all',
      app_id: 1,
      target_type: 'Organization',
      permissions: installationPermissions(model),
      events: [],
    },
  ];
}

/** GitHub's Link header to the next page, which octokit.paginate follows. */
function nextLink(c: Ctx, path: string, total: number): Record<string, string> {
  const page = Number(c.query.get('page') ?? 1);
  const perPage = Number(c.query.get('per_page') ?? 30);
  if (page * perPage >= total) return {};
  const query = new URLSearchParams(c.query);
  query.set('page', String(page + 1));
  return { link: `<${c.apiBase}${path}?${query.toString()}>; rel="next"` };
}

const ROLE_ORDER = ['read', 'triage', 'write', 'maintain', 'admin'];

/** Collaborators (the model's permissions) filtered as GET …/collaborators does: `affiliation=outside`, `permission=admin`. */
export function collaboratorsMatching(repo: Repo, query: URLSearchParams): Array<[string, string]> {
  const outside = settingsOf(repo).outsideCollaborators;
  const affiliation = query.get('affiliation') ?? 'all';
  const permission = query.get('permission');
  const wanted = permission ? ROLE_ORDER.indexOf(permission === 'pull' ? 'read' : permission === 'push' ? 'write' : permission) : 0;
  return [...repo.permissions].filter(
    ([login, role]) => (affiliation !== 'outside' || outside.has(login)) && ROLE_ORDER.indexOf(role) >= wanted,
  );
}
