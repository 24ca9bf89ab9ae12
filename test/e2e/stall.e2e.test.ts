/**
 * Hostile content cannot stall the server: the inputs that blocked main's event loop for minutes (a
 * dbt_project.yml key built as a glob bomb, Dockerfiles built to explode ARG expansion, a .env line built
 * for a quadratic regex) are checked on worker threads within CHECK_TIMEOUT_SECONDS. Meanwhile /healthz
 * keeps answering at once, and every check ends — with its verdict, or `failure` "took too long".
 */
import { execFileSync } from 'node:child_process';
import type { Repo } from '../../src/sim/model.js';
import { startE2E, waitFor, type E2E } from '../helpers/e2e.js';
import { pullRequestEvent } from '../helpers/release-events.js';
import { repoRoot } from '../helpers/shared.js';

const BASE = {
  '.github/shipshape.yml': 'rules:\n  required-files: off\n',
  'dbt_project.yml': 'name: store\nversion: "1.0.0"\n',
  'README.md': '# store\n',
};

/** The stall inputs, each as the files of one pull request. */
const STALLS: Record<string, Record<string, string>> = {
  'a dashboards key built as a glob bomb': {
    'dbt_project.yml': 'name: store\nversion: "1.0.0"\nmodels:\n  store:\n    dashboards:\n      "*a*a*a*a*a*a*a*a*a*a*a*a*b":\n        d:\n          +enabled: true\n',
    [`reporting/${'a'.repeat(42)}/d/r.pbit`]: 'PK',
  },
  'FROM ${A} repeated 20,000 times': { Dockerfile: `ARG A=python:3.11.9\n${'FROM ${A}\n'.repeat(20_000)}` },
  '40,000 distinct ARGs': { Dockerfile: `${Array.from({ length: 40_000 }, (_, i) => `ARG A${i}=\${A${i - 1}}\n`).join('')}FROM \${A39999}\n` },
  'a .env line built for a quadratic regex': { '.env': `A=a${' '.repeat(1_000_000)}b\n` },
};

let e2e: E2E;
beforeAll(async () => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: 'pipe' });
  e2e = await startE2E({ env: { CHECK_TIMEOUT_SECONDS: '5', REDELIVERY_INTERVAL_MINUTES: '0' } });
}, 120_000);
afterAll(() => e2e?.stop());

it('keeps /healthz answering within 100 ms while every stall input is checked, and every check ends', async () => {
  const prs: Array<{ repo: Repo; head: string }> = [];
  for (const [i, files] of Object.values(STALLS).entries()) {
    const repo = e2e.model.addRepo('css42', `stall-${i}`, BASE);
    const pr = e2e.model.openPullRequest(repo, 'stall', files);
    prs.push({ repo, head: pr.pull_request!.head });
    void e2e.send('pull_request', pullRequestEvent(repo, pr.number, 'opened'));
  }
  const checked = () => prs.every(({ repo, head }) => repo.checkRuns.some((r) => r.head_sha === head && r.status === 'completed'));
  let slowest = 0;
  const deadline = Date.now() + 60_000;
  while (!checked() && Date.now() < deadline) {
    const started = performance.now();
    expect((await fetch(`${e2e.app.url}/healthz`)).status).toBe(200);
    slowest = Math.max(slowest, performance.now() - started);
    await new Promise((r) => setTimeout(r, 50));
  }
  await waitFor(checked, 'every stall input to get a completed check run', 1_000);
  expect(slowest).toBeLessThan(100);
  for (const { repo, head } of prs) {
    const run = repo.checkRuns.find((r) => r.head_sha === head)!;
    // A verdict or "took too long": never a success that skipped the file.
    expect(['failure', 'neutral', 'success']).toContain(run.conclusion);
    if (run.conclusion === 'failure' && /took longer/.test(run.output?.summary ?? '')) expect(run.output?.title).toMatch(/could not complete/);
  }
}, 120_000);

it('a decision past its time budget ends the check `failure` with the reason', async () => {
  const slow = await startE2E({ env: { CHECK_TIMEOUT_SECONDS: '0.001', REDELIVERY_INTERVAL_MINUTES: '0' } });
  try {
    const repo = slow.model.addRepo('css42', 'slow', BASE);
    const pr = slow.model.openPullRequest(repo, 'stall', STALLS['FROM ${A} repeated 20,000 times']!);
    await slow.send('pull_request', pullRequestEvent(repo, pr.number, 'opened'));
    const run = await waitFor(() => repo.checkRuns.find((r) => r.head_sha === pr.pull_request!.head && r.status === 'completed'), 'the check run', 30_000);
    expect(run.conclusion).toBe('failure');
    expect(run.output?.summary).toMatch(/took longer than 0.001 s and was stopped/);
  } finally {
    await slow.stop();
  }
}, 60_000);
