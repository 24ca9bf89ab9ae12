/**
 * The release story through the real app: tag → release issue → approval → staging → production →
 * publish, with the refusals and redeliveries. GitHub is the simulator (its requests checked against
 * GitHub's OpenAPI description and GraphQL schema), reached through nock.
 */
import nock from 'nock';
import { parseState } from '../../src/release/issue-body.js';
import type { ReleaseState } from '../../src/release/state.js';
import { readFixture } from '../helpers/fixtures.js';
import { nockSimulator } from '../helpers/nock-simulator.js';
import { TEST_STATE_SECRET, testProbot } from '../helpers/probot.js';
import { commentOn, deploymentStatus, protectionRule, releasePublished, tagPush } from '../helpers/release-events.js';
import { GitHubModel, type Repo } from '../../sim/model.js';
import type { WebhookAnswer } from '../../src/ops/jobs.js';

const CONFIG =
  'tool: css42 dashboards store\nrelease:\n  service-owners: [olivia]\n  platform-maintainers: ["@css42/platform"]\n  checklist: ["Announce in #data"]\n';

let model: GitHubModel;
let repo: Repo;
let deliver: ReturnType<typeof testProbot>['deliver'];

function setUp(config = CONFIG) {
  model = new GitHubModel();
  repo = model.addRepo('css42', 'css42.dashboards_store', { ...readFixture('css01.dashboards_store'), '.github/shipshape.yml': config });
  model.tag(repo, '1.3.0', repo.branches.get('main')!, 'Release 1.3.0');
  repo.issues.push({
    number: 1,
    title: 'Totals are wrong on the absenteeism page',
    body: '',
    state: 'closed',
    labels: ['bug'],
    assignees: [],
    user: 'ana',
    created_at: model.now(),
    closed_at: model.now(),
    state_reason: 'completed',
  });
  const pr = model.openPullRequest(repo, 'overtime', { 'models/overtime.sql': 'select 1' }, 'ana');
  pr.labels = ['feature'];
  pr.pull_request!.merged_at = model.now();
  repo.branches.set('main', pr.pull_request!.head);
  model.push(repo, 'main', {}, 'Merge pull request #2 from overtime');
  for (const [login, role] of [
    ['olivia', 'write'],
    ['pat', 'write'],
    ['eve', 'read'],
    ['ada', 'admin'],
  ] as const)
    repo.permissions.set(login, role);
  model.teams.set('css42/platform', new Set(['pat']));
  nockSimulator(model);
  deliver = testProbot().deliver;
}

const releaseIssue = () => repo.issues.find((i) => i.labels.includes('release'))!;
const stateOf = () =>
  parseState(releaseIssue().body, {
    keys: TEST_STATE_SECRET,
    repo: `${repo.owner}/${repo.name}`,
    issue: releaseIssue().number,
  }) as ReleaseState;
const lastReply = () => repo.comments[repo.comments.length - 1]!.body;
const reactionsOn = (commentId: number) => repo.reactions.filter((r) => r.comment === commentId).map((r) => r.content);
async function say(body: string, login: string) {
  const payload = commentOn(model, repo, releaseIssue().number, body, login);
  await deliver('issue_comment', payload);
  return payload.comment.id as number;
}
const tagRelease = async (tag: string, message?: string) => {
  model.tag(repo, tag, repo.branches.get('main')!, message);
  await deliver('push', tagPush(repo, tag));
};

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  expect(model.violations).toEqual([]);
  nock.cleanAll();
});

describe('a release from tag to published', () => {
  it('runs the whole story with its refusals', async () => {
    setUp();
    await tagRelease('1.4.0', 'Adds the overtime dashboard.');
    const issue = releaseIssue();
    expect(issue.title).toBe('Release version 1.4.0 of css42 dashboards store');
    expect(issue.assignees).toEqual(['olivia']);
    expect(repo.milestones).toMatchObject([{ title: '1.4.0', state: 'open' }]);
    expect(issue.milestone).toBe(1);
    expect(issue.body).toContain('Adds the overtime dashboard.');
    expect(issue.body).toMatch(/since `1\.3\.0`[\s\S]*### bug\n\n- #1 Totals are wrong[\s\S]*### feature\n\n- #2 Change overtime \(@ana\)/);
    expect(issue.body).toContain('- [ ] Announce in #data <!-- item:extra-0 -->');
    expect(repo.checkRuns).toMatchObject([{ name: 'shipshape/release', conclusion: 'success' }]);

    // Redelivery: no second issue.
    await deliver('push', tagPush(repo, '1.4.0'));
    expect(repo.issues.filter((i) => i.labels.includes('release'))).toHaveLength(1);

    // No role at all: one 👎, no reply (no 👀 either), so nobody can spend the installation's budget.
    const before = repo.comments.length;
    let id = await say('/approve', 'eve');
    expect(repo.comments.length).toBe(before + 1);
    expect(reactionsOn(id)).toEqual(['-1']);
    // The other role: refused with the reason, 👎.
    id = await say('/approve', 'pat');
    expect(lastReply()).toBe('@pat only service owners of this repository can `/approve`.');
    expect(reactionsOn(id)).toEqual(['-1']);

    await say('/deploy production', 'pat');
    expect(lastReply()).toContain("production needs the service owner's `/approve` first");

    id = await say('/approve', 'olivia');
    expect(reactionsOn(id)).toEqual(['rocket']);
    expect(stateOf().approval?.by).toBe('olivia');
    expect(releaseIssue().body).toContain('- [x] Approved by the service owner');

    await say('/deploy staging', 'pat');
    // Deployed by commit, never by tag name; the tag and the release's version travel in the payload.
    const tagSha = repo.tags.get('1.4.0')!.sha;
    expect(repo.deployments).toMatchObject([
      { ref: tagSha, environment: 'staging', sha: tagSha, payload: { version: '1.4.0', tag: '1.4.0', release_issue: issue.number } },
    ]);
    expect(lastReply()).toMatch(
      /deploying 1\.4\.0 to staging\. \(deployment \d+ of commit [0-9a-f]{7}; its log is linked here as soon as it reports\)/,
    );

    // A second deploy while the first is in progress is refused, naming it.
    await say('/deploy staging', 'pat');
    expect(lastReply()).toMatch(/staging is busy with deployment \d+ of 1\.4\.0/);

    const stagingSuccess = deploymentStatus(model, repo, repo.deployments[0]!.id, 'success');
    await deliver('deployment_status', stagingSuccess);
    expect(stateOf().deployments.staging?.state).toBe('success');
    expect(lastReply()).toContain(
      `✅ Deployment of 1.4.0 to staging succeeded: https://ci.example.org/deploy/${repo.deployments[0]!.id}/log`,
    );
    // Redelivered: no second report.
    const reports = repo.comments.length;
    await deliver('deployment_status', stagingSuccess);
    expect(repo.comments.length).toBe(reports);
    expect(releaseIssue().body).toContain('- [x] Deployed to staging');

    await say('/deploy production', 'pat');
    expect(lastReply()).toContain('verified there (`/verify staging`) first');
    await say('/verify staging', 'pat');
    await say('/deploy production', 'pat');
    const prod = repo.deployments[1]!;
    expect(prod).toMatchObject({ environment: 'production', ref: tagSha });

    // The production protection rule lets this release through.
    await deliver('deployment_protection_rule', protectionRule(repo, 'production', '1.4.0', prod.sha));
    expect(repo.protectionReviews).toMatchObject([{ environment_name: 'production', state: 'approved' }]);

    await deliver('deployment_status', deploymentStatus(model, repo, prod.id, 'failure'));
    expect(lastReply()).toContain('❌ Deployment of 1.4.0 to production failed');
    expect(lastReply()).toContain('dbt build failed on model fact_absences');
    await say('/publish', 'olivia');
    expect(lastReply()).toContain('cannot be published before it is deployed to production and verified');

    await say('/deploy production', 'pat');
    await deliver('deployment_status', deploymentStatus(model, repo, repo.deployments[2]!.id, 'success'));
    await say('/verify production', 'pat');
    id = await say('/publish', 'olivia');
    expect(reactionsOn(id)).toEqual(['rocket']);
    expect(repo.releases).toMatchObject([{ tag_name: '1.4.0', name: 'css42 dashboards store 1.4.0', prerelease: false }]);
    expect(repo.releases[0]!.body).toContain('#1 Totals are wrong');
    expect(releaseIssue().state).toBe('closed');
    expect(repo.milestones[0]!.state).toBe('closed');
    expect(releaseIssue().body).toMatch(/- \[x\] Published/);

    // GitHub then reports the published release: nothing more to do.
    const comments = repo.comments.length;
    await deliver('release', releasePublished(repo, '1.4.0'));
    expect(repo.comments.length).toBe(comments);
  });
});

describe('tags', () => {
  it('a tag that does not increase gets a failing shipshape/release check and no issue', async () => {
    setUp();
    await tagRelease('1.2.0');
    await tagRelease('nightly');
    expect(repo.issues.filter((i) => i.labels.includes('release'))).toHaveLength(0);
    expect(repo.checkRuns.map((r) => [r.name, r.conclusion, r.output?.summary?.split(',')[0]])).toEqual([
      ['shipshape/release', 'failure', '`1.2.0` (1.2.0) does not increase on the newest release `1.3.0` (1.3.0)'],
      ['shipshape/release', 'failure', '`nightly` is not a version tag (X.Y.Z'],
    ]);
  });

  it('two deliveries at once open one issue', async () => {
    setUp();
    model.tag(repo, '1.4.0', repo.branches.get('main')!);
    await Promise.all([deliver('push', tagPush(repo, '1.4.0'), 'd1'), deliver('push', tagPush(repo, '1.4.0'), 'd2')]);
    expect(repo.issues.filter((i) => i.labels.includes('release'))).toHaveLength(1);
  });

  it('a tag whose release a killed attempt left half-opened is not acknowledged until it can be finished', async () => {
    setUp();
    model.tag(repo, '1.4.0', repo.branches.get('main')!);
    // What a first attempt killed right after creating the release's marker leaves behind.
    const marker = {
      number: 1,
      title: '1.4.0',
      state: 'open' as const,
      description: 'Release 1.4.0',
      created_at: new Date().toISOString(),
    };
    repo.milestones.push(marker);
    const answer = await deliver('push', tagPush(repo, '1.4.0')).then(
      () => 'acknowledged',
      (err: unknown) => (err as AggregateError).errors[0] as WebhookAnswer,
    );
    expect(answer).toMatchObject({ status: 503, retryAfterMs: expect.any(Number) as number });
    expect(repo.issues.filter((i) => i.labels.includes('release'))).toHaveLength(0);
    // The sweep's redelivery, once the grace for a concurrent worker is over, finishes the job.
    marker.created_at = new Date(Date.now() - 60_000).toISOString();
    await deliver('push', tagPush(repo, '1.4.0'));
    expect(repo.issues.filter((i) => i.labels.includes('release'))).toHaveLength(1);
    expect(stateOf()).toMatchObject({ version: '1.4.0', rev: 1 });
  });

  it('a pre-release is labelled as such', async () => {
    setUp();
    await tagRelease('1.4.0-rc.1');
    expect(releaseIssue().labels).toEqual(['release', 'pre-release']);
    expect(releaseIssue().body).toContain('This is a **pre-release**.');
  });

  it('a repository without shipshape.yml gets nothing', async () => {
    setUp();
    repo.commits.get(repo.branches.get('main')!)!.files.delete('.github/shipshape.yml');
    await tagRelease('1.4.0');
    expect(repo.issues.filter((i) => i.labels.includes('release'))).toHaveLength(0);
    expect(repo.checkRuns).toHaveLength(0);
  });
});

describe('/release on any issue', () => {
  it('tags the default branch with the next version and opens the release', async () => {
    setUp();
    repo.issues.push({
      number: 3,
      title: 'Plan the next release',
      body: '',
      state: 'open',
      labels: [],
      assignees: [],
      user: 'pat',
      created_at: model.now(),
    });
    const payload = commentOn(model, repo, 3, 'Time to ship.\n/release minor', 'pat');
    await deliver('issue_comment', payload);
    expect(repo.tags.get('1.4.0')?.sha).toBe(repo.branches.get('main'));
    expect(releaseIssue().title).toBe('Release version 1.4.0 of css42 dashboards store');
    expect(lastReply()).toMatch(/tagged main \([0-9a-f]{7}\) as `1\.4\.0`; the release issue is #4\./);
    expect(reactionsOn(payload.comment.id)).toEqual(['rocket']);
  });

  it('refuses users without a role', async () => {
    setUp();
    repo.issues.push({ number: 3, title: 'x', body: '', state: 'open', labels: [], assignees: [], user: 'eve', created_at: model.now() });
    const payload = commentOn(model, repo, 3, '/release major', 'eve');
    await deliver('issue_comment', payload);
    expect(repo.tags.has('2.0.0')).toBe(false);
    expect(repo.comments.filter((c) => c.user === 'shipshape[bot]')).toEqual([]);
    expect(reactionsOn(payload.comment.id)).toEqual(['-1']);
  });
});

describe('commands that change nothing', () => {
  it('from bots, edited comments and redelivered comments', async () => {
    setUp();
    await tagRelease('1.4.0');
    const replies = repo.comments.length;
    await deliver('issue_comment', commentOn(model, repo, releaseIssue().number, '/approve', 'olivia', { bot: true }));
    await deliver('issue_comment', commentOn(model, repo, releaseIssue().number, '/approve', 'olivia', { action: 'edited' }));
    expect(stateOf().approval).toBeUndefined();
    const payload = commentOn(model, repo, releaseIssue().number, '/approve', 'olivia');
    await deliver('issue_comment', payload);
    await deliver('issue_comment', payload);
    expect(repo.comments.filter((c) => c.user === 'shipshape[bot]')).toHaveLength(1);
    expect(repo.comments.length).toBe(replies + 3 + 1);
  });

  it('a hand-edited state is refused', async () => {
    setUp();
    await tagRelease('1.4.0');
    releaseIssue().body = releaseIssue().body.replace('"deployments":{}', '"approval":{"by":"mallory","at":"now"},"deployments":{}');
    await say('/deploy staging', 'pat');
    expect(lastReply()).toContain('edited by hand');
    expect(repo.deployments).toHaveLength(0);
  });

  it('an unknown command gets the help, and /help lists what one may use', async () => {
    setUp();
    await tagRelease('1.4.0');
    await say('/deploi staging', 'pat');
    expect(lastReply()).toMatch(/`\/deploi` is not a command[\s\S]*`\/deploy <environment>`/);
    await say('/help', 'olivia');
    expect(lastReply()).toContain('`/approve`');
    expect(lastReply()).not.toContain('`/deploy <environment>`');
  });

  it('reject then approve', async () => {
    setUp();
    await tagRelease('1.4.0');
    await say('/reject', 'olivia');
    expect(lastReply()).toContain('needs a reason');
    await say('/reject the upgrade procedure is missing', 'olivia');
    await say('/deploy staging', 'pat');
    expect(lastReply()).toContain('rejected by @olivia (the upgrade procedure is missing)');
    await say('/approve', 'olivia');
    await say('/deploy staging', 'pat');
    expect(repo.deployments).toHaveLength(1);
  });
});

describe('deployments by workflow_dispatch, rollback, protection rule, admins by default', () => {
  it('dispatches the configured workflow on the tag', async () => {
    setUp(`${CONFIG}  deploy: { method: workflow_dispatch, workflow: deploy.yml }\n`);
    model.push(
      repo,
      'main',
      {
        '.github/workflows/deploy.yml':
          'on:\n  workflow_dispatch:\n    inputs: { version: { required: true }, environment: { required: true } }\n',
      },
      'Add the deploy workflow',
    );
    await tagRelease('1.4.0');
    await say('/deploy staging', 'pat');
    expect(repo.dispatches).toEqual([
      { workflow: 'deploy.yml', ref: '1.4.0', inputs: { version: '1.4.0', environment: 'staging' }, runId: expect.any(Number) },
    ]);
    // The reply links to the run the dispatch started, as GitHub returns it.
    expect(lastReply()).toContain(
      `(workflow run: https://github.com/css42/css42.dashboards_store/actions/runs/${repo.dispatches[0]!.runId})`,
    );
    expect(stateOf().deployments.staging?.url).toBe(
      `https://github.com/css42/css42.dashboards_store/actions/runs/${repo.dispatches[0]!.runId}`,
    );
  });

  it('rolls production back to the previous release', async () => {
    setUp();
    await tagRelease('1.4.0');
    await say('/rollback', 'pat');
    expect(repo.deployments).toMatchObject([
      { ref: repo.tags.get('1.3.0')!.sha, environment: 'production', payload: { version: '1.4.0', tag: '1.3.0', rollback: true } },
    ]);
    expect(lastReply()).toContain('rolling production back to 1.3.0');
  });

  it('rejects a production deployment that bypassed the commands', async () => {
    setUp();
    await tagRelease('1.4.0');
    await deliver('deployment_protection_rule', protectionRule(repo, 'production', '1.4.0', repo.tags.get('1.4.0')!.sha));
    const unreleased = model.push(repo, 'main', { 'models/later.sql': 'select 2' }, 'not released yet');
    await deliver('deployment_protection_rule', protectionRule(repo, 'production', 'main', unreleased, 4243));
    await deliver('deployment_protection_rule', protectionRule(repo, 'staging', 'main', repo.branches.get('main')!, 4244));
    expect(repo.protectionReviews).toEqual([
      {
        run_id: 4242,
        environment_name: 'production',
        state: 'rejected',
        comment: 'Shipshape: release 1.4.0 is not approved by the service owner.',
      },
      {
        run_id: 4243,
        environment_name: 'production',
        state: 'rejected',
        comment: expect.stringContaining('no release issue of Shipshape covers commit'),
      },
      // An environment Shipshape does not gate is approved at once, saying so, instead of waiting for a timeout.
      {
        run_id: 4244,
        environment_name: 'staging',
        state: 'approved',
        comment: 'Shipshape: Shipshape gates only production; staging is not gated by it.',
      },
    ]);
  });

  it('with no roles configured, repository admins and maintainers hold them', async () => {
    setUp('tool: store\n');
    await tagRelease('1.4.0');
    const id = await say('/approve', 'olivia');
    expect(reactionsOn(id)).toEqual(['-1']);
    expect(stateOf().approval).toBeUndefined();
    await say('/approve', 'ada');
    expect(stateOf().approval?.by).toBe('ada');
  });

  it('a release published by hand closes the issue and the milestone', async () => {
    setUp();
    await tagRelease('1.4.0');
    repo.releases.push({ id: 1, tag_name: '1.4.0', name: 'by hand', body: '', prerelease: false });
    await deliver('release', releasePublished(repo, '1.4.0'));
    expect(releaseIssue().state).toBe('closed');
    expect(repo.milestones[0]!.state).toBe('closed');
    expect(stateOf().published?.url).toContain('/releases/tag/1.4.0');
  });
});

describe('Slack', () => {
  it('is told when a deployment fails', async () => {
    setUp(`${CONFIG}notify:\n  slack: { webhook-env: TEST_SLACK_URL }\n`);
    process.env.TEST_SLACK_URL = 'https://hooks.slack.example/services/T1/B1/x';
    const slack = nock('https://hooks.slack.example')
      .post('/services/T1/B1/x', (b) => /to staging failed/.test(b.text))
      .reply(200, 'ok');
    await tagRelease('1.4.0');
    await say('/deploy staging', 'pat');
    await deliver('deployment_status', deploymentStatus(model, repo, repo.deployments[0]!.id, 'failure'));
    expect(slack.isDone()).toBe(true);
    delete process.env.TEST_SLACK_URL;
  });
});

// nock patches node's http for the whole jest worker: leave it as it was found, for the test files after this one.
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
