/** Handler tests: real payload shapes, the real app, GitHub answered by nock; requests are counted. */
import nock from 'nock';
import { example, forRepo } from '../helpers/examples.js';
import { readFixture } from '../helpers/fixtures.js';
import { fakeGitHub, type FakeRepo } from '../helpers/github-nock.js';
import { testProbot } from '../helpers/probot.js';

const OWNER = 'css01';
const REPO = 'css01.dashboards_store';
const HEAD = 'c'.repeat(40);
const BASE = 'b'.repeat(40);
const CORE_TAGS = ['v0.6.0+20230601', 'v0.7.0+20230926', 'v0.8.0+20231115'];

const store = (overrides: Record<string, string | undefined> = {}): Record<string, string> => {
  const files: Record<string, string | undefined> = { ...readFixture('css01.dashboards_store'), ...overrides };
  return Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => e[1] !== undefined));
};
const repoWith = (files: Record<string, string>, extra: Partial<FakeRepo> = {}): FakeRepo => ({ owner: OWNER, repo: REPO, files, remoteTags: { 'Sciance-Inc/core.dashboards_store': CORE_TAGS }, ...extra });

function prOpened(action = 'opened') {
  const payload = forRepo(example('pull_request', action), OWNER, REPO);
  payload.pull_request.head.sha = HEAD;
  payload.pull_request.base.sha = BASE;
  return payload;
}

beforeEach(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('pull_request', () => {
  it('a store that follows the policy gets a green check in at most 5 requests', async () => {
    const gh = fakeGitHub(repoWith(store()));
    await testProbot().deliver('pull_request', prOpened());
    expect(gh.checkRuns).toHaveLength(1);
    const run = gh.checkRuns[0]!;
    expect(run).toMatchObject({ name: 'shipshape/policy', head_sha: HEAD, status: 'completed', conclusion: 'success' });
    expect(run.output.summary).toContain('| ✅ | `core-pinned` | error | 0 |');
    expect(gh.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`)).toEqual([
      // Whether the head already has a completed check (a redelivered event then posts nothing).
      `GET /repos/${OWNER}/${REPO}/commits/${HEAD}/check-runs`,
      `GET /repos/${OWNER}/${REPO}/git/trees/${HEAD}`,
      "POST /graphql",
      "POST /graphql",
      `POST /repos/${OWNER}/${REPO}/check-runs`,
    ]);
  });

  it('a core on a branch fails with annotations on the exact lines', async () => {
    const files = store({
      'packages.yml': 'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: main\n',
      Dockerfile: 'FROM ghcr.io/sciance-inc/core.dashboards_store:develop\n',
    });
    const gh = fakeGitHub(repoWith(files, { remoteBranches: { 'Sciance-Inc/core.dashboards_store': ['main', 'develop'] } }));
    await testProbot().deliver('pull_request', prOpened('synchronize'));
    const run = gh.checkRuns[0]!;
    expect(run.conclusion).toBe('failure');
    const annotations = run.output.annotations.map((a: any) => `${a.path}:${a.start_line}:${a.title}`);
    expect(annotations).toEqual(['Dockerfile:1:core-pinned', 'packages.yml:3:core-pinned', 'packages.yml:3:dbt-packages-pinned']);
    expect(run.output.annotations[2].message).toMatch(/pinned to branch `main`[\s\S]*Fix: pin it to a release tag such as v0\.7\.0\+20230926/);
    expect(run.output.annotations[2].annotation_level).toBe('failure');
    // The value's column, for an exact marker: `    revision: main` → column 15.
    expect(run.output.annotations[2]).toMatchObject({ start_column: 15, end_column: 15 });
  });

  it('warnings only give a neutral conclusion', async () => {
    const gh = fakeGitHub(repoWith(store({ 'requirements.txt': 'dbt-core>=1.7\n' })));
    await testProbot().deliver('pull_request', prOpened('reopened'));
    expect(gh.checkRuns[0]).toMatchObject({ conclusion: 'neutral' });
  });

  it('sends every annotation: 120 findings → one create and two updates of 50 and 20', async () => {
    const requirements = Array.from({ length: 120 }, (_, i) => `pkg${i}>=1`).join('\n');
    const gh = fakeGitHub(repoWith(store({ 'requirements.txt': requirements })));
    await testProbot().deliver('pull_request', prOpened());
    expect(gh.checkRuns[0]!.output.annotations).toHaveLength(50);
    expect(gh.checkRunUpdates.map((u) => u.output.annotations.length)).toEqual([50, 20]);
    expect(gh.checkRunUpdates[0]!.output.title).toBe(gh.checkRuns[0]!.output.title);
  });

  it('a repository without shipshape.yml (nor org defaults) gets nothing', async () => {
    const gh = fakeGitHub(repoWith(store({ '.github/shipshape.yml': undefined })));
    await testProbot().deliver('pull_request', prOpened());
    expect(gh.checkRuns).toHaveLength(0);
  });

  it('org defaults alone enable the check', async () => {
    const gh = fakeGitHub(repoWith(store({ '.github/shipshape.yml': undefined }), { orgConfig: 'rules:\n  python-pinned: error\n' }));
    await testProbot().deliver('pull_request', prOpened());
    expect(gh.checkRuns[0]).toMatchObject({ conclusion: 'success' });
  });

  it('enabled: false turns the repository off', async () => {
    const gh = fakeGitHub(repoWith(store({ '.github/shipshape.yml': 'enabled: false\n' })));
    await testProbot().deliver('pull_request', prOpened());
    expect(gh.checkRuns).toHaveLength(0);
  });

  it('an invalid config is a failing check naming file, line and a suggestion', async () => {
    const gh = fakeGitHub(repoWith(store({ '.github/shipshape.yml': 'rules:\n  core-pined: error\n' })));
    await testProbot().deliver('pull_request', prOpened());
    const run = gh.checkRuns[0]!;
    expect(run.conclusion).toBe('failure');
    expect(run.output.summary).toContain('`.github/shipshape.yml` line 2: unknown key `core-pined` in rules; did you mean `core-pinned`?');
    expect(run.output.annotations[0]).toMatchObject({ path: '.github/shipshape.yml', start_line: 2 });
  });

  it('a PR cannot relax the policy that judges it, and the summary says what it would change', async () => {
    const files = store({ '.github/shipshape.yml': 'rules:\n  python-pinned: off\n', 'requirements.txt': 'dbt-core\n' });
    const gh = fakeGitHub(repoWith(files, { baseConfig: 'rules:\n  python-pinned: error\n' }));
    await testProbot().deliver('pull_request', prOpened());
    const run = gh.checkRuns[0]!;
    expect(run.conclusion).toBe('failure');
    expect(run.output.summary).toContain('`python-pinned` error → off');
  });

  it('a PR that breaks shipshape.yml fails on the new file', async () => {
    const gh = fakeGitHub(repoWith(store({ '.github/shipshape.yml': 'rules: [oops\n' }), { baseConfig: 'rules: {}\n' }));
    await testProbot().deliver('pull_request', prOpened());
    const run = gh.checkRuns[0]!;
    expect(run.conclusion).toBe('failure');
    expect(run.output.annotations.some((a: any) => a.path === '.github/shipshape.yml' && a.title === 'shipshape-config')).toBe(true);
  });

  it('an API failure ends the check as failure with the reason, never success', async () => {
    const gh = fakeGitHub(repoWith(store(), { treeStatus: 500 }));
    await testProbot().deliver('pull_request', prOpened());
    expect(gh.checkRuns[0]).toMatchObject({ conclusion: 'failure' });
    expect(gh.checkRuns[0]!.output.summary).toContain('GitHub answered 500');
  });

  it('an archived repository is skipped', async () => {
    const gh = fakeGitHub(repoWith(store()));
    const payload = prOpened();
    payload.repository.archived = true;
    await testProbot().deliver('pull_request', payload);
    expect(gh.requests).toHaveLength(0);
  });

  it('a binary or huge file among the rule inputs is a finding, not a crash', async () => {
    const gh = fakeGitHub(repoWith(store({ 'requirements-dev.txt': 'x\0y', 'etl/requirements.txt': `# ${'x'.repeat(2 * 1024 * 1024)}\n` })));
    await testProbot().deliver('pull_request', prOpened());
    const messages = gh.checkRuns[0]!.output.annotations.map((a: any) => `${a.path}: ${a.message}`);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/^requirements-dev\.txt: .*not a text file/), expect.stringMatching(/^etl\/requirements\.txt: .*over the 1 MB/)]));
  });
});

describe('dashboards.require-version on a pull request', () => {
  const config = 'dashboards:\n  require-version: true\n';
  const versioned = (version: string) => store({ '.github/shipshape.yml': config, 'reporting/emp/absenteeism/dashboard.yml': `version: ${version}\n` });
  it('a changed dashboard whose version was not raised fails on the version line', async () => {
    const base = versioned('1.2.0');
    const gh = fakeGitHub(repoWith(versioned('1.2.0'), { baseSha: BASE, baseFiles: base, changedFiles: ['reporting/emp/absenteeism/absenteeism.pbit'] }));
    await testProbot().deliver('pull_request', prOpened());
    const run = gh.checkRuns[0]!;
    expect(run.conclusion).toBe('failure');
    expect(run.output.annotations).toMatchObject([{ path: 'reporting/emp/absenteeism/dashboard.yml', start_line: 1, title: 'dashboards-versioned', message: expect.stringContaining('stays 1.2.0') }]);
  });
  it('a raised version passes', async () => {
    const gh = fakeGitHub(repoWith(versioned('1.3.0'), { baseSha: BASE, baseFiles: versioned('1.2.0'), changedFiles: ['reporting/emp/absenteeism/absenteeism.pbit'] }));
    await testProbot().deliver('pull_request', prOpened());
    expect(gh.checkRuns[0]).toMatchObject({ conclusion: 'success' });
  });
});

describe('other triggers', () => {
  it('push to the default branch is checked; other branches and tags are not', async () => {
    const gh = fakeGitHub(repoWith(store()));
    const { deliver } = testProbot();
    const push = forRepo(example('push'), OWNER, REPO);
    Object.assign(push, { ref: 'refs/heads/main', after: HEAD, deleted: false });
    await deliver('push', push);
    await deliver('push', { ...push, ref: 'refs/heads/feature/x' });
    // A tag also starts a release, which this fake GitHub cannot serve: that delivery fails (and would be redelivered).
    await deliver('push', { ...push, ref: 'refs/tags/v1.0.0' }).catch(() => undefined);
    expect(gh.checkRuns.map((r) => r.head_sha)).toEqual([HEAD]);
  });

  it('Re-run (check_run and check_suite rerequested) checks again', async () => {
    const gh = fakeGitHub(repoWith(store()));
    // No pull request holds HEAD: the default branch's policy judges it.
    nock('https://api.github.com').persist().get(`/repos/${OWNER}/${REPO}/pulls`).query(true).reply(200, []);
    const { deliver } = testProbot();
    const checkRun = forRepo(example('check_run', 'rerequested'), OWNER, REPO);
    Object.assign(checkRun.check_run, { name: 'shipshape/policy', head_sha: HEAD, pull_requests: [] });
    await deliver('check_run', checkRun);
    const suite = forRepo(example('check_suite', 'rerequested'), OWNER, REPO);
    Object.assign(suite.check_suite, { head_sha: HEAD, pull_requests: [] });
    await deliver('check_suite', suite);
    const other = structuredClone(checkRun);
    other.check_run.name = 'someone-else/ci';
    await deliver('check_run', other);
    expect(gh.checkRuns).toHaveLength(2);
  });

  it('/recheck in a PR comment checks the PR head; from a bot or without the command it does nothing', async () => {
    const gh = fakeGitHub(repoWith(store()));
    nock('https://api.github.com').persist().get(`/repos/${OWNER}/${REPO}/pulls/1`).reply(200, { number: 1, head: { sha: HEAD }, base: { sha: BASE } });
    const { deliver } = testProbot();
    const comment = forRepo(example('issue_comment', 'created'), OWNER, REPO);
    comment.issue.number = 1;
    comment.issue.pull_request = { url: 'x' };
    comment.comment.body = 'Fixed the pin.\n/recheck';
    comment.comment.user.type = 'User';
    await deliver('issue_comment', comment);
    await deliver('issue_comment', { ...comment, comment: { ...comment.comment, id: 2, body: 'no command here' } });
    await deliver('issue_comment', { ...comment, comment: { ...comment.comment, id: 3, user: { ...comment.comment.user, type: 'Bot' } } });
    expect(gh.checkRuns.map((r) => r.head_sha)).toEqual([HEAD]);
  });

  it('redelivery of the same event while it is being handled posts one check run', async () => {
    const gh = fakeGitHub(repoWith(store()));
    const { probot, shipshape } = testProbot();
    const payload = prOpened();
    await Promise.all([probot.receive({ id: 'a', name: 'pull_request', payload } as never), probot.receive({ id: 'a', name: 'pull_request', payload } as never)]);
    await shipshape.queue.idle();
    expect(gh.checkRuns.length).toBeLessThanOrEqual(2);
    expect(gh.checkRuns.every((r) => r.conclusion === 'success')).toBe(true);
  });
});

describe('the app and the CLI agree', () => {
  it('gives the same findings for the same files', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { dirname, join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { DiskSnapshot } = await import('../../src/local/disk-snapshot.js');
    const { runPolicy } = await import('../../src/policy/engine.js');
    const { mergeLayers, withDefaults } = await import('../../src/config/load.js');
    const { offlineFacts } = await import('../../src/policy/types.js');
    const files = store({
      Dockerfile: 'FROM ghcr.io/sciance-inc/core.dashboards_store:v0.6.0\nFROM python\n',
      'etl/requirements.txt': 'pandas>=2\nrequests\n',
      '.github/workflows/ci.yml': 'on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n',
      'transform/packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n    version: [">=1.0.0"]\n',
    });
    const dir = mkdtempSync(join(tmpdir(), 'shipshape-same-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text, 'latin1');
    }
    const gh = fakeGitHub(repoWith(files));
    await testProbot().deliver('pull_request', prOpened());
    const fromApp = [gh.checkRuns[0]!, ...gh.checkRunUpdates].flatMap((r) => r.output.annotations ?? []).map((a: any) => `${a.path}:${a.start_line} ${a.title} ${a.message}`);
    const config = withDefaults(mergeLayers({ rules: { 'actions-pinned': 'error' }, tool: 'css01 dashboards store' }));
    const fromCli = runPolicy(new DiskSnapshot(dir), config, offlineFacts('cli')).findings.map((f) => `${f.path}:${f.line} ${f.rule} ${f.fix ? `${f.message}\nFix: ${f.fix}` : f.message}`);
    expect(fromApp.length).toBeGreaterThan(4);
    expect(fromApp.sort()).toEqual(fromCli.sort());
  });
});
