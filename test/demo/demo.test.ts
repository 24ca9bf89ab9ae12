/** `npm run demo` as a newcomer runs it: the whole story against the simulator, exit 0, under 30 s. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildRoot, repoRoot } from '../helpers/paths.js';

/** `npm run demo` is `tsx demo/run.ts`; the server it starts is this run's build. */
const demo = (...args: string[]) => [process.execPath, ['--import', 'tsx', resolve(repoRoot, 'demo/run.ts'), ...args]] as const;

it('plays the pull request and the whole release, and exits 0 in under 30 s', () => {
  const started = Date.now();
  // No GitHub credentials in its environment: the demo makes its own for the simulator.
  const run = spawnSync(...demo(), {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, SHIPSHAPE_BUILD: buildRoot },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const seconds = (Date.now() - started) / 1000;
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const out = run.stdout;
  expect(out).toMatch(/✗ shipshape\/policy — failure: 2 errors/);
  expect(out).toMatch(/packages\.yml:3 {2}dbt-packages-pinned/);
  expect(out).toMatch(/✓ shipshape\/policy — success/);
  expect(out).toMatch(/Issue #2 "Release version 1\.0\.0 of css42 dashboards store" {2}\[release\] {2}milestone 1\.0\.0/);
  for (const command of ['/approve', '/deploy staging', '/verify staging', '/deploy production', '/publish'])
    expect(out).toContain(`comments on #2: ${command}`);
  expect(out).toMatch(/published; issue #2 closed; milestone 1\.0\.0 closed/);
  expect(out).toMatch(/- \[x\] Published$/m);
  expect(out).toMatch(/✓ The whole story in [\d.]+ s/);
  expect(seconds).toBeLessThan(30);
}, 90_000);

it('`sim` without a running demo says how to start one', () => {
  const run = spawnSync(...demo('sim', 'comment', '2', '/status'), {
    cwd: repoRoot,
    // An empty TMPDIR: no demo's state file there (and tsx keeps its cache there, not in the tree).
    env: { PATH: process.env.PATH, TMPDIR: mkdtempSync(join(tmpdir(), 'shipshape-demo-test-')) },
    encoding: 'utf8',
  });
  expect(run.status).toBe(2);
  expect(run.stdout).toContain('npm run demo -- --keep');
});
