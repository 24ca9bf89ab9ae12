/**
 * The real server (a child process, as `npm start` runs it) against the simulated GitHub over HTTP, in
 * GitHub Enterprise mode (GHE_PROTOCOL=http, GHE_HOST=127.0.0.1:port), with signed webhooks built from
 * real payload shapes. Every request the app makes is checked against GitHub's OpenAPI description and
 * GraphQL schema; the test fails on any violation or any request refused by the secondary limits.
 */
import { parseState } from '../../src/release/issue-body.js';
import type { ReleaseState } from '../../src/release/state.js';
import { E2E_SECRET, startE2E, waitFor, type E2E } from '../helpers/e2e.js';
import { readFixture } from '../helpers/fixtures.js';
import { cdDeployment, commentOn, deploymentStatus, pullRequestEvent, tagPush } from '../helpers/release-events.js';
import type { Repo } from '../../sim/model.js';
import { AUDIT_ISSUE_TITLE } from '../../src/audit/report.js';
import { makeCompliant } from '../helpers/audit-sim.js';
import { example, forRepo } from '../helpers/examples.js';

let e2e: E2E;
beforeAll(async () => {
  // Sweep failed deliveries every 2 s, so the redelivery test does not wait ten minutes.
  e2e = await startE2E({ env: { REDELIVERY_INTERVAL_MINUTES: String(2 / 60) } });
}, 120_000);
afterAll(() => e2e?.stop());
afterEach(() => {
  expect(e2e.model.violations).toEqual([]);
  expect(e2e.sim.refused).toEqual([]);
});

let counter = 0;
function newStore(extra: Record<string, string> = {}): Repo {
  counter++;
  const repo = e2e.model.addRepo('css42', `store-${counter}`, { ...readFixture('css01.dashboards_store'), ...extra });
  for (const [login, role] of [
    ['olivia', 'write'],
    ['pat', 'write'],
  ] as const)
    repo.permissions.set(login, role);
  e2e.model.teams.set('css42/platform', new Set(['pat']));
  return repo;
}

const checkOn = (repo: Repo, sha: string, name = 'shipshape/policy') => repo.checkRuns.find((r) => r.head_sha === sha && r.name === name);

describe('policy checks over HTTP', () => {
  it('a pull request fails on a core pinned to a branch, then passes once fixed', async () => {
    const repo = newStore();
    const pr = e2e.model.openPullRequest(repo, 'bump-core', {
      'packages.yml': 'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: develop\n',
    });
    expect(await e2e.send('pull_request', pullRequestEvent(repo, pr.number, 'opened'))).toBeLessThan(300);
    const failed = await waitFor(() => checkOn(repo, pr.pull_request!.head), 'the first check run');
    expect(failed.conclusion).toBe('failure');
    expect(failed.output?.annotations).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'packages.yml', start_line: 3, start_column: 15, title: 'core-pinned' })]),
    );

    pr.pull_request!.head = e2e.model.push(repo, 'bump-core', {
      'packages.yml': 'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: v0.7.0+20230926\n',
    });
    await e2e.send('pull_request', pullRequestEvent(repo, pr.number, 'synchronize'));
    const passed = await waitFor(() => checkOn(repo, pr.pull_request!.head), 'the second check run');
    expect(passed.conclusion).toBe('success');

    // The counters move just after the check run is written: poll until the last one shows.
    let metrics = '';
    const successCounted = /shipshape_check_runs_total\{name="shipshape\/policy",conclusion="success"\} [1-9]/;
    for (let i = 0; i < 50 && !successCounted.test(metrics); i++) {
      metrics = await (await fetch(`${e2e.app.url}/metrics`)).text();
      if (!successCounted.test(metrics)) await new Promise((r) => setTimeout(r, 20));
    }
    expect(metrics).toMatch(/shipshape_github_requests_total\{method="POST",status="201"\} [1-9]/);
    expect(metrics).toMatch(/shipshape_findings_total\{rule="core-pinned",severity="error"\} [1-9]/);
    expect(metrics).toMatch(/shipshape_check_runs_total\{name="shipshape\/policy",conclusion="success"\} [1-9]/);
  });

  it('an invalid configuration is a failing check that names file, line and fix', async () => {
    const repo = newStore({ '.github/shipshape.yml': 'rules:\n  core-pined: error\n' });
    const pr = e2e.model.openPullRequest(repo, 'x', { 'README.md': '# hi\n' });
    await e2e.send('pull_request', pullRequestEvent(repo, pr.number, 'opened'));
    const run = await waitFor(() => checkOn(repo, pr.pull_request!.head), 'the check run');
    expect(run.conclusion).toBe('failure');
    expect(run.output?.summary).toContain('`.github/shipshape.yml` line 2: unknown key `core-pined` in rules; did you mean `core-pinned`?');
  });

  it('a forged signature gets 4xx and causes no API call', async () => {
    const repo = newStore();
    const pr = e2e.model.openPullRequest(repo, 'x', { 'README.md': '# hi\n' });
    // The periodic redelivery sweep (app-level, /app/hook/deliveries) may run meanwhile: it is not this event's.
    const repoRequests = () => e2e.model.requests.filter((r) => !r.path.startsWith('/app/')).length;
    const before = repoRequests();
    const body = JSON.stringify(pullRequestEvent(repo, pr.number, 'opened'));
    const res = await fetch(`${e2e.app.url}/api/github/webhooks`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': 'forged',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    await new Promise((r) => setTimeout(r, 300));
    expect(repoRequests()).toBe(before);
    expect(repo.checkRuns).toHaveLength(0);
  });
});

describe('no event lost', () => {
  it('a delivery that failed while the app was down is redelivered at the next sweep', async () => {
    const repo = newStore();
    const pr = e2e.model.openPullRequest(repo, 'while-down', { 'README.md': '# changed while the app was down\n' });
    e2e.sim.recordDelivery('pull_request', pullRequestEvent(repo, pr.number, 'opened'), 502);
    const run = await waitFor(() => checkOn(repo, pr.pull_request!.head), 'the check run of the redelivered event', 15_000);
    expect(run.conclusion).toBe('success');
    // The redelivery is answered once its work is done, just after the check run is written.
    await waitFor(
      () => e2e.model.deliveries.some((d) => d.redelivery && d.status_code >= 200 && d.status_code < 300),
      'the redelivery answered 2xx',
    );
  });
});

describe('releases over HTTP', () => {
  const config = 'tool: css42 store\nrelease:\n  service-owners: [olivia]\n  platform-maintainers: ["@css42/platform"]\n';
  const stateOf = (repo: Repo) => {
    const issue = repo.issues.find((i) => i.labels.includes('release'))!;
    return parseState(issue.body, { keys: E2E_SECRET, repo: `${repo.owner}/${repo.name}`, issue: issue.number }) as ReleaseState;
  };

  it('a tag opens one release issue despite redelivery, and the commands take it to published', async () => {
    const repo = newStore({ '.github/shipshape.yml': config });
    e2e.model.tag(repo, '1.0.0', repo.branches.get('main')!, 'First release');
    const push = tagPush(repo, '1.0.0');
    await Promise.all([e2e.send('push', push, 'same-delivery'), e2e.send('push', push, 'same-delivery'), e2e.send('push', push)]);
    const issue = await waitFor(() => repo.issues.find((i) => i.labels.includes('release')), 'the release issue');
    await new Promise((r) => setTimeout(r, 500));
    expect(repo.issues.filter((i) => i.labels.includes('release'))).toHaveLength(1);
    expect(issue.title).toBe('Release version 1.0.0 of css42 store');

    // The reply to a command is the bot's first comment addressed to its author after it.
    const say = async (body: string, login: string) => {
      const after = repo.comments.length;
      await e2e.send('issue_comment', commentOn(e2e.model, repo, issue.number, body, login));
      const reply = await waitFor(
        () => repo.comments.slice(after).find((c) => c.user === 'shipshape[bot]' && c.body.startsWith(`@${login} `)),
        `the reply to ${body}`,
      );
      return reply.body;
    };
    expect(await say('/deploy production', 'pat')).toContain("needs the service owner's `/approve` first");
    await say('/approve', 'olivia');
    // The team's CD pipeline deploys the tag to staging on its own; Shipshape adopts that deployment.
    const cd = cdDeployment(e2e.model, repo, { environment: 'staging', ref: '1.0.0' });
    await e2e.send('deployment_status', deploymentStatus(e2e.model, repo, cd.id, 'success'));
    await waitFor(() => stateOf(repo).deployments.staging?.state === 'success', 'staging success in the issue');
    expect(stateOf(repo).deployments.staging).toMatchObject({ by: 'cd-pipeline[bot]', deploymentId: cd.id });
    await say('/verify staging', 'pat');
    expect(await say('/deploy production', 'pat')).toContain('deploying 1.0.0 to production');
    const production = repo.deployments.at(-1)!;
    expect(production).toMatchObject({ environment: 'production', sha: repo.tags.get('1.0.0')!.sha, creator: 'shipshape[bot]' });
    await e2e.send('deployment_status', deploymentStatus(e2e.model, repo, production.id, 'success'));
    await waitFor(() => stateOf(repo).deployments.production?.state === 'success', 'production success in the issue');
    await say('/verify production', 'pat');
    await say('/publish', 'olivia');
    expect(repo.releases).toMatchObject([{ tag_name: '1.0.0' }]);
    expect(issue.state).toBe('closed');
    expect(repo.milestones[0]!.state).toBe('closed');
  });
});

describe('repository settings audit over HTTP', () => {
  it('a repository event opens the settings issue; once the settings are fixed, the next event closes it', async () => {
    const repo = e2e.model.addRepo('css42', 'settings-store', {
      'README.md': '# store',
      '.github/shipshape.yml': 'audit:\n  action: issue\n',
    });
    const event = (name: string, action: string) => forRepo(example(name, action), repo.owner, repo.name);
    expect(await e2e.send('repository', event('repository', 'edited'))).toBeLessThan(300);
    const issue = await waitFor(() => repo.issues.find((i) => i.title === AUDIT_ISSUE_TITLE), 'the settings issue');
    expect(issue.body).toContain('- **Settings page:** http://github.sim/css42/settings-store/settings/branches');

    makeCompliant(repo);
    await e2e.send('branch_protection_rule', event('branch_protection_rule', 'created'));
    await waitFor(() => issue.state === 'closed', 'the settings issue to close');
    expect(repo.issues.filter((i) => i.title === AUDIT_ISSUE_TITLE)).toHaveLength(1);
  });
});
