/**
 * 30 pull requests opened at once on one installation, against the simulated GitHub: webhook → check-run
 * latency p50/p95, API requests per event, and the CPU the app and this process (the simulator) spent.
 *
 *   npx tsx bench/burst.ts [--entry dist/main.js] [--profile] [--cold]
 *   npx tsx bench/burst.ts --runs 5 [--against other/dist/main.js]
 *
 * `--profile` runs the server under `node --cpu-prof` and profiles this process too, both cut to the
 * burst; it prints where each side's CPU went and the median time of each step of an event as the
 * simulator saw it (the .cpuprofile files stay under bench/profiles/ for Chrome DevTools or speedscope).
 * `--runs` repeats the burst, alternating with another build when `--against` names one, so both see the
 * same machine load. `--cold` leaves out the warm-up event. Builds nothing: run `npm run build` first.
 * Listens on 127.0.0.1 only; every wait has a deadline.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readFixture } from '../test/helpers/fixtures.js';
import { repoRoot } from '../test/helpers/paths.js';
import { pullRequestEvent } from '../test/helpers/release-events.js';
import { startServer, testPrivateKey } from '../test/helpers/server.js';
import { GitHubModel } from '../sim/model.js';
import { GitHubSimulator, sendWebhook } from '../sim/server.js';
import { monotonicUs, profileThisProcess, recordRequests, summarizeProfile, timeline, type Window } from './profile.js';

const SECRET = 'bench-secret';
const PRS = 30;
const DEADLINE_MS = 60_000;

export interface BurstResult {
  p50: number;
  p95: number;
  requestsPerEvent: number;
  /** CPU time (user + system) the app's process spent on the burst, per event: steadier than latency on a busy machine. */
  appCpuMsPerEvent: number;
  /** CPU time this process (the simulator, and the driver sending webhooks) spent on the burst, per event. */
  simCpuMsPerEvent: number;
  errors: number;
  /** The burst's span on the monotonic clock of V8's profiles, and the per-event timeline (with `profileDir`). */
  window: Window;
  timeline?: string[];
}

/** User + system CPU milliseconds a process has used so far (Linux /proc). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks at USER_HZ = 100
}

const pct = (values: number[], p: number) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : Number.NaN;
};

/** `cold`: no warm-up event, so the burst also pays the installation token, the first decision and the JIT. */
export async function burstOf30(options: { entry?: string; profileDir?: string; cold?: boolean } = {}): Promise<BurstResult> {
  const model = new GitHubModel();
  const sim = await new GitHubSimulator(model, { appId: 1, privateKeyPem: testPrivateKey, latencyMs: 5 }).start();
  const env: Record<string, string> = { GHE_HOST: sim.host, GHE_PROTOCOL: 'http', WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'warn' };
  const entry = options.entry ?? resolve(repoRoot, 'dist/main.js');
  const app = options.profileDir
    ? await startServer({ ...env, BENCH_ENTRY: entry }, resolve(repoRoot, 'bench/exit-on-sigterm.mjs'), [
        '--cpu-prof',
        `--cpu-prof-dir=${options.profileDir}`,
      ])
    : await startServer(env, entry);
  try {
    const repo = model.addRepo('css42', 'store-burst', readFixture('css01.dashboards_store'));
    // Warm-up: one PR first, so module loading and JIT are not billed to the burst.
    if (!options.cold) {
      const warm = model.openPullRequest(repo, 'warm', { 'requirements.txt': 'dbt-core==1.7.4\n' });
      await sendWebhook(app.url, SECRET, 'pull_request', pullRequestEvent(repo, warm.number, 'opened', 7));
      for (const t0 = Date.now(); !repo.checkRuns.some((r) => r.head_sha === warm.pull_request!.head) && Date.now() - t0 < DEADLINE_MS;)
        await new Promise((r) => setTimeout(r, 10));
    }
    const items = Array.from({ length: PRS }, (_, i) => {
      const pr = model.openPullRequest(repo, `b${i}`, {
        [`models/marts/m_${i}.sql`]: `select ${i}`,
        'requirements.txt': 'dbt-core==1.7.4\ndbt-sqlserver==1.7.3\n',
      });
      return { payload: pullRequestEvent(repo, pr.number, 'opened', 7), sha: pr.pull_request!.head };
    });
    const before = model.requests.length;
    const requests = options.profileDir ? recordRequests(sim.server) : [];
    const self = options.profileDir ? await profileThisProcess() : undefined;
    const cpuBefore = cpuMs(app.process.pid!);
    const simCpuBefore = process.cpuUsage();
    const startUs = monotonicUs();
    const sentAt = new Map<string, number>();
    const sentMs = new Map<string, number>();
    let errors = 0;
    await Promise.all(
      items.map(async (item) => {
        sentAt.set(item.sha, Date.now());
        sentMs.set(item.sha, performance.now());
        const status = await sendWebhook(app.url, SECRET, 'pull_request', item.payload).catch(() => 599);
        if (status >= 300) errors++;
      }),
    );
    const done = () => items.every((i) => repo.checkRuns.some((r) => r.head_sha === i.sha));
    for (const t0 = Date.now(); !done() && Date.now() - t0 < DEADLINE_MS;) await new Promise((r) => setTimeout(r, 10));
    const window = { startUs, endUs: monotonicUs() };
    await self?.stop(resolve(options.profileDir!, 'simulator.cpuprofile'));
    const latencies = items.map((i) => {
      const run = repo.checkRuns.find((r) => r.head_sha === i.sha);
      if (!run?.createdAt) errors++;
      return run?.createdAt ? run.createdAt - sentAt.get(i.sha)! : Number.NaN;
    });
    const appCpuMsPerEvent = (cpuMs(app.process.pid!) - cpuBefore) / PRS;
    const simCpu = process.cpuUsage(simCpuBefore);
    const simCpuMsPerEvent = (simCpu.user + simCpu.system) / 1000 / PRS;
    const appRequests = model.requests.slice(before).filter((r) => !r.path.startsWith('/app/')).length;
    return {
      p50: pct(latencies, 50),
      p95: pct(latencies, 95),
      requestsPerEvent: appRequests / PRS,
      appCpuMsPerEvent,
      simCpuMsPerEvent,
      errors,
      window,
      timeline: options.profileDir
        ? timeline(
            items.map((i) => ({ sha: i.sha, sentMs: sentMs.get(i.sha)! })),
            requests,
          )
        : undefined,
    };
  } finally {
    await app.stop();
    await sim.stop();
  }
}

/**
 * The line `npm run bench` prints for the burst, with the target the engine issue set (p95 under 800 ms).
 * One burst on a shared 2-core machine swings by a factor of two with the load, so it runs three and
 * prints each, their median, and the load average they ran under.
 */
export async function burstLine(runs = 3): Promise<string> {
  const results: BurstResult[] = [];
  const load = loadavg()[0]!;
  for (let i = 0; i < runs; i++) results.push(await burstOf30());
  const median = (pick: (r: BurstResult) => number) => results.map(pick).sort((a, b) => a - b)[Math.floor((runs - 1) / 2)]!;
  const met = results.filter((r) => r.p95 < 800).length;
  const each = results.map((r) => `${r.p50}/${r.p95}`).join(', ');
  return (
    `30 PRs at once, one installation (bench/burst.ts, ${runs} runs, load average ${load.toFixed(1)} on ${availableParallelism()} cores): ` +
    `median p50 ${median((r) => r.p50)} ms, p95 ${median((r) => r.p95)} ms (p50/p95 of each run: ${each}; target p95 < 800 ms: met in ${met} of ${runs}), ` +
    `${results[0]!.requestsPerEvent.toFixed(1)} API requests per event, app CPU ${median((r) => r.appCpuMsPerEvent).toFixed(1)} ms per event ` +
    `(simulator ${median((r) => r.simCpuMsPerEvent).toFixed(1)}), ${results.reduce((n, r) => n + r.errors, 0)} errors`
  );
}

const describe = (r: BurstResult) =>
  `p50 ${r.p50} ms, p95 ${r.p95} ms, ${r.requestsPerEvent.toFixed(1)} API requests per event, app CPU ${r.appCpuMsPerEvent.toFixed(1)} ms per event, simulator CPU ${r.simCpuMsPerEvent.toFixed(1)} ms per event, ${r.errors} errors`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      entry: { type: 'string' },
      profile: { type: 'boolean' },
      runs: { type: 'string' },
      against: { type: 'string' },
      cold: { type: 'boolean' },
    },
  });
  const entry = values.entry ? resolve(values.entry) : undefined;
  if (values.runs || values.against) {
    // Several runs, alternating with another build of the app (`--against`) so both see the same machine load.
    const entries = [entry ?? resolve(repoRoot, 'dist/main.js'), ...(values.against ? [resolve(values.against)] : [])];
    for (let run = 1; run <= Number(values.runs ?? 3); run++)
      for (const e of entries) {
        const load = loadavg()
          .map((l) => l.toFixed(2))
          .join(' ');
        console.log(
          `run ${run} ${e.replace(`${repoRoot}/`, '')} (load ${load}): ${describe(await burstOf30({ entry: e, cold: values.cold }))}`,
        );
      }
  } else {
    const profileDir = values.profile ? resolve(repoRoot, 'bench/profiles', String(Date.now())) : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const result = await burstOf30({ entry, profileDir, cold: values.cold });
    console.log(`30 PRs at once, one installation: ${describe(result)}`);
    if (profileDir) {
      console.log(`burst window (monotonic µs): ${result.window.startUs} – ${result.window.endUs}`);
      console.log(result.timeline!.join('\n'));
      for (const file of readdirSync(profileDir).sort()) {
        const side = file === 'simulator.cpuprofile' ? 'bench process (simulator and driver)' : 'app process (one file per thread)';
        console.log(
          [`\n${side}, during the burst: ${profileDir}/${file}`, ...summarizeProfile(resolve(profileDir, file), result.window)].join('\n'),
        );
      }
    }
  }
}
