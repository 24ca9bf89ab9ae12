/**
 * Releases in a real organization, against the schema-checked simulator: deployments made by CD, rollback
 * after publishing, a checklist that follows the tag's checks, assignees from teams and roles, a moved tag,
 * replies that link to the run, and release notes of any length.
 */
import nock from 'nock';
import { parseState } from '../../src/release/issue-body.js';
import type { ReleaseState } from '../../src/release/state.js';
import { registry } from '../../src/ops/metrics.js';
import { GitHubModel, type Repo } from '../../sim/model.js';
import { readFixture } from '../helpers/fixtures.js';
import { nockSimulator } from '../helpers/nock-simulator.js';
import { TEST_STATE_SECRET, testProbot } from '../helpers/probot.js';
import {
  cdDeployment,
  checkSuiteCompleted,
  commentOn,
  deploymentStatus,
  protectionRule,
  releasePublished,
  tagPush,
} from '../helpers/release-events.js';

const CONFIG = 'tool: store\nrelease:\n  service-owners: [olivia]\n  platform-maintainers: ["@css42/platform"]\n';

let model: GitHubModel;
let repo: Repo;
let deliver: ReturnType<typeof testProbot>['deliver'];

function setUp(config = CONFIG) {
  model = new GitHubModel();
  repo = model.addRepo('css42', 'store', { ...readFixture('css01.dashboards_store'), '.github/shipshape.yml': config });
  model.tag(repo, '1.3.0', repo.branches.get('main')!, 'Release 1.3.0');
  model.push(repo, 'main', { 'models/overtime.sql': 'select 1' }, 'overtime');
  for (const [login, role] of [
    ['olivia', 'write'],
    ['pat', 'write'],
    ['eve', 'read'],
    ['ada', 'admin'],
    ['max', 'maintain'],
  ] as const)
    repo.permissions.set(login, role);
  model.teams.set('css42/platform', new Set(['pat']));
  nockSimulator(model);
  deliver = testProbot().deliver;
}

const releaseIssue = () => repo.issues.find((i) => i.labels.includes('release') && i.title.includes('1.4.0'))!;
const stateOf = () =>
  parseState(releaseIssue().body, {
    keys: TEST_STATE_SECRET,
    repo: `${repo.owner}/${repo.name}`,
    issue: releaseIssue().number,
  }) as ReleaseState;
const lastReply = () => repo.comments[repo.comments.length - 1]!.body;
const say = (body: string, login: string) => deliver('issue_comment', commentOn(model, repo, releaseIssue().number, body, login));
const tagRelease = async (tag = '1.4.0') => {
  model.tag(repo, tag, repo.branches.get('main')!);
  await deliver('push', tagPush(repo, tag));
};

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  expect(model.violations).toEqual([]);
  nock.cleanAll();
});

describe('deployments made by someone else (CD)', () => {
  it.each([
    ['by commit', (sha: string) => sha],
    ['by ref = the tag', () => '1.4.0'],
  ])('a staging deployment by another app (%s) ticks the item and unlocks /deploy production', async (_how, refOf) => {
    setUp();
    await tagRelease();
    await say('/approve', 'olivia');
    const sha = repo.tags.get('1.4.0')!.sha;
    const cd = cdDeployment(model, repo, { environment: 'staging', ref: refOf(sha) });
    await deliver('deployment_status', deploymentStatus(model, repo, cd.id, 'success'));
    expect(stateOf().deployments.staging).toMatchObject({ state: 'success', sha, by: 'cd-pipeline[bot]', deploymentId: cd.id });
    expect(releaseIssue().body).toContain('- [x] Deployed to staging');
    expect(lastReply()).toContain(`✅ Deployment of 1.4.0 to staging succeeded: https://ci.example.org/deploy/${cd.id}/log`);
    await say('/verify staging', 'pat');
    await say('/deploy production', 'pat');
    expect(lastReply()).toContain('deploying 1.4.0 to production');
    expect(repo.deployments.at(-1)).toMatchObject({ environment: 'production', sha });
  });

  it('a CD deployment of another commit, or to an environment not configured, changes nothing', async () => {
    setUp();
    await tagRelease();
    const body = releaseIssue().body;
    const other = model.push(repo, 'main', { 'x.sql': 'select 3' }, 'later');
    await deliver(
      'deployment_status',
      deploymentStatus(model, repo, cdDeployment(model, repo, { environment: 'staging', ref: other }).id, 'success'),
    );
    await deliver(
      'deployment_status',
      deploymentStatus(model, repo, cdDeployment(model, repo, { environment: 'qa', ref: '1.4.0' }).id, 'success'),
    );
    expect(releaseIssue().body).toBe(body);
  });
});

describe('/rollback', () => {
  async function publish() {
    await tagRelease();
    await say('/approve', 'olivia');
    await say('/deploy staging', 'pat');
    await deliver('deployment_status', deploymentStatus(model, repo, repo.deployments[0]!.id, 'success'));
    await say('/verify staging', 'pat');
    await say('/deploy production', 'pat');
    await deliver('deployment_status', deploymentStatus(model, repo, repo.deployments[1]!.id, 'success'));
    await say('/verify production', 'pat');
    await say('/publish', 'olivia');
    expect(releaseIssue().state).toBe('closed');
  }

  it('after publishing: redeploys the previous commit and records its success on the current issue', async () => {
    setUp();
    await publish();
    await say('/rollback', 'pat');
    expect(lastReply()).toMatch(/rolling production back to 1\.3\.0\. \(deployment \d+ of commit [0-9a-f]{7}/);
    const rollback = repo.deployments[2]!;
    expect(rollback).toMatchObject({
      environment: 'production',
      sha: repo.tags.get('1.3.0')!.sha,
      payload: { version: '1.4.0', tag: '1.3.0', rollback: true, release_issue: releaseIssue().number },
    });
    await deliver('deployment_status', deploymentStatus(model, repo, rollback.id, 'success'));
    expect(stateOf().deployments.production).toMatchObject({ tag: '1.3.0', state: 'success', deploymentId: rollback.id });
    expect(lastReply()).toBe(
      `✅ Rollback of production to 1.3.0 (release 1.4.0) succeeded: https://ci.example.org/deploy/${rollback.id}/log`,
    );
    expect(releaseIssue().body).toContain('| production | 1.3.0 (rollback): success');
    expect(releaseIssue().body).toContain('- [ ] Deployed to production');
  });

  it('a failed rollback is reported on the current issue and to Slack', async () => {
    setUp(`${CONFIG}notify:\n  slack: { webhook-env: TEST_SLACK_ROLLBACK }\n`);
    process.env.TEST_SLACK_ROLLBACK = 'https://hooks.slack.example/services/T1/B1/r';
    const texts: string[] = [];
    nock('https://hooks.slack.example')
      .persist()
      .post('/services/T1/B1/r')
      .reply(200, (_uri, body) => {
        texts.push((body as { text: string }).text);
        return 'ok';
      });
    try {
      await publish();
      await say('/rollback', 'pat');
      const rollback = repo.deployments[2]!;
      await deliver('deployment_status', deploymentStatus(model, repo, rollback.id, 'failure'));
      expect(stateOf().deployments.production).toMatchObject({ tag: '1.3.0', state: 'failure' });
      expect(lastReply()).toContain('❌ Rollback of production to 1.3.0 (release 1.4.0) failed');
      expect(lastReply()).toContain('dbt build failed on model fact_absences');
      expect(texts.some((t) => t.includes('Rollback of production to 1.3.0 (release 1.4.0) failed'))).toBe(true);
      // Slack also heard of the approval, the publishing and the rollback itself.
      expect(texts.some((t) => t.includes('was approved by @olivia'))).toBe(true);
      expect(texts.some((t) => t.includes('was published'))).toBe(true);
      expect(texts.some((t) => t.includes('@pat is rolling production back to 1.3.0'))).toBe(true);
    } finally {
      delete process.env.TEST_SLACK_ROLLBACK;
    }
  });
});

describe('/rollback through the protection rule on production', () => {
  const issueOf = (version: string) => repo.issues.find((i) => i.labels.includes('release') && i.title.includes(version))!;
  const sayOn = (version: string, body: string, login: string) =>
    deliver('issue_comment', commentOn(model, repo, issueOf(version).number, body, login));
  async function shipThroughProduction(version: string) {
    model.push(repo, 'main', { [`models/v${version}.sql`]: 'select 1' }, version);
    model.tag(repo, version, repo.branches.get('main')!);
    await deliver('push', tagPush(repo, version));
    await sayOn(version, '/approve', 'olivia');
    for (const environment of ['staging', 'production']) {
      await sayOn(version, `/deploy ${environment}`, 'pat');
      await deliver('deployment_status', deploymentStatus(model, repo, repo.deployments.at(-1)!.id, 'success'));
      await sayOn(version, `/verify ${environment}`, 'pat');
    }
  }
  const askGate = async (runId: number) => {
    const d = repo.deployments.at(-1)!;
    await deliver('deployment_protection_rule', protectionRule(repo, 'production', d.ref, d.sha, runId, d.payload as object));
    return repo.protectionReviews.find((r) => r.run_id === runId);
  };

  it('lets a rollback through to a release production ran, and not to one it never ran', async () => {
    setUp();
    await shipThroughProduction('1.4.0');
    // 1.3.0 predates Shipshape here: no issue shows it ran in production.
    await sayOn('1.4.0', '/rollback', 'pat');
    expect(await askGate(5001)).toMatchObject({
      state: 'rejected',
      comment: 'Shipshape: no release issue of Shipshape shows 1.3.0 in production, so a rollback to it is not let through.',
    });
    // The rejected deployment ends failed, which frees production.
    await deliver('deployment_status', deploymentStatus(model, repo, repo.deployments.at(-1)!.id, 'failure'));
    await shipThroughProduction('1.5.0');
    await sayOn('1.5.0', '/rollback', 'pat');
    expect(repo.deployments.at(-1)).toMatchObject({ sha: repo.tags.get('1.4.0')!.sha, payload: { tag: '1.4.0', rollback: true } });
    expect(await askGate(5002)).toMatchObject({
      state: 'approved',
      comment: 'Shipshape: rollback to release 1.4.0, which production ran before; production may proceed.',
    });
  });

  it('a deployment that only claims to be a rollback, of a commit that is not that release, is rejected', async () => {
    setUp();
    await shipThroughProduction('1.4.0');
    const other = model.push(repo, 'main', { 'models/sneaky.sql': 'select 4' }, 'not a release');
    await deliver(
      'deployment_protection_rule',
      protectionRule(repo, 'production', other, other, 5003, { version: '1.5.0', tag: '1.4.0', rollback: true }),
    );
    expect(repo.protectionReviews.find((r) => r.run_id === 5003)).toMatchObject({
      state: 'rejected',
      comment: `Shipshape: commit ${other.slice(0, 7)} is not release 1.4.0 (${repo.tags.get('1.4.0')!.sha.slice(0, 7)}).`,
    });
  });
});

describe('the protection rule always answers', () => {
  it('approves where Shipshape is not enabled, and rejects, saying why, where its configuration is invalid', async () => {
    setUp('enabled: false\n');
    await deliver('deployment_protection_rule', protectionRule(repo, 'production', 'main', repo.branches.get('main')!, 6001));
    model.push(repo, 'main', { '.github/shipshape.yml': 'release:\n  environments: production\n' }, 'break the config');
    await deliver('deployment_protection_rule', protectionRule(repo, 'production', 'main', repo.branches.get('main')!, 6002));
    expect(repo.protectionReviews).toMatchObject([
      {
        run_id: 6001,
        state: 'approved',
        comment: 'Shipshape: Shipshape is not enabled in this repository, so it does not gate production.',
      },
      {
        run_id: 6002,
        state: 'rejected',
        comment: expect.stringMatching(/^Shipshape: the configuration is invalid: .*environments.*re-run the deployment\.$/),
      },
    ]);
  });
});

describe('a moved tag', () => {
  it('is refused with a reply naming both commits', async () => {
    setUp();
    await tagRelease();
    const released = repo.tags.get('1.4.0')!.sha;
    const moved = model.push(repo, 'main', { 'models/sneaky.sql': 'select 4' }, 'after the tag');
    model.tag(repo, '1.4.0', moved);
    await say('/deploy staging', 'pat');
    expect(lastReply()).toContain(`the tag 1.4.0 now points at ${moved.slice(0, 7)}, but release 1.4.0 is commit ${released.slice(0, 7)}`);
    expect(repo.deployments).toHaveLength(0);
  });
});

describe('"policy checks green on the tag" follows the checks', () => {
  it('ticks and unticks as check suites complete on the tag commit', async () => {
    setUp();
    await tagRelease();
    const sha = repo.tags.get('1.4.0')!.sha;
    expect(releaseIssue().body).toContain('- [ ] Policy checks green on the tag');
    repo.checkRuns.push({ id: model.id(), name: 'shipshape/policy', head_sha: sha, status: 'completed', conclusion: 'success' });
    await deliver('check_suite', checkSuiteCompleted(repo, sha, 'success'));
    expect(releaseIssue().body).toContain('- [x] Policy checks green on the tag');
    repo.checkRuns.push({ id: model.id(), name: 'ci/dbt-build', head_sha: sha, status: 'completed', conclusion: 'failure' });
    await deliver('check_suite', checkSuiteCompleted(repo, sha, 'failure'));
    expect(releaseIssue().body).toContain('- [ ] Policy checks green on the tag');
    // A check on another commit does not touch the release.
    const body = releaseIssue().body;
    await deliver('check_suite', checkSuiteCompleted(repo, repo.tags.get('1.3.0')!.sha, 'success'));
    expect(releaseIssue().body).toBe(body);
  });
});

describe('assignees', () => {
  it('a team of service owners is assigned by its members; who cannot be assigned is skipped with a note', async () => {
    setUp('tool: store\nrelease:\n  service-owners: ["@css42/owners", zed]\n');
    model.teams.set('css42/owners', new Set(['olivia', 'max', 'eve']));
    await tagRelease();
    expect(releaseIssue().assignees).toEqual(['olivia', 'max']);
    expect(releaseIssue().body).toContain(
      '> **Note:** Not assigned: `eve` (cannot be assigned in this repository), `zed` (cannot be assigned in this repository).',
    );
  });

  it('by default, the repository admins and maintainers', async () => {
    setUp('tool: store\n');
    await tagRelease();
    expect(releaseIssue().assignees.sort()).toEqual(['ada', 'max']);
  });

  it('at most 10, the rest named in the note', async () => {
    setUp('tool: store\nrelease:\n  service-owners: ["@css42/everyone"]\n');
    const people = Array.from({ length: 12 }, (_, i) => `person${i}`);
    for (const p of people) repo.permissions.set(p, 'write');
    model.teams.set('css42/everyone', new Set(people));
    await tagRelease();
    expect(releaseIssue().assignees).toEqual(people.slice(0, 10));
    expect(releaseIssue().body).toContain('`person10` (GitHub assigns at most 10)');
  });
});

describe('release notes', () => {
  it('paginate back to the previous release whatever the count', async () => {
    setUp();
    for (let i = 0; i < 230; i++) {
      const pr = model.openPullRequest(repo, `change-${i}`, { [`models/m${i}.sql`]: 'select 1' });
      pr.pull_request!.merged_at = model.now();
    }
    model.push(repo, 'main', { 'models/all.sql': 'select 230' }, 'merge them all');
    await tagRelease();
    const body = releaseIssue().body;
    const listed = [...body.matchAll(/^- #(\d+) /gm)].length;
    expect(listed).toBe(230);
    expect(model.requests.filter((r) => r.graphql && JSON.stringify(r.body).includes('pullRequests')).length).toBe(3);
  });
});

describe('a release published by hand', () => {
  it('closes the issue, and Slack hears of it; a failing Slack is logged and counted, not fatal', async () => {
    setUp(`${CONFIG}notify:\n  slack: { webhook-env: TEST_SLACK_HAND }\n`);
    process.env.TEST_SLACK_HAND = 'https://hooks.slack.example/services/T1/B1/h';
    const slack = nock('https://hooks.slack.example')
      .post('/services/T1/B1/h', (b) =>
        /Release 1\.4\.0 of store was published on GitHub: https:\/\/github\.com\/css42\/store\/releases\/tag\/1\.4\.0/.test(b.text),
      )
      .reply(500, 'down');
    try {
      await tagRelease();
      repo.releases.push({ id: 1, tag_name: '1.4.0', name: 'by hand', body: '', prerelease: false });
      await deliver('release', releasePublished(repo, '1.4.0'));
      expect(releaseIssue().state).toBe('closed');
      expect(slack.isDone()).toBe(true);
      expect(await registry.getSingleMetricAsString('shipshape_swallowed_errors_total')).toMatch(/where="slack"\} [1-9]/);
    } finally {
      delete process.env.TEST_SLACK_HAND;
    }
  });
});

// nock patches node's http for the whole jest worker: leave it as it was found, for the test files after this one.
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
