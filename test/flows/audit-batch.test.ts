/**
 * The daily audit's batched path, as the app runs it: authenticated as the installation (whose token
 * reports its permissions), several repositories' settings read in one GraphQL query against the
 * schema-checked simulator over HTTP, REST only for what GraphQL lacks. Its verdicts must be those of
 * the REST reads, and a permission GitHub withholds must give "cannot audit", never a finding or a pass.
 */
import { ProbotOctokit } from 'probot';
import { checkContext, protectionSatisfied, runAudit, type AuditResult } from '../../src/audit/audit.js';
import { withDefaults } from '../../src/config/load.js';
import { auditRepositories } from '../../src/flows/audit-repository.js';
import { gatherAuditFacts, gatherAuditFactsBatch } from '../../src/github/audit-facts.js';
import { OrgSettingsCache, tokenPermissions, type RepositoryData } from '../../src/github/audit-rest.js';
import { settingsQuery } from '../../src/github/audit-graphql.js';
import type { GitHub } from '../../src/github/client.js';
import { queryPoints } from '../../sim/graphql-cost.js';
import { GitHubModel, type Repo } from '../../sim/model.js';
import { GitHubSimulator } from '../../sim/server.js';
import { installationPermissions } from '../../sim/settings-graphql.js';
import { orgSettingsOf, settingsOf } from '../../sim/settings.js';
import {
  addOutsideAdmin,
  auditedRepo,
  installationClient,
  makeCompliant,
  protectingRuleset,
  simEnvironment,
} from '../helpers/audit-sim.js';
import { testPrivateKey } from '../helpers/server.js';

let sim: GitHubSimulator;
let model: GitHubModel;
let octokit: GitHub;

beforeEach(async () => {
  model = new GitHubModel();
  sim = await new GitHubSimulator(model, { appId: 1, privateKeyPem: testPrivateKey }).start();
  octokit = installationClient(sim);
});
afterEach(async () => {
  expect(model.violations).toEqual([]);
  await sim.stop();
});

const ctx = checkContext(withDefaults({ rules: { 'actions-pinned': 'error' } }));
const options = { production: ctx.production, shaPinning: true, protectionSatisfied: protectionSatisfied(ctx) };
const summary = (r: AuditResult) => ({
  findings: r.findings.map((f) => `${f.check}: ${f.message}`).sort(),
  cannotAudit: r.cannotAudit.map((c) => `${c.check}: ${c.reason}`).sort(),
  passed: [...r.passed].sort(),
});
const requestsSince = (n: number) => model.requests.slice(n).map((r) => `${r.method} ${r.path}`);

/** Six repositories covering each setting the batch reads, compliant or not. */
function varied(): Repo[] {
  const classic = makeCompliant(auditedRepo(model, 'classic'));
  const ruleset = makeCompliant(auditedRepo(model, 'ruleset'));
  settingsOf(ruleset).protection.clear();
  settingsOf(ruleset).rulesets = [protectingRuleset('active')];
  const evaluate = makeCompliant(auditedRepo(model, 'evaluate'));
  settingsOf(evaluate).protection.clear();
  settingsOf(evaluate).rulesets = [protectingRuleset('evaluate', 'main rules')];
  const bare = auditedRepo(model, 'bare');
  const outsider = makeCompliant(auditedRepo(model, 'outsider'));
  addOutsideAdmin(outsider, 'contractor');
  const protectedBranches = makeCompliant(auditedRepo(model, 'protected-branches'));
  const production = settingsOf(protectedBranches).environments.find((e) => e.name === 'production')!;
  production.deployment_branch_policy = { protected_branches: true, custom_branch_policies: false };
  production.reviewers = [];
  production.customRules = [{ id: 5, enabled: true, slug: 'shipshape' }];
  return [classic, ruleset, evaluate, bare, outsider, protectedBranches];
}

it('the token reports the installation permissions (no request) and a plain token reports none', async () => {
  auditedRepo(model, 'store');
  await octokit.request('GET /repos/{owner}/{repo}', { owner: 'css01', repo: 'store' });
  const before = model.requests.length;
  expect(await tokenPermissions(octokit)).toMatchObject({ administration: 'write', actions: 'write', metadata: 'read' });
  expect(model.requests.length).toBe(before);
  expect(await tokenPermissions(new ProbotOctokit({ auth: 'ghp_x' }))).toBeUndefined();
});

it('six repositories in one settings query give the verdicts of the REST reads; REST only for what GraphQL lacks', async () => {
  const repos = varied();
  const permissions = await tokenPermissions(octokit);
  const before = model.requests.length;
  const batched = await gatherAuditFactsBatch(
    octokit,
    repos.map((r) => ({ owner: r.owner, repo: r.name, options: { ...options, repository: undefined } })),
    { permissions, orgSettings: new OrgSettingsCache() },
  );
  const made = requestsSince(before);
  // Each repository once (the webhook path has no listing), the organization's SHA pinning once, one GraphQL query.
  expect(made.filter((r) => r === 'POST /graphql')).toHaveLength(1);
  expect(
    made.filter((r) => r.includes('/branches/main/protection') || r.includes('/collaborators') || r.endsWith('/environments')),
  ).toEqual([]);
  expect(made.filter((r) => r === 'GET /orgs/css01/actions/permissions')).toHaveLength(1);

  for (const [i, r] of repos.entries()) {
    const overRest = await gatherAuditFacts(octokit, { owner: r.owner, repo: r.name }, options, {});
    expect({ repo: r.name, ...summary(runAudit(batched[i]!.facts, ctx)) }).toEqual({
      repo: r.name,
      ...summary(runAudit(overRest.facts, ctx)),
    });
  }
  const verdicts = Object.fromEntries(repos.map((r, i) => [r.name, summary(runAudit(batched[i]!.facts, ctx)).findings]));
  const checks = (name: string) => verdicts[name]!.map((f) => f.split(':')[0]);
  expect(checks('classic')).toEqual(['actions-sha-pinning']);
  expect(verdicts.ruleset!.filter((f) => f.startsWith('branch-'))).toEqual([]);
  expect(verdicts.evaluate!.find((f) => f.startsWith('branch-protected'))).toContain(
    'Ruleset "main rules" would require this, but it is in evaluate mode, which only reports and enforces nothing, so it does not count.',
  );
  expect(verdicts.outsider!.find((f) => f.startsWith('no-outside-admin'))).toContain('@contractor');
  expect(verdicts['protected-branches']!.find((f) => f.startsWith('production-release-tags'))).toContain(
    'admits deployments from protected branches',
  );
  expect(verdicts.bare!.filter((f) => f.startsWith('environments-exist'))).toHaveLength(2);
});

it('a compliant repository from the listing costs one REST request (its tag rules) and its share of one query', async () => {
  const repo = makeCompliant(auditedRepo(model, 'store', 'tool: store\n'));
  orgSettingsOf(model, 'css01').sha_pinning_required = true;
  const listed = (await octokit.request('GET /orgs/{org}/repos', { org: 'css01' })).data[0] as RepositoryData;
  const before = model.requests.length;
  const [outcome] = await auditRepositories(octokit, [{ owner: 'css01', repo: repo.name, repository: listed }], {
    log: { info: () => undefined, warn: () => undefined },
  });
  expect(outcome).toMatchObject({ kind: 'audited', findings: 0, cannotAudit: 0, requests: 1 });
  expect(requestsSince(before)).toEqual([
    'POST /graphql',
    'POST /graphql',
    'GET /repos/css01/store/environments/production/deployment-branch-policies',
  ]);
});

describe('missing permissions: "cannot audit", never a finding or a pass', () => {
  it('an installation without Administration: classic protection is not asked, and the protection checks cannot audit', async () => {
    const repo = makeCompliant(auditedRepo(model, 'store'));
    delete installationPermissions(model).administration;
    settingsOf(repo).forbidden.add('administration');
    const before = model.requests.length;
    const { facts } = (
      await gatherAuditFactsBatch(octokit, [{ owner: 'css01', repo: 'store', options }], {
        permissions: await tokenPermissions(octokit),
      })
    )[0]!;
    const query = (model.requests.slice(before).find((r) => r.graphql)!.body as { query: string }).query;
    expect(query).not.toContain('branchProtectionRule');
    const result = summary(runAudit(facts, ctx));
    expect(result.cannotAudit).toEqual(
      expect.arrayContaining([
        'branch-protected: cannot audit: the app lacks the Administration (read) permission',
        'branch-no-force-push: cannot audit: the app lacks the Administration (read) permission',
      ]),
    );
    expect(result.findings.filter((f) => f.startsWith('branch-'))).toEqual([]);
    expect(result.passed).not.toContain('branch-protected');
  });

  it('GitHub refusing the environments although the token lists the permission: read over REST, whose 403 says which', async () => {
    const repo = makeCompliant(auditedRepo(model, 'store'));
    settingsOf(repo).forbidden.add('actions');
    const { facts } = (
      await gatherAuditFactsBatch(octokit, [{ owner: 'css01', repo: 'store', options }], {
        permissions: await tokenPermissions(octokit),
      })
    )[0]!;
    const result = summary(runAudit(facts, ctx));
    for (const check of ['environments-exist', 'production-gated', 'production-release-tags'])
      expect(result.cannotAudit).toContain(`${check}: cannot audit: the app lacks the Actions (read) permission`);
    expect(result.findings.filter((f) => /environments|production/.test(f))).toEqual([]);
    // Protection was still read (the whole repository falls back to REST when GitHub withholds a required field).
    expect(result.passed).toEqual(expect.arrayContaining(['branch-protected', 'branch-no-force-push']));
  });

  it('collaborators GitHub withholds: "cannot audit", not "no outside admin"', async () => {
    const repo = makeCompliant(auditedRepo(model, 'store'));
    addOutsideAdmin(repo, 'contractor');
    settingsOf(repo).forbidden.add('metadata');
    const { facts } = (
      await gatherAuditFactsBatch(octokit, [{ owner: 'css01', repo: 'store', options }], {
        permissions: await tokenPermissions(octokit),
      })
    )[0]!;
    const result = summary(runAudit(facts, ctx));
    expect(result.cannotAudit).toContain('no-outside-admin: cannot audit: the app lacks the Metadata (read) permission');
    expect(result.passed).not.toContain('no-outside-admin');
  });
});

it('production with several environments and team reviewers: existence and reviewers come from the query', async () => {
  const repo = makeCompliant(auditedRepo(model, 'store'));
  const s = settingsOf(repo);
  s.environments.push(simEnvironment('qa'));
  s.environments.find((e) => e.name === 'production')!.reviewers = [{ type: 'Team', id: 3, login: 'platform' }];
  const { facts } = (
    await gatherAuditFactsBatch(octokit, [{ owner: 'css01', repo: 'store', options }], {
      permissions: await tokenPermissions(octokit),
    })
  )[0]!;
  expect(facts.environments).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ name: 'qa' })]) });
  const production = facts.environments.ok ? facts.environments.value.find((e) => e.name === 'production') : undefined;
  expect(production?.reviewers).toEqual([{ type: 'Team', id: 3, login: 'platform' }]);
  expect(production?.branchPolicy).toEqual({ protectedBranches: false, customBranchPolicies: true });
});

it("GitHub's documented cost: the docs' example query is 51 points, a settings query for 20 repositories 3", () => {
  const docs =
    'query { viewer { login repositories(first: 100) { edges { node { id issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }';
  expect(queryPoints(docs)).toBe(51);
  const targets = Array.from({ length: 20 }, (_, i) => ({ owner: 'css01', repo: `r${i}`, production: 'production' }));
  const { query, variables } = settingsQuery(targets, { classic: true, environments: true, collaborators: true });
  expect(queryPoints(query, variables)).toBe(3);
});

it('a GitHub that rejects the settings query whole (an Enterprise Server without these fields) is audited over REST alike', async () => {
  const repo = makeCompliant(auditedRepo(model, 'store'));
  addOutsideAdmin(repo, 'contractor');
  const rejecting = installationClient(sim);
  rejecting.hook.wrap('request', async (request, opts) => {
    if (opts.url.endsWith('/graphql') && String((opts as { query?: string }).query).includes('rulesets('))
      return { status: 200, url: opts.url, headers: {}, data: { errors: [{ message: "Field 'rules' doesn't exist on type 'Ref'" }] } };
    return request(opts);
  });
  const permissions = await tokenPermissions(rejecting);
  const viaRest = (await gatherAuditFactsBatch(rejecting, [{ owner: 'css01', repo: 'store', options }], { permissions }))[0]!;
  const viaGraphql = (await gatherAuditFactsBatch(octokit, [{ owner: 'css01', repo: 'store', options }], { permissions }))[0]!;
  expect(summary(runAudit(viaRest.facts, ctx))).toEqual(summary(runAudit(viaGraphql.facts, ctx)));
  expect(viaRest.requests).toBeGreaterThan(viaGraphql.requests);
});

it('in a batch, a repository GitHub does not show fails alone; the others are audited with one configuration and one settings query', async () => {
  makeCompliant(auditedRepo(model, 'a', 'tool: store\n'));
  auditedRepo(model, 'b', 'tool: store\n');
  const before = model.requests.length;
  const outcomes = await auditRepositories(
    octokit,
    ['a', 'gone', 'b'].map((repo) => ({ owner: 'css01', repo })),
    { log: { info: () => undefined, warn: () => undefined } },
  );
  expect(outcomes.map((o) => o.kind)).toEqual(['audited', 'failed', 'audited']);
  expect(outcomes[2]).toMatchObject({ findings: expect.any(Number) as number });
  expect(model.requests.slice(before).filter((r) => r.graphql)).toHaveLength(2);
});
