/**
 * Every trigger of the policy check judges a pull request by its base's policy, forks included: GitHub's
 * check_suite / check_run payloads list no pull request for a fork, and a head that switches every rule
 * off must not turn a failure into a success on Re-run. With no pull request at all, the default branch's
 * policy judges.
 */
import nock from 'nock';
import { GitHubModel, type Repo } from '../../sim/model.js';
import { example, forRepo } from '../helpers/examples.js';
import { nockSimulator } from '../helpers/nock-simulator.js';
import { testProbot } from '../helpers/probot.js';
import { commentOn, pullRequestEvent } from '../helpers/release-events.js';

beforeEach(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const STORE = {
  '.github/shipshape.yml': 'rules:\n  actions-pinned: off\n',
  'packages.yml': 'packages:\n  - git: "https://github.com/acme/utils.git"\n    revision: develop\n',
  Dockerfile: 'FROM python:3.11.9-slim\n',
  'README.md': '# store\n',
  '.github/workflows/ci.yml': 'on: { schedule: [{ cron: "0 5 * * *" }] }\njobs: {}\n',
};
const ALL_OFF = [
  'dbt-packages-pinned',
  'core-pinned',
  'dockerfile-pinned',
  'actions-pinned',
  'python-pinned',
  'dashboards-versioned',
  'required-files',
  'no-plaintext-secrets',
];
const RELAXED = `rules:\n${ALL_OFF.map((r) => `  ${r}: off\n`).join('')}`;

function setup() {
  const model = new GitHubModel();
  const repo = model.addRepo('css42', 'store', STORE);
  // A fork's pull request whose head switches every rule off.
  const pr = model.openPullRequest(repo, 'relax', { '.github/shipshape.yml': RELAXED }, 'mallory');
  pr.pull_request!.fork = 'mallory/store';
  nockSimulator(model);
  return { model, repo, pr, head: pr.pull_request!.head };
}

const runsOn = (repo: Repo, sha: string) => repo.checkRuns.filter((r) => r.head_sha === sha && r.name === 'shipshape/policy');

function rerequested(event: 'check_suite' | 'check_run', repo: Repo, headSha: string) {
  const payload = forRepo(example(event, 'rerequested'), repo.owner, repo.name);
  payload.repository.default_branch = repo.defaultBranch;
  const target = event === 'check_suite' ? payload.check_suite : payload.check_run;
  Object.assign(target, { head_sha: headSha, pull_requests: [] }, event === 'check_run' ? { name: 'shipshape/policy' } : {});
  return payload;
}

describe.each(['check_suite', 'check_run'] as const)('Re-run through %s.rerequested', (event) => {
  it("judges a fork's pull request by its base, not by the head's relaxed shipshape.yml", async () => {
    const { model, repo, head } = setup();
    await testProbot().deliver(event, rerequested(event, repo, head));
    const [run] = runsOn(repo, head);
    expect(run?.conclusion).toBe('failure');
    expect(run?.output?.summary).toMatch(/develop/);
    expect(model.violations).toEqual([]);
  });

  it('judges a commit that no pull request holds by the default branch', async () => {
    const { model, repo } = setup();
    const sha = model.push(repo, 'wip', { '.github/shipshape.yml': RELAXED });
    await testProbot().deliver(event, rerequested(event, repo, sha));
    expect(runsOn(repo, sha)[0]?.conclusion).toBe('failure');
  });
});

it("the pull_request event judges a fork's pull request by its base", async () => {
  const { repo, pr, head } = setup();
  await testProbot().deliver('pull_request', pullRequestEvent(repo, pr.number, 'opened'));
  expect(runsOn(repo, head)[0]?.conclusion).toBe('failure');
});

it("/recheck judges a fork's pull request by its base, and repeated comments queue one recheck", async () => {
  const { model, repo, pr, head } = setup();
  const comment = () => {
    const payload = commentOn(model, repo, pr.number, '/recheck', 'mallory');
    payload.issue.pull_request = { url: 'x' };
    return payload;
  };
  const { probot, shipshape } = testProbot();
  // Five comments delivered before the queue runs: one runs, at most one more waits.
  await Promise.all(
    [1, 2, 3, 4, 5].map(() => probot.receive({ id: `${Math.random()}`, name: 'issue_comment', payload: comment() } as never)),
  );
  await shipshape.queue.idle();
  const runs = runsOn(repo, head);
  expect(runs.length).toBeGreaterThanOrEqual(1);
  expect(runs.length).toBeLessThanOrEqual(2);
  expect(runs.every((r) => r.conclusion === 'failure')).toBe(true);
});

// nock patches node's http for the whole jest worker: leave it as it was found, for the test files after this one.
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
