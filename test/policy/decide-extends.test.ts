/**
 * `_extends` in a pull request's proposed shipshape.yml is not followed: it could name any repository the
 * installation can read (a private one included), and the check run would then show that file's keys and
 * whether the repository exists. The proposed file is validated alone, with a note; an `_extends` file of
 * the base configuration that is invalid is reported without echoing its content.
 */
import nock from 'nock';
import type { FileContent } from '../../src/core/files.js';
import { extendsToFetch } from '../../src/config/resolve.js';
import { configTexts, decide, type PolicyInputs } from '../../src/policy/decide.js';
import { GitHubModel } from '../../sim/model.js';
import { nockSimulator } from '../helpers/nock-simulator.js';
import { testProbot } from '../helpers/probot.js';
import { pullRequestEvent } from '../helpers/release-events.js';

const text = (t: string): FileContent => ({ kind: 'text', text: t });
const inputs = (config: PolicyInputs['config']): PolicyInputs => ({
  owner: 'css42',
  config,
  tree: { paths: [], truncated: false },
  files: {},
  facts: { kinds: {}, tags: {} },
});

describe('decide', () => {
  it('validates a proposed file alone, never reading what its _extends names', () => {
    const decision = decide(
      inputs({
        repo: text('rules:\n  actions-pinned: off\n'),
        head: text('_extends: css42/private-vault:secrets.yml\nrules:\n  actions-pinned: warning\n'),
        // Even if the file were among the inputs, a proposed configuration does not read it.
        extended: { 'css42/private-vault:secrets.yml': text('db_password: hunter2\n') },
      }),
    );
    expect(decision.kind).toBe('checked');
    if (decision.kind !== 'checked') return;
    expect(decision.result.findings.filter((f) => f.rule === 'shipshape-config')).toEqual([]);
    expect(JSON.stringify(decision.output)).not.toMatch(/db_password|hunter2|private-vault/);
    expect(decision.notes.join('\n')).toMatch(/`_extends`, which is not followed for a pull request/);
  });

  it('reports an invalid _extends file of the base configuration without echoing its keys', () => {
    const decision = decide(
      inputs({
        repo: text('_extends: css42/shared:policy.yml\n'),
        extended: { 'css42/shared:policy.yml': text('db_password: hunter2\n') },
      }),
    );
    expect(decision.kind).toBe('invalid-config');
    const shown = JSON.stringify(decision.kind === 'invalid-config' ? decision.errors : []);
    expect(shown).toMatch(/css42\/shared:policy.yml.*is not a valid Shipshape configuration \(1 problem\)/);
    expect(shown).not.toMatch(/db_password|hunter2/);
  });
});

describe("the org's own file extends a shared one", () => {
  const org = text('_extends: css42/shared-policy:policy.yml\nrules:\n  actions-pinned: off\n');

  it('offline: the shared file is asked for, then layered under the org file and the repository file', () => {
    const config = { repo: text('rules:\n  python-pinned: off\n'), org };
    expect(extendsToFetch(configTexts(inputs(config)))).toEqual([{ owner: 'css42', repo: 'shared-policy', path: 'policy.yml' }]);
    const decision = decide(
      inputs({
        ...config,
        extended: { 'css42/shared-policy:policy.yml': text('rules:\n  required-files: off\n  actions-pinned: error\n') },
      }),
    );
    expect(decision.kind).toBe('checked');
    if (decision.kind !== 'checked') return;
    // shared < org < repository: the org's own key wins over the shared file's.
    expect(decision.config.rules).toMatchObject({ 'required-files': 'off', 'actions-pinned': 'off', 'python-pinned': 'off' });
  });

  it('offline: a shared file that was not read is an error naming the org file, not a silent default', () => {
    const decision = decide(inputs({ org }));
    expect(decision.kind).toBe('invalid-config');
    expect(JSON.stringify(decision.kind === 'invalid-config' ? decision.errors : [])).toMatch(
      /css42\/.github:.github\/shipshape.yml.*names css42\/shared-policy:policy.yml, which was not read/,
    );
  });

  it('online: a repository with no file of its own is checked under the shared file the org file extends', async () => {
    nock.disableNetConnect();
    const model = new GitHubModel();
    model.addRepo('css42', '.github', { '.github/shipshape.yml': '_extends: shared-policy:policy.yml\n' });
    model.addRepo('css42', 'shared-policy', { 'policy.yml': 'rules:\n  required-files: off\n' });
    // No README, no Dockerfile, no workflow: required-files would fail it, unless the shared file turns it off.
    const repo = model.addRepo('css42', 'store', { 'notes.txt': 'hello\n' });
    const pr = model.openPullRequest(repo, 'change', { 'notes.txt': 'hello again\n' });
    nockSimulator(model);
    await testProbot().deliver('pull_request', pullRequestEvent(repo, pr.number, 'opened'));
    const run = repo.checkRuns.find((r) => r.head_sha === pr.pull_request!.head)!;
    expect(run.conclusion).toBe('success');
    expect(model.violations).toEqual([]);
    nock.cleanAll();
  });
});

describe('the app', () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());

  it("makes no request for a repository that a pull request's _extends names", async () => {
    const model = new GitHubModel();
    const repo = model.addRepo('css42', 'store', { '.github/shipshape.yml': 'rules:\n  required-files: off\n', 'README.md': '# store\n' });
    model.addRepo('css42', 'private-vault', { 'secrets.yml': 'db_password: hunter2\n' });
    const pr = model.openPullRequest(repo, 'probe', {
      '.github/shipshape.yml': '_extends: css42/private-vault:secrets.yml\nrules:\n  required-files: off\n',
    });
    nockSimulator(model);
    await testProbot().deliver('pull_request', pullRequestEvent(repo, pr.number, 'opened'));
    const run = repo.checkRuns.find((r) => r.head_sha === pr.pull_request!.head)!;
    expect(run.conclusion).toBe('success');
    expect(JSON.stringify(run.output)).not.toMatch(/db_password|hunter2/);
    expect(JSON.stringify(model.requests)).not.toMatch(/private-vault/);
    expect(model.violations).toEqual([]);
  });
});

// nock patches node's http for the whole jest worker: leave it as it was found, for the test files after this one.
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
