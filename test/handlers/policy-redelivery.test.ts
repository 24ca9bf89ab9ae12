/**
 * A pull-request event redelivered after its check completed posts nothing new: GitHub's record of the
 * completed `shipshape/policy` run decides, so this holds across replicas and restarts (a fresh app each time).
 */
import nock from 'nock';
import { GitHubModel } from '../../sim/model.js';
import { readFixture } from '../helpers/fixtures.js';
import { nockSimulator } from '../helpers/nock-simulator.js';
import { testProbot } from '../helpers/probot.js';
import { pullRequestEvent } from '../helpers/release-events.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

it('a third redelivery of a completed pull_request event adds no check run', async () => {
  const model = new GitHubModel();
  const repo = model.addRepo('css42', 'store', readFixture('css01.dashboards_store'));
  const pr = model.openPullRequest(repo, 'docs', { 'README.md': '# store\n' });
  nockSimulator(model);
  const payload = pullRequestEvent(repo, pr.number, 'opened');
  for (let delivery = 0; delivery < 3; delivery++) await testProbot().deliver('pull_request', payload, 'same-delivery-guid');
  expect(repo.checkRuns.filter((r) => r.head_sha === pr.pull_request!.head)).toHaveLength(1);
  expect(model.violations).toEqual([]);
  // A new head is checked as usual.
  pr.pull_request!.head = model.push(repo, 'docs', { 'README.md': '# store, again\n' });
  await testProbot().deliver('pull_request', pullRequestEvent(repo, pr.number, 'synchronize'));
  expect(repo.checkRuns).toHaveLength(2);
});

it('a new event on a checked head is checked again: a reopened pull request, or another one into a base with another policy', async () => {
  const model = new GitHubModel();
  const repo = model.addRepo('css42', 'store', readFixture('css01.dashboards_store'));
  const pr = model.openPullRequest(repo, 'docs', { 'README.md': '# store\n' });
  nockSimulator(model);
  await testProbot().deliver('pull_request', pullRequestEvent(repo, pr.number, 'opened'), 'opened-guid');
  // The base's policy changes while the pull request is closed (every rule off), then it is reopened.
  model.push(repo, 'main', { '.github/shipshape.yml': 'enabled: false\n' });
  pr.pull_request!.base = repo.branches.get('main')!;
  await testProbot().deliver('pull_request', pullRequestEvent(repo, pr.number, 'reopened'), 'reopened-guid');
  const runs = repo.checkRuns.filter((r) => r.head_sha === pr.pull_request!.head);
  expect(runs.map((r) => r.external_id)).toEqual(['delivery:opened-guid']);
  // Re-enabled with the check off: the reopened event is judged by the new policy, not the old verdict.
  model.push(repo, 'main', { '.github/shipshape.yml': 'rules: { required-files: off, dbt-packages-pinned: off }\n' });
  pr.pull_request!.base = repo.branches.get('main')!;
  await testProbot().deliver('pull_request', pullRequestEvent(repo, pr.number, 'reopened'), 'reopened-again-guid');
  expect(repo.checkRuns.filter((r) => r.head_sha === pr.pull_request!.head).map((r) => r.external_id)).toEqual([
    'delivery:opened-guid',
    'delivery:reopened-again-guid',
  ]);
  expect(model.violations).toEqual([]);
});

// nock patches node's http for the whole jest worker: leave it as it was found, for the test files after this one.
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
