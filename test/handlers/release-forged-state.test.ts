/**
 * Forged release state, against the simulator: a body restored from the issue's edit history, a state
 * copied to another release issue, and a rotated key.
 */
import nock from 'nock';
import { redisCoordination } from '../../src/ops/coordination.js';
import { SharedUserBudget } from '../../src/ops/user-budget.js';
import { GitHubModel, type Repo } from '../../sim/model.js';
import { readFixture } from '../helpers/fixtures.js';
import { nockSimulator } from '../helpers/nock-simulator.js';
import { TEST_STATE_SECRET, testProbot } from '../helpers/probot.js';
import { describeWithRedis, redisForBlock } from '../helpers/redis.js';
import { commentOn, protectionRule, tagPush } from '../helpers/release-events.js';

let model: GitHubModel;
let repo: Repo;
let deliver: ReturnType<typeof testProbot>['deliver'];

function setUp() {
  model = new GitHubModel();
  repo = model.addRepo('css42', 'store', {
    ...readFixture('css01.dashboards_store'),
    '.github/shipshape.yml': 'tool: store\nrelease:\n  service-owners: [olivia]\n  platform-maintainers: [pat]\n',
  });
  for (const login of ['olivia', 'pat']) repo.permissions.set(login, 'write');
  nockSimulator(model);
  deliver = testProbot().deliver;
}
const issueOf = (version: string) => repo.issues.find((i) => i.labels.includes('release') && i.title.includes(version))!;
const lastReply = () => repo.comments[repo.comments.length - 1]!.body;
const say = (version: string, body: string, login: string) =>
  deliver('issue_comment', commentOn(model, repo, issueOf(version).number, body, login));
async function tagRelease(tag: string) {
  model.tag(repo, tag, model.push(repo, 'main', { [`models/${tag}.sql`]: 'select 1' }, tag));
  await deliver('push', tagPush(repo, tag));
}

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  expect(model.violations).toEqual([]);
  nock.cleanAll();
});

it('a body restored from the edit history is stale: a /reject cannot be undone that way', async () => {
  setUp();
  await tagRelease('1.4.0');
  await say('1.4.0', '/approve', 'olivia');
  const approvedBody = issueOf('1.4.0').body;
  await say('1.4.0', '/reject the backup is missing', 'olivia');
  issueOf('1.4.0').body = approvedBody; // what "restore this version" in GitHub's edit history does
  await say('1.4.0', '/deploy staging', 'pat');
  expect(lastReply()).toContain('older than the last one Shipshape wrote');
  expect(repo.deployments).toHaveLength(0);
  const sha = repo.tags.get('1.4.0')!.sha;
  await deliver('deployment_protection_rule', protectionRule(repo, 'production', '1.4.0', sha));
  expect(repo.protectionReviews).toEqual([
    expect.objectContaining({ state: 'rejected', comment: expect.stringContaining('older state than Shipshape last wrote') }),
  ]);
  // The revision is recorded on the release's own check run, which only the app can change.
  expect(repo.checkRuns.filter((r) => r.name === 'shipshape/release')).toEqual([
    expect.objectContaining({ head_sha: sha, external_id: `release-state:${issueOf('1.4.0').number}:3` }),
  ]);
});

it("a state copied into another release's issue does not verify", async () => {
  setUp();
  await tagRelease('1.4.0');
  await say('1.4.0', '/approve', 'olivia');
  await tagRelease('1.5.0');
  issueOf('1.5.0').body = issueOf('1.4.0').body;
  await say('1.5.0', '/deploy staging', 'pat');
  expect(lastReply()).toContain('edited by hand');
  expect(repo.deployments).toHaveLength(0);
});

it('a rotated key (new key first in STATE_SECRETS) keeps open releases working and re-signs with the new key', async () => {
  setUp();
  await tagRelease('1.4.0');
  deliver = testProbot(['rotated-key', TEST_STATE_SECRET]).deliver;
  await say('1.4.0', '/approve', 'olivia');
  expect(lastReply()).toBe('@olivia approved release 1.4.0.');
  deliver = testProbot(['rotated-key']).deliver;
  await say('1.4.0', '/deploy staging', 'pat');
  expect(lastReply()).toContain('deploying 1.4.0 to staging');
});

describe('commands where no one gave one', () => {
  it('commands shown in code, quotes, lists or HTML comments do nothing', async () => {
    setUp();
    await tagRelease('1.4.0');
    const replies = repo.comments.length;
    for (const body of [
      '```\n/approve\n```',
      '    /approve',
      '> /approve',
      '<!--\n/approve\n-->',
      'x <!--\n/approve\n--> y',
      '- /approve',
      '````\n```\n/approve\n```\n````',
    ])
      await say('1.4.0', body, 'olivia');
    expect(repo.comments.length).toBe(replies + 7);
    expect(repo.reactions).toEqual([]);
    expect(issueOf('1.4.0').body).not.toContain('approved by');
  });

  it('users without any role get one 👎 per comment, no reply, and at most 5 an hour', async () => {
    setUp();
    await tagRelease('1.4.0');
    repo.issues.push({
      number: 50,
      title: 'An ordinary issue',
      body: '',
      state: 'open',
      labels: [],
      assignees: [],
      user: 'mallory',
      created_at: model.now(),
    });
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) {
      const status = commentOn(model, repo, issueOf('1.4.0').number, '/status', 'mallory');
      const release = commentOn(model, repo, 50, '/release major', 'mallory');
      await deliver('issue_comment', status);
      await deliver('issue_comment', release);
      ids.push(status.comment.id, release.comment.id);
    }
    expect(repo.comments.filter((c) => c.user === 'shipshape[bot]')).toEqual([]);
    expect(repo.reactions.map((r) => [r.comment, r.content])).toEqual(ids.slice(0, 5).map((id) => [id, '-1']));
    expect(repo.tags.has('2.0.0')).toBe(false);
  });
});

describeWithRedis('users without any role, with REDIS_URL', () => {
  const { connect } = redisForBlock();

  it('get at most 5 👎 an hour from all replicas together, not 5 from each', async () => {
    setUp();
    await tagRelease('1.4.0');
    const replica = () => testProbot(undefined, { noRoleBudget: new SharedUserBudget(redisCoordination(connect())) }).deliver;
    const replicas = [replica(), replica()];
    const ids: number[] = [];
    for (let i = 0; i < 8; i++) {
      const status = commentOn(model, repo, issueOf('1.4.0').number, '/status', 'mallory');
      await replicas[i % 2]!('issue_comment', status);
      ids.push(status.comment.id);
    }
    expect(repo.comments.filter((c) => c.user === 'shipshape[bot]')).toEqual([]);
    expect(repo.reactions.map((r) => [r.comment, r.content])).toEqual(ids.slice(0, 5).map((id) => [id, '-1']));
  });
});

// nock patches node's http for the whole jest worker: leave it as it was found, for the test files after this one.
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
