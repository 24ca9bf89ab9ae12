/**
 * REST routes of the simulated GitHub, written against GitHub's path templates; every request is first
 * checked against GitHub's OpenAPI description (openapi.ts) and refused with 422 when it does not fit.
 */
import type { GitHubModel, Issue, Repo } from './model.js';
import { checkRequest } from './openapi.js';
import { collaboratorsMatching, repositoryJson, settingsRoutes } from './settings-routes.js';
import { settingsOf } from './settings.js';
import { dispatchRefusal, runJson, workflowFiles, workflowJson, workflowPath } from './workflows.js';

export const APP_LOGIN = 'shipshape[bot]';
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
type Handler = (ctx: Ctx) => Reply;

const routes: Array<{ method: string; template: string; regex: RegExp; keys: string[]; handler: Handler; needsRepo: boolean }> = [];
function route(method: string, template: string, handler: Handler) {
  const keys: string[] = [];
  const regex = new RegExp(`^${template.replace(/\{(\w+)\}/g, (_m, k: string) => (keys.push(k), '([^/]+)'))}$`);
  routes.push({ method, template, regex, keys, handler, needsRepo: template.startsWith('/repos/{owner}/{repo}') });
}

const notFound: Reply = [404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }];
const invalid = (message: string, code = 'invalid'): Reply => [422, { message: 'Validation Failed', errors: [{ code, message }] }];
const issueJson = (ctx: Ctx, i: Issue) => ({
  id: i.number * 7919,
  number: i.number,
  title: i.title,
  body: i.body,
  state: i.state,
  labels: i.labels.map((name) => ({ name })),
  milestone: i.milestone ? { number: i.milestone, title: ctx.repo.milestones.find((m) => m.number === i.milestone)?.title } : null,
  assignees: i.assignees.map((login) => ({ login })),
  user: { login: i.user, type: i.user.endsWith('[bot]') ? 'Bot' : 'User' },
  html_url: `${ctx.htmlBase}/${ctx.repo.owner}/${ctx.repo.name}/issues/${i.number}`,
  ...(i.pull_request ? { pull_request: { url: 'x' } } : {}),
});

/** A fork's pull request names the fork as its head repository. */
const pullJson = (ctx: Ctx, pr: Issue) => ({
  number: pr.number,
  state: pr.state,
  head: {
    sha: pr.pull_request!.head,
    ref: `pr-${pr.number}`,
    repo: { full_name: pr.pull_request!.fork ?? `${ctx.repo.owner}/${ctx.repo.name}` },
  },
  base: { sha: pr.pull_request!.base, ref: ctx.repo.defaultBranch },
});

route('GET', '/repos/{owner}/{repo}', (c) => [200, repositoryJson(c)]);
settingsRoutes(route);
route('GET', '/repos/{owner}/{repo}/branches/{branch}', (c) => {
  const sha = c.repo.branches.get(decodeURIComponent(c.params.branch!));
  return sha ? [200, { name: c.params.branch, commit: { sha } }] : notFound;
});
route('GET', '/repos/{owner}/{repo}/git/trees/{tree_sha}', (c) => {
  const commit = c.model.resolve(c.repo, c.params.tree_sha!);
  if (!commit) return notFound;
  const tree = [...commit.files].map(([path, text]) => ({
    path,
    mode: '100644',
    type: 'blob',
    sha: 'b'.repeat(40),
    size: Buffer.byteLength(text, 'latin1'),
  }));
  return [200, { sha: commit.sha, truncated: false, tree }];
});
route('POST', '/repos/{owner}/{repo}/git/refs', (c) => {
  const ref: string = c.body.ref;
  if (!ref.startsWith('refs/tags/') && !ref.startsWith('refs/heads/')) return invalid('Reference name is invalid');
  const name = ref.replace(/^refs\/(tags|heads)\//, '');
  const exists = ref.startsWith('refs/tags/') ? c.repo.tags.has(name) : c.repo.branches.has(name);
  if (exists) return invalid('Reference already exists', 'already_exists');
  if (!c.repo.commits.has(c.body.sha)) return invalid('Object does not exist');
  if (ref.startsWith('refs/tags/')) c.model.tag(c.repo, name, c.body.sha);
  else c.repo.branches.set(name, c.body.sha);
  return [201, { ref, object: { sha: c.body.sha, type: 'commit' } }];
});

route('GET', '/repos/{owner}/{repo}/pulls', (c) => {
  const state = c.query.get('state') ?? 'open';
  const pulls = c.repo.issues.filter((i) => i.pull_request && (state === 'all' || i.state === state));
  const page = Number(c.query.get('page') ?? 1);
  const perPage = Number(c.query.get('per_page') ?? 30);
  return [200, pulls.slice((page - 1) * perPage, page * perPage).map((pr) => pullJson(c, pr))];
});
route('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', (c) => {
  const pr = c.repo.issues.find((i) => i.number === Number(c.params.pull_number) && i.pull_request);
  return pr ? [200, pullJson(c, pr)] : notFound;
});
route('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/files', (c) => {
  const pr = c.repo.issues.find((i) => i.number === Number(c.params.pull_number) && i.pull_request);
  return pr ? [200, pr.pull_request!.files.map((filename) => ({ filename, status: 'modified' }))] : notFound;
});

route('POST', '/repos/{owner}/{repo}/check-runs', (c) => {
  const run = {
    id: c.model.id(),
    createdAt: Date.now(),
    name: c.body.name,
    head_sha: c.body.head_sha,
    status: c.body.status ?? 'queued',
    conclusion: c.body.conclusion,
    completed_at: c.body.completed_at,
    external_id: c.body.external_id,
    details_url: c.body.details_url,
    output: { ...c.body.output, annotations: [...(c.body.output?.annotations ?? [])] },
  };
  if ((c.body.output?.annotations?.length ?? 0) > 50) return invalid('Only 50 annotations are allowed per request');
  c.repo.checkRuns.push(run);
  return [201, run];
});
route('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}', (c) => {
  const run = c.repo.checkRuns.find((r) => r.id === Number(c.params.check_run_id));
  if (!run) return notFound;
  if ((c.body.output?.annotations?.length ?? 0) > 50) return invalid('Only 50 annotations are allowed per request');
  if (c.body.output)
    run.output = {
      ...run.output,
      ...c.body.output,
      annotations: [...(run.output?.annotations ?? []), ...(c.body.output?.annotations ?? [])],
    };
  for (const key of ['status', 'conclusion', 'completed_at', 'details_url', 'external_id'] as const)
    if (c.body[key] !== undefined) run[key] = c.body[key];
  return [200, run];
});
route('GET', '/repos/{owner}/{repo}/commits/{ref}/check-runs', (c) => {
  const runs = c.repo.checkRuns.filter(
    (r) =>
      r.head_sha === c.params.ref &&
      (!c.query.get('check_name') || r.name === c.query.get('check_name')) &&
      (!c.query.get('status') || r.status === c.query.get('status')),
  );
  return [200, { total_count: runs.length, check_runs: runs }];
});

route('POST', '/repos/{owner}/{repo}/labels', (c) => {
  if (c.repo.labels.has(c.body.name)) return invalid('Label already exists', 'already_exists');
  c.repo.labels.set(c.body.name, { color: c.body.color, description: c.body.description });
  return [201, { name: c.body.name }];
});
route('GET', '/repos/{owner}/{repo}/milestones', (c) => [
  200,
  c.repo.milestones.filter((m) => c.query.get('state') === 'all' || m.state === (c.query.get('state') ?? 'open')),
]);
route('POST', '/repos/{owner}/{repo}/milestones', (c) => {
  if (c.repo.milestones.some((m) => m.title === c.body.title)) return invalid('Milestone already exists', 'already_exists');
  const m = {
    number: c.repo.milestones.length + 1,
    title: c.body.title,
    state: 'open' as const,
    description: c.body.description,
    created_at: new Date().toISOString(),
  };
  c.repo.milestones.push(m);
  return [201, m];
});
route('PATCH', '/repos/{owner}/{repo}/milestones/{milestone_number}', (c) => {
  const m = c.repo.milestones.find((x) => x.number === Number(c.params.milestone_number));
  if (!m) return notFound;
  Object.assign(m, c.body.state ? { state: c.body.state } : {});
  return [200, m];
});

route('GET', '/repos/{owner}/{repo}/issues', (c) => {
  const milestone = c.query.get('milestone');
  const labels = c.query.get('labels')?.split(',').filter(Boolean) ?? [];
  const state = c.query.get('state') ?? 'open';
  const list = c.repo.issues.filter(
    (i) =>
      (state === 'all' || i.state === state) &&
      (!milestone || String(i.milestone) === milestone) &&
      labels.every((l) => i.labels.includes(l)),
  );
  return [200, list.map((i) => issueJson(c, i))];
});
route('POST', '/repos/{owner}/{repo}/issues', (c) => {
  const unknown = (c.body.assignees ?? []).filter((a: string) => !c.repo.permissions.has(a));
  if (unknown.length) return invalid(`cannot assign ${unknown.join(', ')}`);
  const issue: Issue = {
    number: c.repo.issues.length + 1,
    title: c.body.title,
    body: c.body.body ?? '',
    state: 'open',
    labels: c.body.labels ?? [],
    milestone: c.body.milestone,
    assignees: c.body.assignees ?? [],
    user: APP_LOGIN,
    created_at: c.model.now(),
  };
  for (const l of issue.labels) if (!c.repo.labels.has(l)) c.repo.labels.set(l, {});
  c.repo.issues.push(issue);
  return [201, issueJson(c, issue)];
});
route('GET', '/repos/{owner}/{repo}/issues/{issue_number}', (c) => {
  const issue = c.repo.issues.find((i) => i.number === Number(c.params.issue_number));
  return issue ? [200, issueJson(c, issue)] : notFound;
});
route('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}', (c) => {
  const issue = c.repo.issues.find((i) => i.number === Number(c.params.issue_number));
  if (!issue) return notFound;
  if (c.body.body !== undefined) issue.body = c.body.body;
  if (c.body.state) {
    issue.state = c.body.state;
    issue.state_reason = c.body.state_reason;
    if (issue.state === 'closed') issue.closed_at = c.model.now();
  }
  return [200, issueJson(c, issue)];
});
route('GET', '/repos/{owner}/{repo}/issues/{issue_number}/comments', (c) => {
  const list = c.repo.comments.filter((x) => x.issue === Number(c.params.issue_number));
  return [200, list.map((x) => ({ id: x.id, body: x.body, user: { login: x.user, type: x.user.endsWith('[bot]') ? 'Bot' : 'User' } }))];
});
route('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', (c) => {
  const comment = { id: c.model.id(), issue: Number(c.params.issue_number), body: c.body.body, user: APP_LOGIN };
  c.repo.comments.push(comment);
  return [201, { id: comment.id, body: comment.body, user: { login: APP_LOGIN, type: 'Bot' } }];
});
route('POST', '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', (c) => {
  const existing = c.repo.reactions.find(
    (r) => r.comment === Number(c.params.comment_id) && r.content === c.body.content && r.user === APP_LOGIN,
  );
  if (existing) return [200, { id: existing.id, content: existing.content }];
  const reaction = { id: c.model.id(), comment: Number(c.params.comment_id), content: c.body.content, user: APP_LOGIN };
  c.repo.reactions.push(reaction);
  return [201, { id: reaction.id, content: reaction.content }];
});
route('DELETE', '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions/{reaction_id}', (c) => {
  const index = c.repo.reactions.findIndex((r) => r.id === Number(c.params.reaction_id));
  if (index >= 0) c.repo.reactions.splice(index, 1);
  return [204];
});

route('GET', '/repos/{owner}/{repo}/collaborators/{username}/permission', (c) => {
  const role = c.repo.permissions.get(c.params.username!);
  if (!role) return notFound;
  const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
  return [200, { permission, role_name: role, user: { login: c.params.username } }];
});
route('GET', '/repos/{owner}/{repo}/collaborators', (c) => {
  if (settingsOf(c.repo).forbidden.has('metadata')) return [403, { message: 'Resource not accessible by integration' }];
  const list = collaboratorsMatching(c.repo, c.query).map(([login, role]) => ({
    login,
    id: login.length,
    type: 'User',
    role_name: role,
    permissions: {
      admin: role === 'admin',
      maintain: role === 'admin' || role === 'maintain',
      push: ['admin', 'maintain', 'write'].includes(role),
      triage: role !== 'read',
      pull: true,
    },
  }));
  return [200, list];
});
route('GET', '/repos/{owner}/{repo}/assignees/{assignee}', (c) =>
  c.repo.permissions.has(c.params.assignee!) && c.repo.permissions.get(c.params.assignee!) !== 'read' ? [204] : notFound,
);
route('GET', '/orgs/{org}/teams/{team_slug}/members', (c) => {
  const members = c.model.teams.get(`${c.params.org}/${c.params.team_slug}`.toLowerCase());
  return members ? [200, [...members].map((login) => ({ login, id: login.length, type: 'User' }))] : notFound;
});
route('GET', '/orgs/{org}/teams/{team_slug}/memberships/{username}', (c) => {
  const members = c.model.teams.get(`${c.params.org}/${c.params.team_slug}`.toLowerCase());
  return members?.has(c.params.username!) ? [200, { state: 'active', role: 'member' }] : notFound;
});

route('GET', '/repos/{owner}/{repo}/deployments', (c) => {
  const env = c.query.get('environment');
  const list = c.repo.deployments
    .filter((d) => !env || d.environment === env)
    .slice()
    .reverse();
  return [
    200,
    list.slice(0, Number(c.query.get('per_page') ?? 30)).map((d) => ({
      id: d.id,
      ref: d.ref,
      sha: d.sha,
      environment: d.environment,
      payload: d.payload,
      creator: { login: d.creator ?? APP_LOGIN },
    })),
  ];
});
route('POST', '/repos/{owner}/{repo}/deployments', (c) => {
  const commit = c.model.resolve(c.repo, c.body.ref);
  if (!commit) return invalid(`No ref found for: ${c.body.ref}`);
  const d = {
    id: c.model.id(),
    ref: c.body.ref,
    sha: commit.sha,
    environment: c.body.environment ?? 'production',
    payload: c.body.payload ?? {},
    statuses: [],
    creator: APP_LOGIN,
  };
  c.repo.deployments.push(d);
  return [201, { id: d.id, ref: d.ref, sha: d.sha, environment: d.environment, payload: d.payload }];
});
route('GET', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', (c) => {
  const d = c.repo.deployments.find((x) => x.id === Number(c.params.deployment_id));
  return d ? [200, d.statuses.slice().reverse()] : notFound;
});
route('POST', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', (c) => {
  const commit = c.model.resolve(c.repo, c.body.ref);
  if (!commit) return invalid(`No ref found for: ${c.body.ref}`);
  const file = decodeURIComponent(c.params.workflow_id!);
  const path = /^\d+$/.test(file) ? workflowPath(c.model, c.repo, file) : `.github/workflows/${file}`;
  const refusal = dispatchRefusal(path ? commit.files.get(path) : undefined, c.body.inputs);
  if (refusal)
    return refusal[0] === 404
      ? notFound
      : [
          refusal[0],
          { message: refusal[1], documentation_url: 'https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event' },
        ];
  const branch = c.body.ref.replace(/^refs\/(heads|tags)\//, '');
  const run = c.model.startRun(c.repo, path!, { event: 'workflow_dispatch', branch, inputs: c.body.inputs });
  c.repo.dispatches.push({ workflow: file, ref: c.body.ref, inputs: c.body.inputs, runId: run.id });
  if (!c.body.return_run_details) return [204];
  const json = runJson(c.model, c.repo, run, c.apiBase, c.htmlBase);
  return [200, { workflow_run_id: run.id, run_url: json.url, html_url: json.html_url }];
});
route('GET', '/repos/{owner}/{repo}/actions/workflows', (c) => {
  const workflows = workflowFiles(c.model, c.repo).map((p) => workflowJson(c.model, c.repo, p, c.apiBase, c.htmlBase));
  return [200, { total_count: workflows.length, workflows }];
});
route('GET', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}', (c) => {
  const path = workflowPath(c.model, c.repo, c.params.workflow_id!);
  return path ? [200, workflowJson(c.model, c.repo, path, c.apiBase, c.htmlBase)] : notFound;
});
route('GET', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', (c) => {
  const path = workflowPath(c.model, c.repo, c.params.workflow_id!);
  if (!path) return notFound;
  const q = c.query;
  const runs = c.repo.runs
    .filter(
      (r) =>
        r.path === path &&
        (!q.get('branch') || r.head_branch === q.get('branch')) &&
        (!q.get('event') || r.event === q.get('event')) &&
        (!q.get('status') || r.status === q.get('status') || r.conclusion === q.get('status')),
    )
    .slice()
    .reverse();
  const perPage = Number(q.get('per_page') ?? 30);
  const page = Number(q.get('page') ?? 1);
  return [
    200,
    {
      total_count: runs.length,
      workflow_runs: runs.slice((page - 1) * perPage, page * perPage).map((r) => runJson(c.model, c.repo, r, c.apiBase, c.htmlBase)),
    },
  ];
});
route('GET', '/repos/{owner}/{repo}/actions/runs/{run_id}', (c) => {
  const run = c.repo.runs.find((r) => r.id === Number(c.params.run_id));
  return run ? [200, runJson(c.model, c.repo, run, c.apiBase, c.htmlBase)] : notFound;
});
route('POST', '/repos/{owner}/{repo}/actions/runs/{run_id}/deployment_protection_rule', (c) => {
  c.repo.protectionReviews.push({ run_id: Number(c.params.run_id), ...c.body });
  return [204];
});

route('GET', '/repos/{owner}/{repo}/releases/tags/{tag}', (c) => {
  const r = c.repo.releases.find((x) => x.tag_name === decodeURIComponent(c.params.tag!));
  return r ? [200, { ...r, html_url: `${c.htmlBase}/${c.repo.owner}/${c.repo.name}/releases/tag/${r.tag_name}` }] : notFound;
});
route('POST', '/repos/{owner}/{repo}/releases', (c) => {
  if (c.repo.releases.some((r) => r.tag_name === c.body.tag_name)) return invalid('Release already exists', 'already_exists');
  const r = { id: c.model.id(), tag_name: c.body.tag_name, name: c.body.name, body: c.body.body, prerelease: !!c.body.prerelease };
  c.repo.releases.push(r);
  return [201, { ...r, html_url: `${c.htmlBase}/${c.repo.owner}/${c.repo.name}/releases/tag/${r.tag_name}` }];
});

/** The GitHub path template a request matches, for rate-limit buckets. */
export function routeTemplate(method: string, path: string): string | undefined {
  const pathname = new URL(path, 'http://sim').pathname;
  return routes.find((r) => r.method === method && r.regex.test(pathname))?.template;
}

export interface RestRequest {
  method: string;
  path: string;
  body?: unknown;
}

/** Route one REST request (path without the /api/v3 prefix, with its query string). */
export function handleRest(
  model: GitHubModel,
  req: RestRequest,
  htmlBase = 'https://github.com',
  apiBase = 'https://api.github.com',
): Reply {
  const url = new URL(req.path, 'http://sim');
  const method = req.method.toUpperCase();
  model.requests.push({ method, path: url.pathname, body: req.body });
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.regex.exec(url.pathname);
    if (!m) continue;
    const problems = checkRequest(method, r.template, req.body);
    if (problems.length) {
      model.violations.push(...problems);
      return invalid(problems.join('; '));
    }
    const params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1]!)]));
    const repo = r.needsRepo ? model.visible(params.owner!, params.repo!) : undefined;
    if (r.needsRepo && !repo) return notFound;
    return r.handler({ model, repo: repo!, params, query: url.searchParams, body: req.body, htmlBase, apiBase });
  }
  model.violations.push(`${method} ${url.pathname}: no simulated route (not a GitHub operation, or not simulated yet)`);
  return notFound;
}
