/**
 * Hostile content cannot stall the server: the inputs that blocked main's event loop for minutes (a
 * dbt_project.yml key built as a glob bomb, Dockerfiles built to explode ARG expansion, a .env line built
 * for a quadratic regex) are checked on worker threads within CHECK_TIMEOUT_SECONDS. Meanwhile /healthz
 * keeps answering at once, and every check ends — with its verdict, or `failure` "took too long".
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Repo } from '../../sim/model.js';
import { startE2E, waitFor, type E2E } from '../helpers/e2e.js';
import { pullRequestEvent } from '../helpers/release-events.js';
import { STALL_INPUTS } from '../helpers/stall-inputs.js';

const BASE = {
  '.github/shipshape.yml': 'rules:\n  required-files: off\n',
  'dbt_project.yml': 'name: store\nversion: "1.0.0"\n',
  'README.md': '# store\n',
};

/** The stall inputs of the issue that found them, each as the files of one pull request. */
const STALLS: Record<string, Record<string, string>> = {
  'a dashboards key built as a glob bomb': STALL_INPUTS.globKey.files,
  'FROM ${A} repeated 20,000 times': STALL_INPUTS.fromRepeated.files,
  '40,000 distinct ARGs': STALL_INPUTS.chainedArgs.files,
  'a .env line built for a quadratic regex': STALL_INPUTS.dotenvSpaces.files,
};

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E({ env: { CHECK_TIMEOUT_SECONDS: '5', REDELIVERY_INTERVAL_MINUTES: '0' } });
}, 120_000);
afterAll(() => e2e?.stop());

it('keeps /healthz answering (95 % within 100 ms, all within 1 s) while every stall input is checked, and every check ends', async () => {
  const prs: Array<{ repo: Repo; head: string }> = [];
  for (const [i, files] of Object.values(STALLS).entries()) {
    const repo = e2e.model.addRepo('css42', `stall-${i}`, BASE);
    const pr = e2e.model.openPullRequest(repo, 'stall', files);
    prs.push({ repo, head: pr.pull_request!.head });
    void e2e.send('pull_request', pullRequestEvent(repo, pr.number, 'opened'));
  }
  const checked = () => prs.every(({ repo, head }) => repo.checkRuns.some((r) => r.head_sha === head && r.status === 'completed'));
  // /healthz is probed from a process of its own: this one also runs the simulator, whose pauses are not the app's.
  const probe = probeHealth(`${e2e.app.url}/healthz`);
  await waitFor(checked, 'every stall input to get a completed check run', 60_000);
  const { times, failures } = await probe.stop();
  expect(times.length).toBeGreaterThan(10);
  expect(failures).toBe(0);
  // A blocked event loop answers in seconds (main's stalls: 80 s); a shared 2-core machine adds scheduling
  // noise of its own, so the bound is on 95 % of the answers, and every answer is within 1 s.
  times.sort((a, b) => a - b);
  expect(times[Math.floor(times.length * 0.95)]).toBeLessThan(100);
  expect(times.at(-1)).toBeLessThan(1_000);
  for (const { repo, head } of prs) {
    const run = repo.checkRuns.find((r) => r.head_sha === head)!;
    // A verdict or "took too long": never a success that skipped the file.
    expect(['failure', 'neutral', 'success']).toContain(run.conclusion);
    if (run.conclusion === 'failure' && /took longer/.test(run.output?.summary ?? ''))
      expect(run.output?.title).toMatch(/could not complete/);
  }
}, 120_000);

it('a decision past its time budget ends the check `failure` with the reason', async () => {
  const slow = await startE2E({ env: { CHECK_TIMEOUT_SECONDS: '0.001', REDELIVERY_INTERVAL_MINUTES: '0' } });
  try {
    const repo = slow.model.addRepo('css42', 'slow', BASE);
    const pr = slow.model.openPullRequest(repo, 'stall', STALLS['FROM ${A} repeated 20,000 times']!);
    await slow.send('pull_request', pullRequestEvent(repo, pr.number, 'opened'));
    const run = await waitFor(
      () => repo.checkRuns.find((r) => r.head_sha === pr.pull_request!.head && r.status === 'completed'),
      'the check run',
      30_000,
    );
    expect(run.conclusion).toBe('failure');
    expect(run.output?.summary).toMatch(/took longer than 0.001 s and was stopped/);
  } finally {
    await slow.stop();
  }
}, 60_000);

/** Polls `url` every 20 ms from a separate process until stopped; reports every answer's time (ms). */
function probeHealth(url: string) {
  const script = `
    const times = []; let failures = 0, stop = false;
    process.on('SIGTERM', () => { stop = true; });
    (async () => {
      while (!stop) {
        const started = performance.now();
        try { const r = await fetch(${JSON.stringify(url)}); await r.text(); if (r.status !== 200) failures++; } catch { failures++; }
        times.push(performance.now() - started);
        await new Promise((r) => setTimeout(r, 20));
      }
      process.stdout.write(JSON.stringify({ times, failures }));
    })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  return {
    async stop(): Promise<{ times: number[]; failures: number }> {
      child.kill('SIGTERM');
      await once(child, 'exit');
      return JSON.parse(out);
    },
  };
}
