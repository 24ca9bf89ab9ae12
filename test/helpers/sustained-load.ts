/**
 * Sustained load on one installation, as GitHub would send it: the installation first handles a burst
 * (`warmup` pull requests, all checked), then pull-request events arrive at a steady rate. Each event is
 * timed from the webhook to its check run in the simulated GitHub, which enforces the documented
 * secondary limits; every refusal is counted. Used by the e2e test and by `npm run bench`.
 */
import { readFixture } from './fixtures.js';
import { pullRequestEvent } from './release-events.js';
import { startServer, testPrivateKey, type RunningServer } from './server.js';
import { GitHubModel, type Repo } from '../../sim/model.js';
import { GitHubSimulator, sendWebhook } from '../../sim/server.js';

export interface SustainedOptions {
  warmup?: number;
  events?: number;
  perSecond?: number;
  repos?: number;
  installation?: number;
  /** How long to wait for the check runs after the last event (ms). */
  settleMs?: number;
  /** How long the warm-up burst may take (ms). */
  warmupDeadlineMs?: number;
  /** Delay the simulator adds to every answer (ms), as in the benchmark. */
  latencyMs?: number;
  env?: Record<string, string>;
}

export interface SustainedResult {
  warmupSeconds: number;
  warmupChecked: number;
  events: number;
  checked: number;
  /** Check runs per minute over the steady phase: from the first steady event to the last check run. */
  eventsPerMinute: number;
  p50: number;
  p95: number;
  max: number;
  /** Time from the last event to the last check run (ms); NaN when some never came. */
  lastEventToLastCheckMs: number;
  refusals: number;
  notAcknowledged: number;
  /** Answered 503 because the work was still waiting for budget at GitHub's deadline (GitHub redelivers; the check still comes). */
  answeredLate: number;
  refusedSample: string[];
  violations: string[];
  warnings: string[];
  /** The app's /metrics at the end. */
  metrics: string;
}

const SECRET = 'sustained-secret';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(values: number[], p: number): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : Number.NaN;
}

export async function sustainedLoad(options: SustainedOptions = {}): Promise<SustainedResult> {
  const {
    warmup = 60,
    events = 150,
    perSecond = 5,
    repos: repoCount = 10,
    installation = 4242,
    settleMs = 90_000,
    warmupDeadlineMs = 300_000,
    latencyMs = 5,
  } = options;
  const model = new GitHubModel();
  const sim = await new GitHubSimulator(model, { appId: 1, privateKeyPem: testPrivateKey, latencyMs }).start();
  let app: RunningServer | undefined;
  try {
    app = await startServer({
      GHE_HOST: sim.host,
      GHE_PROTOCOL: 'http',
      WEBHOOK_SECRET: SECRET,
      LOG_LEVEL: 'warn',
      REDELIVERY_INTERVAL_MINUTES: '0',
      ...options.env,
    });
    const fixture = readFixture('css01.dashboards_store');
    const repos = Array.from({ length: repoCount }, (_, i) => model.addRepo('css42', `store-s${i}`, fixture));
    let branch = 0;
    const pr = (repo: Repo) => {
      const issue = model.openPullRequest(repo, `s${++branch}`, {
        'models/marts/m.sql': `select ${branch}`,
        'requirements.txt': 'dbt-core==1.7.4\n',
      });
      return { repo, sha: issue.pull_request!.head, payload: pullRequestEvent(repo, issue.number, 'opened', installation) };
    };
    const checked = (item: { repo: Repo; sha: string }) =>
      item.repo.checkRuns.find((r) => r.head_sha === item.sha && r.status === 'completed');
    let notAcknowledged = 0;
    let answeredLate = 0;
    const send = async (payload: unknown) => {
      try {
        const status = await sendWebhook(app!.url, SECRET, 'pull_request', payload);
        if (status === 503) answeredLate++;
        else if (status >= 300) notAcknowledged++;
      } catch {
        notAcknowledged++;
      }
    };

    // The burst the installation has just handled: sent 10 at a time, every check run awaited.
    const warmStart = Date.now();
    const warm = Array.from({ length: warmup }, (_, i) => pr(repos[i % repoCount]!));
    for (let i = 0; i < warm.length; i += 10) await Promise.all(warm.slice(i, i + 10).map((w) => send(w.payload)));
    while (!warm.every(checked) && Date.now() - warmStart < warmupDeadlineMs) await sleep(50);
    const warmupSeconds = (Date.now() - warmStart) / 1000;

    // The steady phase: one event every 1/perSecond s, on a fixed schedule whatever the answers take.
    const steady = Array.from({ length: events }, (_, i) => pr(repos[i % repoCount]!));
    const sentAt = new Map<string, number>();
    const start = Date.now();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < steady.length; i++) {
      const due = start + (i * 1000) / perSecond;
      if (due > Date.now()) await sleep(due - Date.now());
      sentAt.set(steady[i]!.sha, Date.now());
      sends.push(send(steady[i]!.payload));
    }
    const lastSent = Date.now();
    await Promise.all(sends);
    while (!steady.every(checked) && Date.now() - lastSent < settleMs) await sleep(50);

    const latencies = steady.map((s) => (checked(s)?.createdAt ?? Number.NaN) - sentAt.get(s.sha)!);
    const done = steady.filter(checked);
    const lastCheck = Math.max(...done.map((s) => checked(s)!.createdAt!));
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    const warnings = app.logs
      .join('')
      .split('\n')
      .filter((l) => /"level":(40|50|60)/.test(l));
    return {
      warmupSeconds,
      warmupChecked: warm.filter(checked).length,
      events,
      checked: done.length,
      eventsPerMinute: done.length ? (done.length * 60_000) / Math.max(1, lastCheck - start) : 0,
      p50: percentile(latencies, 50),
      p95: done.length === events ? percentile(latencies, 95) : Number.NaN,
      max: done.length === events ? Math.max(...latencies) : Number.NaN,
      lastEventToLastCheckMs: done.length === events ? lastCheck - lastSent : Number.NaN,
      refusals: sim.refused.length,
      notAcknowledged,
      answeredLate,
      refusedSample: sim.refused.slice(0, 3),
      violations: model.violations.slice(0, 3),
      warnings: warnings.slice(0, 3),
      metrics,
    };
  } finally {
    await app?.stop();
    await sim.stop();
  }
}
