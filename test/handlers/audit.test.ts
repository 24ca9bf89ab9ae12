/**
 * The settings audit through the app: real webhook payloads, GitHub answered by the simulator (every
 * request checked against GitHub's OpenAPI description), requests counted.
 */
import nock from 'nock';
import { AUDIT_ISSUE_TITLE, AUDIT_LABEL } from '../../src/audit/report.js';
import { listInstalled } from '../../src/handlers/audit.js';
import { GitHubModel, type Repo } from '../../sim/model.js';
import { settingsOf } from '../../sim/settings.js';
import { addOutsideAdmin, auditedRepo, makeCompliant, protectingRuleset } from '../helpers/audit-sim.js';
import { example, forRepo } from '../helpers/examples.js';
import { nockSimulator } from '../helpers/nock-simulator.js';
import { testProbot } from '../helpers/probot.js';

let model: GitHubModel;
beforeEach(() => {
  nock.disableNetConnect();
  model = new GitHubModel();
  nockSimulator(model);
});
afterEach(() => {
  expect(model.violations).toEqual([]);
  nock.cleanAll();
});

const protectionEvent = (repo: Repo) => forRepo(example('branch_protection_rule', 'edited'), repo.owner, repo.name);
const auditIssues = (repo: Repo) => repo.issues.filter((i) => i.title === AUDIT_ISSUE_TITLE);
const writes = () => model.requests.filter((r) => r.method !== 'GET' && !r.graphql).map((r) => `${r.method} ${r.path}`);

describe('action: log (the default)', () => {
  // These tests use a plain token, whose permissions are unknown: classic protection and environments are read over REST.
  it('a compliant repository: read-only, 4 REST + 2 GraphQL requests, nothing written', async () => {
    const repo = makeCompliant(auditedRepo(model, 'store', 'tool: store\n'));
    await testProbot().deliver('branch_protection_rule', protectionEvent(repo));
    expect(model.requests.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'GET /repos/css01/store',
      'GET /repos/css01/store/branches/main/protection',
      'GET /repos/css01/store/environments',
      'GET /repos/css01/store/environments/production/deployment-branch-policies',
      'POST /graphql',
      'POST /graphql',
    ]);
    expect(writes()).toEqual([]);
  });

  it('protected by an active ruleset alone, classic protection and the ruleset list are not even read over REST: 5 requests', async () => {
    const repo = makeCompliant(auditedRepo(model, 'store', 'tool: store\n'));
    settingsOf(repo).protection.clear();
    settingsOf(repo).rulesets = [protectingRuleset('active')];
    await testProbot().deliver('branch_protection_rule', protectionEvent(repo));
    expect(model.requests).toHaveLength(5);
    expect(model.requests.some((r) => r.path.endsWith('/protection') || r.path.endsWith('/rulesets'))).toBe(false);
  });

  it('a repository without shipshape.yml (nor org defaults) is not audited: one request', async () => {
    const repo = model.addRepo('css01', 'bare', { 'README.md': '# bare' });
    await testProbot().deliver('branch_protection_rule', protectionEvent(repo));
    expect(model.requests).toHaveLength(1);
  });
});

describe('action: issue', () => {
  it('opens one issue listing each finding with its setting page', async () => {
    const repo = auditedRepo(model);
    await testProbot().deliver('branch_protection_rule', protectionEvent(repo));
    const [issue] = auditIssues(repo);
    expect(auditIssues(repo)).toHaveLength(1);
    expect(issue!.labels).toEqual([AUDIT_LABEL]);
    expect(issue!.body).toContain('### ❌ `branch-protected` (error)');
    expect(issue!.body).toContain('- **Settings page:** https://github.com/css01/store/settings/branches');
    expect(issue!.body).toContain('### ❌ `environments-exist` (error)');
    expect(issue!.body).toContain('- **Settings page:** https://github.com/css01/store/settings/environments');
    expect(issue!.body).toContain('### ❌ `push-protection` (error)');
  });

  it('updates the same issue in place, closes it when compliant, reopens it later; never a second one', async () => {
    const repo = auditedRepo(model);
    const { deliver } = testProbot();
    await deliver('branch_protection_rule', protectionEvent(repo));
    const number = auditIssues(repo)[0]!.number;
    makeCompliant(repo);
    settingsOf(repo).securityAndAnalysis = {
      secret_scanning: { status: 'enabled' },
      secret_scanning_push_protection: { status: 'disabled' },
    };
    await deliver('branch_protection_rule', protectionEvent(repo));
    expect(auditIssues(repo)).toHaveLength(1);
    expect(auditIssues(repo)[0]).toMatchObject({ number, state: 'open' });
    expect(auditIssues(repo)[0]!.body).not.toContain('### ❌ `branch-protected`');
    expect(auditIssues(repo)[0]!.body).toContain('`push-protection`');

    settingsOf(repo).securityAndAnalysis!.secret_scanning_push_protection = { status: 'enabled' };
    await deliver('repository', forRepo(example('repository', 'edited'), repo.owner, repo.name));
    expect(auditIssues(repo)[0]).toMatchObject({ number, state: 'closed', state_reason: 'completed' });
    expect(auditIssues(repo)[0]!.body).toContain('Every audited setting is in policy.');

    settingsOf(repo).protection.clear();
    await deliver('branch_protection_rule', forRepo(example('branch_protection_rule', 'deleted'), repo.owner, repo.name));
    expect(auditIssues(repo)).toHaveLength(1);
    expect(auditIssues(repo)[0]).toMatchObject({ number, state: 'open' });
  });

  it('redelivery changes nothing: the same delivery twice, then again after the issue exists', async () => {
    const repo = auditedRepo(model);
    const { deliver } = testProbot();
    const payload = protectionEvent(repo);
    await Promise.all([deliver('branch_protection_rule', payload, 'd1'), deliver('branch_protection_rule', payload, 'd1')]);
    await deliver('branch_protection_rule', payload, 'd1');
    expect(auditIssues(repo)).toHaveLength(1);
    const patches = model.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toEqual([]); // same findings, same body: not even an edit
  });

  it('two replicas auditing at once open one issue (the label is the marker GitHub creates once)', async () => {
    const repo = auditedRepo(model);
    const payload = protectionEvent(repo);
    await Promise.all([
      testProbot().deliver('branch_protection_rule', payload, 'a'),
      testProbot().deliver('branch_protection_rule', payload, 'b'),
    ]);
    expect(auditIssues(repo)).toHaveLength(1);
    expect(model.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/labels'))).toHaveLength(2);
  }, 15_000);

  it('a repository protected only by an active ruleset passes; one in evaluate mode fails and says why', async () => {
    const repo = makeCompliant(auditedRepo(model));
    settingsOf(repo).protection.clear();
    settingsOf(repo).rulesets = [protectingRuleset('active')];
    const { deliver } = testProbot();
    await deliver('repository_ruleset', protectionEvent(repo));
    expect(auditIssues(repo)).toHaveLength(0);

    settingsOf(repo).rulesets = [protectingRuleset('evaluate', 'main rules')];
    await deliver('repository_ruleset', protectionEvent(repo));
    const body = auditIssues(repo)[0]!.body;
    expect(body).toContain(
      'Ruleset "main rules" would require this, but it is in evaluate mode, which only reports and enforces nothing, so it does not count.',
    );
    expect(model.requests.some((r) => /\/rulesets\/\d+$/.test(r.path))).toBe(true);
  });

  it('without the Administration permission: "cannot audit", and no issue for it', async () => {
    const repo = makeCompliant(auditedRepo(model));
    settingsOf(repo).forbidden.add('administration');
    await testProbot().deliver('branch_protection_rule', protectionEvent(repo));
    expect(auditIssues(repo)).toHaveLength(0);
    settingsOf(repo).environments = [];
    await testProbot().deliver('branch_protection_rule', protectionEvent(repo));
    const body = auditIssues(repo)[0]!.body;
    expect(body).toContain('## Not audited');
    expect(body).toContain('- `branch-protected`: cannot audit: the app lacks the Administration (read) permission');
    expect(body).toContain('- `push-protection`: cannot audit: the app lacks the Administration (read) permission');
    expect(body).not.toContain('### ❌ `branch-protected`');
  });
});

describe('action: fix', () => {
  it('applies the safe fixes, lists each change, and keeps the issue for what needs a person', async () => {
    const repo = auditedRepo(model, 'store', 'audit:\n  action: fix\n  reviews: 2\nrules:\n  actions-pinned: error\n');
    const s = settingsOf(repo);
    addOutsideAdmin(repo, 'contractor');
    s.protection.set('main', {
      required_status_checks: { strict: true, contexts: ['ci/build'], checks: [{ context: 'ci/build', app_id: null }] },
      enforce_admins: { enabled: true },
      allow_force_pushes: { enabled: true },
      allow_deletions: { enabled: false },
    });
    await testProbot().deliver('branch_protection_rule', protectionEvent(repo));

    expect(s.protection.get('main')).toMatchObject({
      required_status_checks: { strict: true, contexts: ['ci/build', 'shipshape/policy'] },
      required_pull_request_reviews: { required_approving_review_count: 2 },
      enforce_admins: { enabled: true },
      allow_force_pushes: { enabled: false },
    });
    expect(s.environments.map((e) => e.name)).toEqual(['staging', 'production']);
    expect(s.environments[1]).toMatchObject({
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
      branchPolicies: [
        { name: 'v[0-9]*.[0-9]*.[0-9]*', type: 'tag' },
        { name: '[0-9]*.[0-9]*.[0-9]*', type: 'tag' },
      ],
    });
    expect(s.actions.sha_pinning_required).toBe(true);
    expect(s.securityAndAnalysis).toEqual({
      secret_scanning: { status: 'enabled' },
      secret_scanning_push_protection: { status: 'enabled' },
    });

    const [issue] = auditIssues(repo);
    expect(issue!.body).toContain('## Changed by Shipshape (`audit.action: fix`)');
    expect(issue!.body).toContain(
      '- `main` branch protection: at least 2 approving review(s), the `shipshape/policy` status check, no force pushes (its other settings kept)',
    );
    expect(issue!.body).toContain('- created the environment `production`');
    expect(issue!.body).toContain('- `production`: added the tag rule `v[0-9]*.[0-9]*.[0-9]*`');
    expect(issue!.body).toContain('- Actions: turned on "Require actions to be pinned to a full-length commit SHA"');
    // What needs a person stays: an outside admin, and nobody gating production.
    expect(issue!.body).toContain('### ❌ `no-outside-admin` (error)');
    expect(issue!.body).toContain('### ❌ `production-gated` (error)');
    expect(issue!.body).not.toContain('### ❌ `branch-protected`');
  });
});

describe('triggers', () => {
  it('installation.created audits each repository it lists', async () => {
    const a = makeCompliant(auditedRepo(model, 'store-a'));
    const b = auditedRepo(model, 'store-b');
    const payload = example('installation', 'created');
    payload.installation.account.login = 'css01';
    payload.repositories = [a, b].map((r) => ({ id: r.id, node_id: 'x', name: r.name, full_name: `css01/${r.name}`, private: false }));
    await testProbot().deliver('installation', payload);
    expect(auditIssues(a)).toHaveLength(0);
    expect(auditIssues(b)).toHaveLength(1);
  });

  it('installation_repositories.added and member events audit the named repositories', async () => {
    const repo = auditedRepo(model);
    const added = example('installation_repositories', 'added');
    added.repositories_added = [{ id: repo.id, node_id: 'x', name: repo.name, full_name: 'css01/store', private: false }];
    await testProbot().deliver('installation_repositories', added);
    expect(auditIssues(repo)).toHaveLength(1);
    const member = forRepo(example('member', 'added'), repo.owner, repo.name);
    addOutsideAdmin(repo, 'contractor');
    await testProbot().deliver('member', member);
    expect(auditIssues(repo)[0]!.body).toContain('@contractor');
  });

  it('an organization ruleset (its event names no repository) re-audits every repository of the installation, batched', async () => {
    const repos = Array.from({ length: 3 }, (_, i) => auditedRepo(model, `store-${i}`));
    makeCompliant(repos[0]!);
    // GitHub's repository_ruleset payload for a ruleset defined on the organization (no `repository` key).
    const payload = {
      action: 'edited',
      ruleset: { id: 42, name: 'org main', target: 'branch', source_type: 'Organization', source: 'css01', enforcement: 'active' },
      organization: { login: 'css01', id: 1 },
      installation: { id: 1, node_id: 'x' },
      sender: { login: 'admin', id: 2, type: 'User' },
    };
    const { deliver, shipshape } = testProbot();
    await deliver('repository_ruleset', payload);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await shipshape.queue.idle();
    expect(repos.map((r) => auditIssues(r).length)).toEqual([0, 1, 1]);
    // The three together: one query for their configuration files, one for their settings.
    expect(model.requests.filter((r) => r.graphql)).toHaveLength(2);
  });

  it('the organization chooses repositories by topic; archived repositories are skipped', async () => {
    model.addRepo('css01', '.github', { '.github/shipshape.yml': 'audit:\n  action: issue\n  repositories: { topic: dashboards }\n' });
    const tagged = model.addRepo('css01', 'tagged', { 'README.md': '' });
    settingsOf(tagged).topics = ['dashboards'];
    const other = model.addRepo('css01', 'other', { 'README.md': '' });
    const archived = model.addRepo('css01', 'old', { 'README.md': '' }, { archived: true });
    settingsOf(archived).topics = ['dashboards'];
    const { deliver } = testProbot();
    for (const repo of [tagged, other, archived]) await deliver('branch_protection_rule', protectionEvent(repo));
    expect([tagged, other, archived].map((r) => auditIssues(r).length)).toEqual([1, 0, 0]);
  });

  it('the schedule lists every installed repository that is not archived', async () => {
    auditedRepo(model, 'store-a');
    model.addRepo('css01', 'old', { 'README.md': '' }, { archived: true });
    const targets = await listInstalled(testProbot().probot);
    expect(targets).toEqual([
      {
        installationId: 1,
        owner: 'css01',
        repo: 'store-a',
        repository: expect.objectContaining({ name: 'store-a', security_and_analysis: expect.any(Object) }),
      },
    ]);
    expect(model.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /app/installations',
      'GET /installation/repositories',
      'GET /orgs/css01/repos',
    ]);
  });
});

// nock patches node's http for the whole jest worker: leave it as it was found, for the test files after this one.
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
