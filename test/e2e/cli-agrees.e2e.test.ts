/**
 * The app and the CLI give the same findings on the same tree, when that tree's .gitignore lists files
 * it tracks: a store that tracks its `packages.yml` while ignoring it, and dbt-labs/dbt-utils' shape, a
 * tracked `integration_tests/profiles.yml` listed in `integration_tests/.gitignore`. The app reads what
 * GitHub holds (the real server against the simulator, over HTTP); the CLI reads a git clone of it on
 * disk (the built binary, as a user runs it). Neither may skip the tracked files. The same holds when the
 * store is a folder of a larger git repository (a monorepo): the CLI run on that folder finds git above it.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startE2E, waitFor, type E2E } from '../helpers/e2e.js';
import { readFixture } from '../helpers/fixtures.js';
import { gitIn, gitRepo, writeFiles } from '../helpers/git.js';
import { pullRequestEvent } from '../helpers/release-events.js';
import { built } from '../helpers/paths.js';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
}, 120_000);
afterAll(() => e2e.stop());

const IGNORING_TRACKED_FILES = {
  '.gitignore': 'target/\ndbt_packages/\nlogs/\npackages.yml\n',
  'packages.yml':
    'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: develop\n  - package: dbt-labs/dbt_utils\n    version: [">=1.0.0", "<2.0.0"]\n',
  'integration_tests/.gitignore': 'target/\ndbt_packages/\nlogs/\nprofiles.yml\n',
  'integration_tests/profiles.yml':
    'integration_tests:\n  target: postgres\n  outputs:\n    postgres:\n      type: postgres\n      host: localhost\n      user: root\n      password: Sup3rS3cret!\n      dbname: dbt_utils_test\n      schema: dbt_utils_integration_tests\n',
};

let fromApp: string[] | undefined;

/** The app's findings on the store (one pull request, checked once for every test of this file). */
async function appFindings(): Promise<string[]> {
  if (fromApp) return fromApp;
  const repo = e2e.model.addRepo('css42', 'store-ignoring-tracked', readFixture('css01.dashboards_store'));
  const pr = e2e.model.openPullRequest(repo, 'track-ignored', IGNORING_TRACKED_FILES);
  expect(await e2e.send('pull_request', pullRequestEvent(repo, pr.number, 'opened'))).toBeLessThan(300);
  const run = await waitFor(
    () => repo.checkRuns.find((r) => r.head_sha === pr.pull_request!.head && r.status === 'completed'),
    'the check run',
  );
  expect(run.conclusion).toBe('failure');
  fromApp = (run.output?.annotations ?? []).map(
    (a: any) => `${a.path}:${a.start_line} ${a.title} ${String(a.message).split('\nFix: ')[0]}`,
  );
  return fromApp;
}

function cliFindings(dir: string): { status: number | null; findings: string[] } {
  const cli = spawnSync(process.execPath, [built('bin/shipshape.js'), 'check', dir, '--format', 'json'], { encoding: 'utf8' });
  const findings = (JSON.parse(cli.stdout).findings as any[]).map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`);
  return { status: cli.status, findings };
}

it('the same findings from the app and from the CLI, tracked-but-ignored files included', async () => {
  const files = { ...readFixture('css01.dashboards_store'), ...IGNORING_TRACKED_FILES };
  const fromApp = await appFindings();
  const dir = gitRepo(files, 'shipshape-e2e-');
  expect(gitIn(dir, 'ls-files', '--cached', '--ignored', '--exclude-standard').split('\n').filter(Boolean).sort()).toEqual([
    'integration_tests/profiles.yml',
    'packages.yml',
  ]);
  const cli = cliFindings(dir);
  rmSync(dir, { recursive: true });

  expect(fromApp.some((f) => f.startsWith('packages.yml:3 core-pinned'))).toBe(true);
  expect(fromApp.some((f) => f.startsWith('integration_tests/profiles.yml:8 no-plaintext-secrets'))).toBe(true);
  expect(cli.findings.sort()).toEqual([...fromApp].sort());
  expect(cli.status).toBe(1);
  expect(e2e.model.violations).toEqual([]);
});

it('the same findings when the store is a folder of a monorepo: the CLI on that folder reads git above it', async () => {
  const store = { ...readFixture('css01.dashboards_store'), ...IGNORING_TRACKED_FILES };
  const files: Record<string, string> = { '.gitignore': '*.env\n', 'service/Dockerfile': 'FROM python:latest\n' };
  for (const [path, text] of Object.entries(store)) files[`stores/css42/${path}`] = text;
  const dir = gitRepo(files, 'shipshape-e2e-mono-');
  // Untracked and excluded by the top .gitignore: git does not list it, and the app never sees it.
  writeFiles(dir, { 'stores/css42/secret.env': 'DB_PASSWORD=q8Zr3Lk2Vw9Tn5Xy7Bm4Hs6Jd1Fp0Gc\n' });
  const cli = cliFindings(join(dir, 'stores/css42'));
  rmSync(dir, { recursive: true });

  expect(cli.findings.sort()).toEqual([...(await appFindings())].sort());
  expect(cli.status).toBe(1);
});
