/**
 * Policy handler tests: real payload shapes, the real app, GitHub played by the simulator through nock
 * (every request checked against GitHub's OpenAPI description and GraphQL schema); requests are counted.
 */
import nock from 'nock';
import { GitHubModel, type Issue, type Repo } from '../../sim/model.js';
import { example, forRepo } from '../helpers/examples.js';
import { readFixture } from '../helpers/fixtures.js';
import { nockSimulator } from '../helpers/nock-simulator.js';
import { testProbot } from '../helpers/probot.js';
import { pullRequestEvent } from '../helpers/release-events.js';

const OWNER = 'css01';
const REPO = 'css01.dashboards_store';
const CORE_TAGS = ['v0.6.0+20230601', 'v0.7.0+20230926', 'v0.8.0+20231115'];

let model: GitHubModel;
let repo: Repo;

const store = (overrides: Record<string, string | undefined> = {}): Record<string, string> => {
  const files: Record<string, string | undefined> = { ...readFixture('css01.dashboards_store'), ...overrides };
  return Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => e[1] !== undefined));
};

/** The store on its default branch, the core repository with its releases and branches, and GitHub answering through nock. */
function setUp(files: Record<string, string>, options: { orgConfig?: string } = {}) {
  model = new GitHubModel();
  repo = model.addRepo(OWNER, REPO, files);
  const core = model.addRepo('Sciance-Inc', 'core.dashboards_store', { 'dbt_project.yml': 'name: core_dashboards_store\n' });
  for (const tag of CORE_TAGS) model.tag(core, tag, model.push(core, 'main', { VERSION: tag }, `release ${tag}`));
  core.branches.set('develop', core.branches.get('main')!);
  if (options.orgConfig !== undefined) model.addRepo(OWNER, '.github', { '.github/shipshape.yml': options.orgConfig });
  nockSimulator(model);
}

/** A pull request whose head changes `changes` (undefined deletes) on top of the default branch. */
function openPr(changes: Record<string, string | undefined> = { 'models/marts/m.sql': 'select 1' }): Issue {
  return model.openPullRequest(repo, `b${repo.issues.length + 1}`, changes);
}
const prEvent = (pr: Issue, action = 'opened') => pullRequestEvent(repo, pr.number, action);
const runs = () => repo.checkRuns.filter((r) => r.name === 'shipshape/policy');
const annotationsOf = (run: Repo['checkRuns'][number]) => run.output!.annotations as Array<Record<string, any>>;
const appRequests = (from = 0) => model.requests.slice(from).map((r) => `${r.method} ${r.path.split('?')[0]}`);

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  expect(model.violations).toEqual([]);
  nock.cleanAll();
});

describe('pull_request', () => {
  it('a store that follows the policy gets a green check in 3 requests: two GraphQL reads and the check-run write', async () => {
    setUp(store());
    const pr = openPr();
    await testProbot().deliver('pull_request', prEvent(pr));
    expect(runs()).toHaveLength(1);
    expect(runs()[0]).toMatchObject({
      name: 'shipshape/policy',
      head_sha: pr.pull_request!.head,
      status: 'completed',
      conclusion: 'success',
    });
    expect(runs()[0]!.output!.summary).toContain('| ✅ | `core-pinned` | error | 0 |');
    expect(appRequests()).toEqual(['POST /graphql', 'POST /graphql', `POST /repos/${OWNER}/${REPO}/check-runs`]);
  });

  it('a redelivered event (same delivery id) for a head already checked posts nothing, for one read (the first read asks GitHub)', async () => {
    setUp(store());
    const pr = openPr();
    await testProbot().deliver('pull_request', prEvent(pr), 'delivery-1');
    const before = model.requests.length;
    await testProbot().deliver('pull_request', prEvent(pr), 'delivery-1');
    expect(runs()).toHaveLength(1);
    expect(appRequests(before)).toEqual(['POST /graphql']);
  });

  it('3 requests for a pull request of 100 changed files too, git refs and core tags resolved on the way', async () => {
    setUp(
      store({
        'packages.yml':
          'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: v0.7.0+20230926\n  - git: "https://github.com/Sciance-Inc/core.dashboards_store.git"\n    revision: develop\n',
      }),
    );
    const pr = openPr(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`models/marts/m_${i}.sql`, `select ${i}`])));
    await testProbot().deliver('pull_request', prEvent(pr));
    expect(appRequests()).toEqual(['POST /graphql', 'POST /graphql', `POST /repos/${OWNER}/${REPO}/check-runs`]);
    // develop was resolved online as a branch of the core; the tag list made v0.7.0 one release behind (allowed).
    expect(annotationsOf(runs()[0]!).map((a) => `${a.start_line}:${a.title}`)).toEqual(['5:core-pinned', '5:dbt-packages-pinned']);
    expect(annotationsOf(runs()[0]!)[0]!.message).toContain('is on branch `develop`');
  });

  it('git refs in a packages file below the root take one more read', async () => {
    setUp(store({ 'transform/packages.yml': 'packages:\n  - git: "https://github.com/dbt-labs/dbt-utils.git"\n    revision: main\n' }));
    model.addRepo('dbt-labs', 'dbt-utils', { 'README.md': '' });
    await testProbot().deliver('pull_request', prEvent(openPr()));
    expect(appRequests()).toEqual(['POST /graphql', 'POST /graphql', 'POST /graphql', `POST /repos/${OWNER}/${REPO}/check-runs`]);
    expect(annotationsOf(runs()[0]!)[0]!.message).toMatch(/dbt-labs\/dbt-utils` is pinned to branch `main`/);
  });

  it('a core on a branch fails with annotations on the exact lines', async () => {
    setUp(store());
    const pr = openPr({
      'packages.yml': 'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: main\n',
      Dockerfile: 'FROM ghcr.io/sciance-inc/core.dashboards_store:develop\n',
    });
    await testProbot().deliver('pull_request', prEvent(pr, 'synchronize'));
    const run = runs()[0]!;
    expect(run.conclusion).toBe('failure');
    const annotations = annotationsOf(run);
    expect(annotations.map((a) => `${a.path}:${a.start_line}:${a.title}`)).toEqual([
      'Dockerfile:1:core-pinned',
      'packages.yml:3:core-pinned',
      'packages.yml:3:dbt-packages-pinned',
    ]);
    expect(annotations[2]!.message).toMatch(
      /pinned to branch `main`[\s\S]*Fix: pin it to `v0\.8\.0\+20231115`, the newest release of Sciance-Inc\/core\.dashboards_store/,
    );
    expect(annotations[2]!.annotation_level).toBe('failure');
    // The value's column, for an exact marker: `    revision: main` → column 15.
    expect(annotations[2]).toMatchObject({ start_column: 15, end_column: 15 });
  });

  it('with dbt-packages-pinned off, a packages.yml with a YAML error that pins the core to develop fails the check', async () => {
    setUp(store({ '.github/shipshape.yml': 'rules:\n  dbt-packages-pinned: off\n' }));
    const pr = openPr({
      'packages.yml':
        'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: develop\n  - package: [unclosed\n',
    });
    await testProbot().deliver('pull_request', prEvent(pr));
    const run = runs()[0]!;
    expect(run.conclusion).toBe('failure');
    expect(annotationsOf(run)).toMatchObject([
      { path: 'packages.yml', start_line: 4, title: 'malformed-file', annotation_level: 'failure' },
    ]);
  });

  it('warnings only give a neutral conclusion', async () => {
    setUp(store());
    await testProbot().deliver('pull_request', prEvent(openPr({ 'requirements.txt': 'dbt-core>=1.7\n' }), 'reopened'));
    expect(runs()[0]).toMatchObject({ conclusion: 'neutral' });
  });

  it('sends every annotation: 120 findings → one create and two updates of 50 and 20', async () => {
    setUp(store());
    const requirements = Array.from({ length: 120 }, (_, i) => `pkg${i}>=1`).join('\n');
    const before = model.requests.length;
    await testProbot().deliver('pull_request', prEvent(openPr({ 'requirements.txt': requirements })));
    const writes = model.requests.slice(before).filter((r) => r.path.includes('/check-runs'));
    expect(writes.map((w) => `${w.method} ${(w.body as any).output.annotations.length}`)).toEqual(['POST 50', 'PATCH 50', 'PATCH 20']);
    expect((writes[1]!.body as any).output.title).toBe((writes[0]!.body as any).output.title);
    expect(annotationsOf(runs()[0]!)).toHaveLength(120);
  });

  it('a repository without shipshape.yml (nor org defaults) gets nothing', async () => {
    setUp(store({ '.github/shipshape.yml': undefined }));
    await testProbot().deliver('pull_request', prEvent(openPr()));
    expect(runs()).toHaveLength(0);
  });

  it('org defaults alone enable the check', async () => {
    setUp(store({ '.github/shipshape.yml': undefined }), { orgConfig: 'rules:\n  python-pinned: error\n' });
    await testProbot().deliver('pull_request', prEvent(openPr()));
    expect(runs()[0]).toMatchObject({ conclusion: 'success' });
  });

  it('_extends reads the named file and applies it under the repository file', async () => {
    setUp(store({ '.github/shipshape.yml': '_extends: policies\n', 'requirements.txt': 'dbt-core\n' }));
    model.addRepo(OWNER, 'policies', { '.github/shipshape.yml': 'rules:\n  python-pinned: error\n' });
    await testProbot().deliver('pull_request', prEvent(openPr()));
    expect(runs()[0]).toMatchObject({ conclusion: 'failure' });
    expect(annotationsOf(runs()[0]!)).toMatchObject([{ title: 'python-pinned', annotation_level: 'failure' }]);
  });

  it('enabled: false turns the repository off', async () => {
    setUp(store({ '.github/shipshape.yml': 'enabled: false\n' }));
    await testProbot().deliver('pull_request', prEvent(openPr()));
    expect(runs()).toHaveLength(0);
  });

  it('an invalid config is a failing check naming file, line and a suggestion', async () => {
    setUp(store({ '.github/shipshape.yml': 'rules:\n  core-pined: error\n' }));
    await testProbot().deliver('pull_request', prEvent(openPr()));
    const run = runs()[0]!;
    expect(run.conclusion).toBe('failure');
    expect(run.output!.summary).toContain('`.github/shipshape.yml` line 2: unknown key `core-pined` in rules; did you mean `core-pinned`?');
    expect(annotationsOf(run)[0]).toMatchObject({ path: '.github/shipshape.yml', start_line: 2 });
  });

  it('a rule listed twice in shipshape.yml is a failing check naming both lines', async () => {
    setUp(store({ '.github/shipshape.yml': 'rules:\n  python-pinned: error\n  python-pinned: off\n', 'requirements.txt': 'dbt-core\n' }));
    await testProbot().deliver('pull_request', prEvent(openPr()));
    const run = runs()[0]!;
    expect(run.conclusion).toBe('failure');
    expect(run.output!.summary).toContain(
      '`.github/shipshape.yml` line 3: `rules.python-pinned` is written twice, at .github/shipshape.yml:2 and .github/shipshape.yml:3',
    );
    expect(annotationsOf(run)).toMatchObject([{ path: '.github/shipshape.yml', start_line: 3 }]);
  });

  it('a PR cannot relax the policy that judges it, and the summary says what it would change', async () => {
    setUp(store({ '.github/shipshape.yml': 'rules:\n  python-pinned: error\n' }));
    await testProbot().deliver(
      'pull_request',
      prEvent(openPr({ '.github/shipshape.yml': 'rules:\n  python-pinned: off\n', 'requirements.txt': 'dbt-core\n' })),
    );
    const run = runs()[0]!;
    expect(run.conclusion).toBe('failure');
    expect(run.output!.summary).toContain('`python-pinned` error → off');
  });

  it('a PR that breaks shipshape.yml fails on the new file', async () => {
    setUp(store({ '.github/shipshape.yml': 'rules: {}\n' }));
    await testProbot().deliver('pull_request', prEvent(openPr({ '.github/shipshape.yml': 'rules: [oops\n' })));
    const run = runs()[0]!;
    expect(run.conclusion).toBe('failure');
    expect(annotationsOf(run).some((a) => a.path === '.github/shipshape.yml' && a.title === 'shipshape-config')).toBe(true);
  });

  it('an API failure ends the check as failure with the reason, never success', async () => {
    setUp(store());
    // Registered before the simulator's persistent interceptors, so the first GraphQL read fails once.
    nock.cleanAll();
    nock('https://api.github.com').post('/graphql').reply(502, { message: 'Server Error' });
    nockSimulator(model);
    await testProbot().deliver('pull_request', prEvent(openPr()));
    expect(runs()[0]).toMatchObject({ conclusion: 'failure' });
    expect(runs()[0]!.output!.summary).toContain('GitHub answered 502');
  });

  it('an archived repository is skipped', async () => {
    setUp(store());
    const payload = prEvent(openPr());
    payload.repository.archived = true;
    await testProbot().deliver('pull_request', payload);
    expect(model.requests).toHaveLength(0);
  });

  it('a binary or huge file among the rule inputs is a finding, not a crash', async () => {
    setUp(store());
    await testProbot().deliver(
      'pull_request',
      prEvent(openPr({ 'requirements-dev.txt': 'x\0y', 'etl/requirements.txt': `# ${'x'.repeat(2 * 1024 * 1024)}\n` })),
    );
    const messages = annotationsOf(runs()[0]!).map((a) => `${a.path}: ${a.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^requirements-dev\.txt: .*not a text file/),
        expect.stringMatching(/^etl\/requirements\.txt: .*over the 1 MB/),
      ]),
    );
  });
});

describe('dashboards.require-version on a pull request', () => {
  const config = 'dashboards:\n  require-version: true\n';
  const versioned = (version: string) =>
    store({ '.github/shipshape.yml': config, 'reporting/emp/absenteeism/dashboard.yml': `version: ${version}\n` });
  it('a changed dashboard whose version was not raised fails on the version line', async () => {
    setUp(versioned('1.2.0'));
    await testProbot().deliver('pull_request', prEvent(openPr({ 'reporting/emp/absenteeism/absenteeism.pbit': 'new template' })));
    const run = runs()[0]!;
    expect(run.conclusion).toBe('failure');
    expect(annotationsOf(run)).toMatchObject([
      {
        path: 'reporting/emp/absenteeism/dashboard.yml',
        start_line: 1,
        title: 'dashboards-versioned',
        message: expect.stringContaining('stays 1.2.0'),
      },
    ]);
  });
  it('a raised version passes, still in 3 requests (the base versions ride in the second read)', async () => {
    setUp(versioned('1.2.0'));
    await testProbot().deliver(
      'pull_request',
      prEvent(
        openPr({
          'reporting/emp/absenteeism/absenteeism.pbit': 'new template',
          'reporting/emp/absenteeism/dashboard.yml': 'version: 1.3.0\n',
        }),
      ),
    );
    expect(runs()[0]).toMatchObject({ conclusion: 'success' });
    expect(appRequests()).toEqual(['POST /graphql', 'POST /graphql', `POST /repos/${OWNER}/${REPO}/check-runs`]);
  });
});

describe('other triggers', () => {
  it('push to the default branch is checked; other branches and tags are not', async () => {
    setUp(store());
    const head = repo.branches.get('main')!;
    const { deliver } = testProbot();
    const push = forRepo(example('push'), OWNER, REPO);
    Object.assign(push, { ref: 'refs/heads/main', after: head, deleted: false });
    push.repository.default_branch = 'main';
    await deliver('push', push);
    await deliver('push', { ...push, ref: 'refs/heads/feature/x' });
    // A tag also starts a release (tag v1.0.0 does not exist here, so that job fails; it would be redelivered).
    await deliver('push', { ...push, ref: 'refs/tags/v1.0.0' }).catch(() => undefined);
    expect(runs().map((r) => r.head_sha)).toEqual([head]);
  });

  it('Re-run (check_run and check_suite rerequested) checks again', async () => {
    setUp(store());
    const head = repo.branches.get('main')!;
    const { deliver } = testProbot();
    const checkRun = forRepo(example('check_run', 'rerequested'), OWNER, REPO);
    Object.assign(checkRun.check_run, { name: 'shipshape/policy', head_sha: head, pull_requests: [] });
    await deliver('check_run', checkRun);
    const suite = forRepo(example('check_suite', 'rerequested'), OWNER, REPO);
    Object.assign(suite.check_suite, { head_sha: head, pull_requests: [] });
    await deliver('check_suite', suite);
    const other = structuredClone(checkRun);
    other.check_run.name = 'someone-else/ci';
    await deliver('check_run', other);
    expect(runs()).toHaveLength(2);
  });

  it('/recheck in a PR comment checks the PR head; from a bot or without the command it does nothing', async () => {
    setUp(store());
    const pr = openPr();
    const { deliver } = testProbot();
    const comment = forRepo(example('issue_comment', 'created'), OWNER, REPO);
    comment.issue.number = pr.number;
    comment.issue.pull_request = { url: 'x' };
    comment.comment.body = 'Fixed the pin.\n/recheck';
    comment.comment.user.type = 'User';
    await deliver('issue_comment', comment);
    await deliver('issue_comment', { ...comment, comment: { ...comment.comment, id: 2, body: 'no command here' } });
    await deliver('issue_comment', { ...comment, comment: { ...comment.comment, id: 3, user: { ...comment.comment.user, type: 'Bot' } } });
    expect(runs().map((r) => r.head_sha)).toEqual([pr.pull_request!.head]);
  });

  it('redelivery of the same event while it is being handled posts one check run', async () => {
    setUp(store());
    const { probot, shipshape } = testProbot();
    const payload = prEvent(openPr());
    await Promise.all([
      probot.receive({ id: 'a', name: 'pull_request', payload } as never),
      probot.receive({ id: 'a', name: 'pull_request', payload } as never),
    ]);
    await shipshape.queue.idle();
    expect(runs().length).toBeLessThanOrEqual(2);
    expect(runs().every((r) => r.conclusion === 'success')).toBe(true);
  });
});

describe('the app and the CLI agree', () => {
  it('gives the same findings for the same files', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { posix } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { DiskSnapshot } = await import('../../src/local/disk-snapshot.js');
    const { gatherLocalInputs } = await import('../../src/local/policy-inputs.js');
    const { decide } = await import('../../src/policy/decide.js');
    const { contentFromBytes } = await import('../../src/core/files.js');
    const files = store({
      Dockerfile: 'FROM ghcr.io/sciance-inc/core.dashboards_store:v0.6.0\nFROM python\n',
      'etl/requirements.txt': 'pandas>=2\nrequests\n',
      '.github/workflows/ci.yml': 'on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n',
      'transform/packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n    version: [">=1.0.0"]\n',
    });
    const dir = mkdtempSync(posix.join(tmpdir(), 'shipshape-same-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(posix.dirname(posix.join(dir, path)), { recursive: true });
      writeFileSync(posix.join(dir, path), text, 'latin1');
    }
    setUp(store());
    model.push(repo, 'main', files, 'the same files');
    const pr = openPr();
    await testProbot().deliver('pull_request', prEvent(pr));
    const fromApp = annotationsOf(runs()[0]!).map((a) => `${a.path}:${a.start_line} ${a.title} ${a.message}`);
    const config = { file: '.github/shipshape.yml', content: contentFromBytes(Buffer.from(files['.github/shipshape.yml']!)) };
    const decision = decide(gatherLocalInputs({ snapshot: new DiskSnapshot(dir), config }).inputs, { onRequest: true });
    if (decision.kind !== 'checked') throw new Error(decision.kind);
    const fromCli = decision.result.findings.map(
      (f) => `${f.path}:${f.line} ${f.rule} ${f.fix ? `${f.message}\nFix: ${f.fix}` : f.message}`,
    );
    expect(fromApp.length).toBeGreaterThan(4);
    expect(fromApp.sort()).toEqual(fromCli.sort());
  });
});

describe('the whole core package enabled (CDPVD/cdpvd_dashboards_store dbt_project.yml shape)', () => {
  // Line 8: `+enabled: true` on the whole core package.
  const WHOLE_CORE =
    "name: 'store'\nversion: '1.0.0'\nconfig-version: 2\nprofile: 'store'\n\nmodels:\n  core_dashboards_store:\n    +enabled: true\n";
  const dashboardsAnnotations = () => annotationsOf(runs()[0]!).filter((a) => a.title === 'dashboards-versioned');

  /** The store pins the core at v0.7.0+20230926, which holds emp/absenteeism and emp/turnover. */
  function setUpWholeCore() {
    setUp(store({ 'dbt_project.yml': WHOLE_CORE }));
    const core = model.repo('Sciance-Inc', 'core.dashboards_store')!;
    const tagged = core.tags.get('v0.7.0+20230926')!.sha;
    core.branches.set('release-0.7', tagged);
    const sha = model.push(core, 'release-0.7', {
      'models/dashboards/emp/absenteeism/absenteeism.sql': 'select 1',
      'models/dashboards/emp/turnover/pbi_tables/turnover.sql': 'select 1',
      'models/dashboards/emp/README.md': 'a file, not a dashboard',
    });
    model.tag(core, 'v0.7.0+20230926', sha);
    return core;
  }

  it('reads the core at the pinned tag in one more request and judges by it: a core dashboard without a report fails, a stray report warns', async () => {
    setUpWholeCore();
    await testProbot().deliver('pull_request', prEvent(openPr({ 'reporting/hr/legacy/legacy.pbit': 'PK' })));
    expect(appRequests()).toEqual(['POST /graphql', 'POST /graphql', 'POST /graphql', `POST /repos/${OWNER}/${REPO}/check-runs`]);
    const run = runs()[0]!;
    expect(run.conclusion).toBe('failure');
    expect(dashboardsAnnotations().map((a) => `${a.path}:${a.start_line}:${a.annotation_level}`)).toEqual([
      'dbt_project.yml:8:failure',
      'reporting/hr/legacy/legacy.pbit:1:warning',
    ]);
    expect(dashboardsAnnotations()[0]!.message).toContain(
      'dashboard `emp/turnover` is deployed (enabled through the whole package `core_dashboards_store`, which holds it at `Sciance-Inc/core.dashboards_store@v0.7.0+20230926`)',
    );
    expect(run.output!.summary).toContain('the 2 it holds at `Sciance-Inc/core.dashboards_store@v0.7.0+20230926` were read from there');
    expect(run.output!.summary).not.toContain('cannot be known');
  });

  it('a core the installation cannot read falls back to the note: no finding from a fact it could not read', async () => {
    setUpWholeCore().installed = false;
    await testProbot().deliver('pull_request', prEvent(openPr({ 'reporting/hr/legacy/legacy.pbit': 'PK' })));
    expect(appRequests()).toEqual(['POST /graphql', 'POST /graphql', 'POST /graphql', `POST /repos/${OWNER}/${REPO}/check-runs`]);
    expect(dashboardsAnnotations()).toEqual([]);
    expect(runs()[0]!.output!.summary).toMatch(
      /dbt_project\.yml:8 enables every dashboard of the package `core_dashboards_store`.*cannot be known here/,
    );
  });

  it('a pin the core does not have (no such tag) falls back to the note too', async () => {
    setUpWholeCore();
    const pr = openPr({
      'packages.yml': 'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: v9.9.9\n',
      'reporting/hr/legacy/legacy.pbit': 'PK',
    });
    await testProbot().deliver('pull_request', prEvent(pr));
    expect(dashboardsAnnotations()).toEqual([]);
    expect(runs()[0]!.output!.summary).toContain('cannot be known here');
  });

  it('no extra request when only single dashboards of the core are enabled (the fixture store): 3 requests', async () => {
    setUp(store());
    await testProbot().deliver('pull_request', prEvent(openPr()));
    expect(appRequests()).toEqual(['POST /graphql', 'POST /graphql', `POST /repos/${OWNER}/${REPO}/check-runs`]);
  });
});

// nock patches node's http for the whole jest worker: leave it as it was found, for the test files after this one.
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
