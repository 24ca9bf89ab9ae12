/**
 * Pipelines across repositories through the real app: a completed workflow run starts the next step,
 * a failure stops the chain with one issue, a success closes it; redeliveries start nothing twice; a
 * bad org config is a finding on the .github repository's check; `/pipeline status` answers. GitHub is
 * the simulator (requests checked against GitHub's OpenAPI description and GraphQL schema) via nock.
 */
import nock from 'nock';
import { GitHubModel, type Repo, type WorkflowRun } from '../../sim/model.js';
import { example, forRepo } from '../helpers/examples.js';
import { nockSimulator } from '../helpers/nock-simulator.js';
import { openIssue, workflowRunEvent } from '../helpers/pipeline-events.js';
import { testProbot } from '../helpers/probot.js';
import { commentOn, pullRequestEvent } from '../helpers/release-events.js';

const ORG = 'dssquad';
// Pipelines last, so a test can append one.
const PIPELINES = `notify:
  slack: { webhook-env: PIPELINE_SLACK_URL }
pipelines:
  daily-forecast:
    - { repository: dssquad-datakit, workflow: collect.yml }
    - { repository: dssquad-ml, workflow: retrain.yml, inputs: { source: "{{upstream.sha}}", upstream: "{{upstream.run_url}}" } }
    - { repository: dssquad-app, workflow: deploy.yml }
`;
const COLLECT = 'name: Collect\non:\n  schedule: [{ cron: "0 3 * * *" }]\n  workflow_dispatch:\njobs: {}\n';
const RETRAIN =
  'name: Retrain\non:\n  workflow_dispatch:\n    inputs:\n      source: { required: true }\n      upstream: { required: false }\njobs: {}\n';
const DEPLOY = 'name: Deploy\non: [workflow_dispatch]\njobs: {}\n';

let model: GitHubModel;
let org: Repo;
let datakit: Repo;
let ml: Repo;
let app: Repo;
let deliver: ReturnType<typeof testProbot>['deliver'];
let slack: string[];

function setUp(options: { config?: string; retrain?: string; mlInstalled?: boolean } = {}) {
  model = new GitHubModel();
  org = model.addRepo(ORG, '.github', { '.github/shipshape.yml': options.config ?? PIPELINES, 'README.md': '# org' });
  datakit = model.addRepo(ORG, 'dssquad-datakit', { '.github/workflows/collect.yml': COLLECT });
  ml = model.addRepo(
    ORG,
    'dssquad-ml',
    { '.github/workflows/retrain.yml': options.retrain ?? RETRAIN },
    { installed: options.mlInstalled ?? true },
  );
  app = model.addRepo(ORG, 'dssquad-app', { '.github/workflows/deploy.yml': DEPLOY }, { defaultBranch: 'trunk' });
  nockSimulator(model);
  slack = [];
  process.env.PIPELINE_SLACK_URL = 'https://hooks.slack.test/services/T0/B0/x';
  nock('https://hooks.slack.test')
    .persist()
    .post('/services/T0/B0/x')
    .reply(200, (_uri, body) => {
      slack.push((body as { text: string }).text);
      return 'ok';
    });
  deliver = testProbot().deliver;
}

/** Run a step's workflow to its end and tell the app, as GitHub does. */
async function finish(repo: Repo, run: WorkflowRun, conclusion: 'success' | 'failure' | 'cancelled') {
  model.completeRun(run, conclusion);
  const payload = workflowRunEvent(model, repo, run);
  await deliver('workflow_run', payload);
  return payload;
}
const scheduled = (repo: Repo, file: string) => model.startRun(repo, file, { event: 'schedule' });
const lastRunOf = (repo: Repo) => repo.runs[repo.runs.length - 1]!;
const stopIssues = (repo: Repo) => repo.issues.filter((i) => i.labels.includes('pipeline'));
const commentsOn = (repo: Repo, issue: number) => repo.comments.filter((c) => c.issue === issue).map((c) => c.body);

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  expect(model.violations).toEqual([]);
  nock.cleanAll();
  delete process.env.PIPELINE_SLACK_URL;
});

describe('a pipeline that succeeds', () => {
  it('chains datakit → ml → app, each on its default branch with the upstream run templated into declared inputs', async () => {
    setUp();
    const collect = scheduled(datakit, 'collect.yml');
    await finish(datakit, collect, 'success');
    expect(ml.dispatches).toEqual([
      {
        workflow: 'retrain.yml',
        ref: 'main',
        inputs: { source: collect.head_sha, upstream: `https://github.com/${ORG}/dssquad-datakit/actions/runs/${collect.id}` },
        runId: lastRunOf(ml).id,
      },
    ]);
    const retrain = lastRunOf(ml);
    expect(retrain).toMatchObject({ event: 'workflow_dispatch', head_branch: 'main', status: 'queued' });
    // The record on the upstream commit links to the run it started.
    // Never red: the record's conclusions are all passing ones, so it holds up nothing that waits for checks.
    expect(datakit.checkRuns).toMatchObject([
      {
        name: 'shipshape/pipeline: daily-forecast',
        head_sha: collect.head_sha,
        external_id: `${collect.id}/1`,
        status: 'completed',
        conclusion: 'success',
        details_url: `https://github.com/${ORG}/dssquad-ml/actions/runs/${retrain.id}`,
      },
    ]);

    await finish(ml, retrain, 'success');
    expect(app.dispatches).toEqual([{ workflow: 'deploy.yml', ref: 'trunk', inputs: {}, runId: lastRunOf(app).id }]);
    await finish(app, lastRunOf(app), 'success');
    expect(model.requests.filter((r) => r.path.endsWith('/dispatches'))).toHaveLength(2);
    // The last step's success: the org config (GraphQL) and the stop-issue lookup, nothing else.
    expect(model.requests.slice(-2).map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /graphql',
      'GET /repos/dssquad/dssquad-app/issues',
    ]);
    expect([datakit, ml, app].flatMap(stopIssues)).toEqual([]);
    expect(slack).toEqual([]);
  });

  it('ignores runs of other workflows, of other branches and of pull requests', async () => {
    setUp();
    model.push(datakit, 'feature', { 'x.txt': 'x' });
    await finish(datakit, model.startRun(datakit, 'collect.yml', { branch: 'feature', event: 'push' }), 'success');
    const onPr = model.startRun(datakit, 'collect.yml', { event: 'pull_request' });
    await finish(datakit, onPr, 'success');
    // Runs of pull requests and other branches cost no request at all.
    expect(model.requests).toEqual([]);
    model.push(datakit, 'main', { '.github/workflows/lint.yml': 'on: push\n' });
    const before = model.requests.length;
    await finish(datakit, model.startRun(datakit, 'lint.yml', { event: 'push' }), 'failure');
    // A workflow that is no step costs one request: the org config.
    expect(model.requests.length - before).toBe(1);
    await finish(datakit, model.startRun(datakit, 'collect.yml'), 'cancelled');
    expect(model.requests.length - before).toBe(1);
    expect(ml.dispatches).toEqual([]);
    expect(stopIssues(datakit)).toEqual([]);
  });
});

describe('exactly once under redelivery', () => {
  it('a redelivered workflow_run, on this replica or another, starts nothing twice', async () => {
    setUp();
    const collect = scheduled(datakit, 'collect.yml');
    const payload = await finish(datakit, collect, 'success');
    await deliver('workflow_run', payload);
    // Another replica (a fresh app with no memory) reads the record on the upstream commit.
    await testProbot().deliver('workflow_run', payload);
    expect(ml.dispatches).toHaveLength(1);
    expect(ml.runs).toHaveLength(1);
  });

  it('a record left claimed by an attempt that died before dispatching is not started again (at most once)', async () => {
    setUp();
    const collect = scheduled(datakit, 'collect.yml');
    datakit.checkRuns.push({
      id: model.id(),
      name: 'shipshape/pipeline: daily-forecast',
      head_sha: collect.head_sha,
      status: 'completed',
      conclusion: 'neutral',
      external_id: `${collect.id}/1`,
    });
    await finish(datakit, collect, 'success');
    expect(ml.dispatches).toEqual([]);
  });

  it('a re-run of the upstream workflow (a new attempt) starts the next step again', async () => {
    setUp();
    const collect = scheduled(datakit, 'collect.yml');
    await finish(datakit, collect, 'success');
    collect.run_attempt = 2;
    await finish(datakit, collect, 'success');
    expect(ml.dispatches).toHaveLength(2);
  });
});

describe('a failed step stops the chain', () => {
  it('opens one issue in the failed repository, updates it on the next failure, closes it on recovery, with Slack', async () => {
    setUp();
    await finish(datakit, scheduled(datakit, 'collect.yml'), 'success');
    const failed = lastRunOf(ml);
    await finish(ml, failed, 'failure');
    expect(app.dispatches).toEqual([]);
    const [issue] = stopIssues(ml);
    expect(issue).toMatchObject({ title: 'Pipeline daily-forecast stopped at dssquad-ml', state: 'open' });
    expect(issue!.body).toContain(`**Why:** the run https://github.com/${ORG}/dssquad-ml/actions/runs/${failed.id} ended \`failure\``);
    expect(issue!.body).toContain('2. dssquad-ml `retrain.yml` ← stopped here');
    expect(slack).toEqual([expect.stringMatching(/^:x: Pipeline daily-forecast stopped at dssquad-ml \(retrain\.yml\): /)]);

    // Failing again (say, the next night's dispatch): the same issue is updated, not a second one.
    await finish(datakit, scheduled(datakit, 'collect.yml'), 'success');
    const again = lastRunOf(ml);
    await finish(ml, again, 'failure');
    expect(stopIssues(ml)).toHaveLength(1);
    expect(commentsOn(ml, issue!.number)).toEqual([
      expect.stringContaining(`Still stopped: the run https://github.com/${ORG}/dssquad-ml/actions/runs/${again.id} ended \`failure\``),
    ]);

    // The step succeeds (someone re-ran it): the issue closes and the chain goes on.
    const fixed = model.startRun(ml, 'retrain.yml', { event: 'workflow_dispatch' });
    await finish(ml, fixed, 'success');
    expect(stopIssues(ml)).toMatchObject([{ state: 'closed', state_reason: 'completed' }]);
    expect(commentsOn(ml, issue!.number)[1]).toBe(
      `Recovered: https://github.com/${ORG}/dssquad-ml/actions/runs/${fixed.id} succeeded, and the chain goes on to dssquad-app. Closing.`,
    );
    expect(app.dispatches).toHaveLength(1);
    expect(slack).toHaveLength(3);
    expect(slack[2]).toMatch(/^:white_check_mark: Pipeline daily-forecast recovered at dssquad-ml/);

    // A later failure opens a new issue: the closed one stays closed.
    await finish(ml, model.startRun(ml, 'retrain.yml', { event: 'workflow_dispatch' }), 'failure');
    expect(stopIssues(ml).map((i) => i.state)).toEqual(['closed', 'open']);
  });
});

describe('a next step that cannot be started', () => {
  it('missing installation on the downstream repository: a clear error in the upstream issue', async () => {
    setUp({ mlInstalled: false });
    const collect = scheduled(datakit, 'collect.yml');
    await finish(datakit, collect, 'success');
    expect(ml.dispatches).toEqual([]);
    const [issue] = stopIssues(datakit);
    expect(issue!.title).toBe('Pipeline daily-forecast stopped at dssquad-datakit');
    expect(issue!.body).toContain(
      "cannot start the next step, dssquad-ml/retrain.yml: repository `dssquad/dssquad-ml` does not exist or Shipshape is not installed on it; add it to the app's installation (https://github.com/organizations/dssquad/settings/installations)",
    );
    // Once the app is installed there, the next success starts the step and closes the issue.
    ml.installed = true;
    await finish(datakit, scheduled(datakit, 'collect.yml'), 'success');
    expect(ml.dispatches).toHaveLength(1);
    expect(stopIssues(datakit)).toMatchObject([{ state: 'closed' }]);
  });

  it('a downstream workflow without workflow_dispatch stops the chain at the upstream step', async () => {
    setUp({ retrain: 'on: push\njobs: {}\n' });
    await finish(datakit, scheduled(datakit, 'collect.yml'), 'success');
    expect(ml.dispatches).toEqual([]);
    expect(stopIssues(datakit)[0]!.body).toContain(
      '`dssquad-ml/.github/workflows/retrain.yml` has no `on: workflow_dispatch`, so Shipshape cannot start it',
    );
  });

  it('a cyclic config is not run', async () => {
    setUp({
      config: `${PIPELINES}  back:\n    - { repository: dssquad-app, workflow: deploy.yml }\n    - { repository: dssquad-datakit, workflow: collect.yml }\n`,
    });
    await finish(datakit, scheduled(datakit, 'collect.yml'), 'success');
    expect(ml.dispatches).toEqual([]);
    expect(stopIssues(datakit)[0]!.body).toContain(
      "the pipeline's configuration is invalid: pipelines `daily-forecast`, `back` form a cycle",
    );
  });
});

describe('the org config check', () => {
  const pushTo = (repo: Repo) => {
    const p = forRepo(example('push'), repo.owner, repo.name);
    const sha = repo.branches.get('main')!;
    return Object.assign(p, { ref: 'refs/heads/main', after: sha, before: '0'.repeat(39) + '1', created: false, deleted: false });
  };

  it('pipelines in a repository’s own file are a warning on its line: they are read from the org file only', async () => {
    setUp();
    model.push(ml, 'main', {
      '.github/shipshape.yml':
        'rules: { required-files: off }\npipelines:\n  mine:\n    - { repository: dssquad-ml, workflow: retrain.yml }\n',
    });
    await deliver('push', pushTo(ml));
    const check = ml.checkRuns.find((c) => c.name === 'shipshape/policy')!;
    const annotations = check.output!.annotations as Array<{ start_line: number; annotation_level: string; message: string }>;
    expect(annotations.filter((a) => a.message.includes('pipelines')).map((a) => [a.start_line, a.annotation_level, a.message])).toEqual([
      [2, 'warning', "`pipelines:` is read only from dssquad/.github's `.github/shipshape.yml`; here it has no effect: move it there"],
    ]);
  });

  it('a push to .github that breaks a pipeline fails its check, naming the step and line', async () => {
    setUp({ retrain: 'on:\n  workflow_dispatch:\n    inputs: { dataset: { required: true } }\n', mlInstalled: true });
    model.push(org, 'main', {
      '.github/shipshape.yml': `${PIPELINES}  weekly:\n    - { repository: dssquad-datakit, workflow: collect.yml }\n    - { repository: dssquad-warehouse, workflow: load.yml }\n`,
    });
    await deliver('push', pushTo(org));
    const check = org.checkRuns.find((c) => c.name === 'shipshape/policy')!;
    expect(check.conclusion).toBe('failure');
    const lines = (check.output!.annotations as Array<{ start_line: number; message: string }>)
      .filter((a) => a.message.includes('pipeline'))
      .map((a) => `${a.start_line}: ${a.message}`);
    expect(lines).toEqual([
      expect.stringMatching(
        /^6: pipeline `daily-forecast` step 2: `dssquad-ml\/\.github\/workflows\/retrain\.yml` declares no input `source` \(it declares `dataset`\)/,
      ),
      expect.stringMatching(
        /^6: pipeline `daily-forecast` step 2: `dssquad-ml\/\.github\/workflows\/retrain\.yml` declares no input `upstream`/,
      ),
      expect.stringMatching(
        /^6: pipeline `daily-forecast` step 2: `dssquad-ml\/\.github\/workflows\/retrain\.yml` requires input `dataset`, which this step does not give/,
      ),
      expect.stringMatching(
        /^10: pipeline `weekly` step 2: repository `dssquad\/dssquad-warehouse` does not exist or Shipshape is not installed on it/,
      ),
    ]);
  });

  it('a pull request on .github is judged on the pipelines it proposes', async () => {
    setUp();
    const pr = model.openPullRequest(org, 'add-weekly', {
      '.github/shipshape.yml': `${PIPELINES}  weekly:\n    - { repository: dssquad-app, workflow: deploy.yml }\n    - { repository: dssquad-datakit, workflow: collect.yml, inputs: { when: "{{upstream.date}}" } }\n`,
    });
    await deliver('pull_request', pullRequestEvent(org, pr.number, 'opened'));
    const check = org.checkRuns.find((c) => c.name === 'shipshape/policy' && c.head_sha === pr.pull_request!.head)!;
    expect(check.conclusion).toBe('failure');
    expect(
      (check.output!.annotations as Array<{ start_line: number; message: string }>)
        .filter((a) => a.message.includes('pipeline'))
        .map((a) => `${a.start_line}: ${a.message}`),
    ).toEqual([
      '10: pipeline `weekly` step 2: input `when`: `{{upstream.date}}` is not a template field; use `{{upstream.repository}}`, `{{upstream.sha}}`, `{{upstream.run_id}}`, `{{upstream.run_url}}`',
      '4: pipeline `daily-forecast`: pipelines `daily-forecast`, `weekly` form a cycle: dssquad-datakit/collect.yml → dssquad-ml/retrain.yml → dssquad-app/deploy.yml → dssquad-datakit/collect.yml; a step may not lead back to itself',
      '10: pipeline `weekly` step 2: `dssquad-datakit/.github/workflows/collect.yml` declares no input `when` (it declares no inputs); GitHub would refuse the dispatch',
    ]);
  });

  it('a valid pipelines section adds no finding', async () => {
    setUp();
    await deliver('push', pushTo(org));
    const check = org.checkRuns.find((c) => c.name === 'shipshape/policy')!;
    expect((check.output!.annotations as Array<{ message: string }>).filter((a) => a.message.includes('pipeline'))).toEqual([]);
  });
});

describe('/pipeline status', () => {
  it('answers in any issue of a pipeline repository with each step’s last run, once', async () => {
    setUp();
    const collect = scheduled(datakit, 'collect.yml');
    await finish(datakit, collect, 'success');
    await finish(ml, lastRunOf(ml), 'failure');
    const issue = openIssue(model, app, 'Dashboard looks stale');
    const payload = commentOn(model, app, issue.number, '/pipeline status daily-forecast', 'ana');
    await deliver('issue_comment', payload);
    await deliver('issue_comment', payload);
    const replies = app.comments.filter((c) => c.user === 'shipshape[bot]');
    expect(replies).toHaveLength(1);
    const reply = replies[0]!.body;
    expect(reply).toContain('@ana Pipeline **daily-forecast**, each step’s last run:'.replace('’', "'"));
    expect(reply).toContain(`1. dssquad-datakit \`collect.yml\`: ✅ success`);
    expect(reply).toContain(`(https://github.com/${ORG}/dssquad-datakit/actions/runs/${collect.id})`);
    expect(reply).toContain('2. dssquad-ml `retrain.yml`: ❌ failure');
    expect(reply).toContain('3. dssquad-app `deploy.yml`: no run yet');
    expect(reply).toContain(`Stopped at dssquad-ml: https://github.com/${ORG}/dssquad-ml/issues/1`);
    expect(app.reactions.filter((r) => r.comment === payload.comment.id).map((r) => r.content)).toEqual(['rocket']);
  });

  it('refuses an unknown pipeline, a repository outside it and a bad usage, saying why', async () => {
    setUp({ config: `${PIPELINES}  other:\n    - { repository: dssquad-app, workflow: deploy.yml }\n` });
    const say = async (repo: Repo, body: string) => {
      const payload = commentOn(model, repo, openIssue(model, repo, 'q').number, body, 'ana');
      await deliver('issue_comment', payload);
      return repo.comments[repo.comments.length - 1]!.body.replace(/\n\n<!--.*-->$/, '');
    };
    expect(await say(app, '/pipeline status nightly')).toBe(
      '@ana there is no pipeline `nightly`; the pipelines are `daily-forecast`, `other`.',
    );
    expect(await say(datakit, '/pipeline status other')).toBe(
      '@ana dssquad-datakit is not a step of pipeline `other`; ask in one of its repositories (dssquad-app).',
    );
    expect(await say(app, '/pipeline')).toBe('@ana usage: `/pipeline status <name>`.');
  });
});

// nock patches node's http for the whole jest worker: leave it as it was found, for the test files after this one.
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
