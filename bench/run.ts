/**
 * `npm run bench`: Shipshape against the simulated GitHub, beside a baseline Probot app measured in the
 * same run. Reports API requests per event, webhook → check-run latency (p50/p95/p99), events per second
 * and peak RSS, as ratios to the baseline; writes bench/results.json. Bounded: every loop has a fixed
 * count and a deadline, and everything listens on 127.0.0.1 only.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readFixture } from '../test/helpers/fixtures.js';
import { pullRequestEvent, tagPush } from '../test/helpers/release-events.js';
import { startServer, testPrivateKey, type RunningServer } from '../test/helpers/server.js';
import { repoRoot } from '../test/helpers/paths.js';
import { GitHubModel, type Repo } from '../sim/model.js';
import { auditBench, renderAuditBench } from './audit.js';
import { GitHubSimulator, sendWebhook } from '../sim/server.js';

const SECRET = 'bench-secret';
const DEADLINE_MS = 240_000;
/** The burst stops waiting here: a check run not posted by then counts as an error (the baseline's queue of one write per second cannot finish 1,000 in time). */
const BURST_DEADLINE_MS = 120_000;
/** BENCH_BURST=200 makes a quicker run while developing; the reported figures use the default. */
const BURST = Number(process.env.BENCH_BURST ?? 1000);

type AppKind = 'shipshape' | 'baseline';
interface Env {
  kind: AppKind;
  model: GitHubModel;
  sim: GitHubSimulator;
  app: RunningServer;
}

async function start(kind: AppKind): Promise<Env> {
  const model = new GitHubModel();
  const sim = await new GitHubSimulator(model, { appId: 1, privateKeyPem: testPrivateKey, latencyMs: 5 }).start();
  const entry = kind === 'baseline' ? resolve(repoRoot, 'bench/baseline-app.js') : undefined;
  const app = await startServer({ GHE_HOST: sim.host, GHE_PROTOCOL: 'http', WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'warn' }, entry);
  return { kind, model, sim, app };
}

async function stop(env: Env): Promise<number> {
  const rss = peakRssMb(env.app.process.pid!);
  const problems = env.app.logs
    .join('')
    .split('\n')
    .filter((l) => /"level":(40|50|60)/.test(l));
  if (problems.length)
    console.error(
      `${env.kind}: ${problems.length} warnings or errors in the app's log, e.g.\n${problems.slice(0, 3).join('\n').slice(0, 2000)}`,
    );
  await env.app.stop();
  await env.sim.stop();
  return rss;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

function store(env: Env, name: string, extraFiles: number): Repo {
  const files: Record<string, string> = { ...readFixture('css01.dashboards_store') };
  for (let i = 0; i < extraFiles; i++) files[`models/staging/stg_${i}.sql`] = `select ${i} as id`;
  return env.model.addRepo('css42', name, files);
}

function prWebhook(env: Env, repo: Repo, changed: number, installation: number) {
  const changes: Record<string, string> = {};
  for (let i = 0; i < changed; i++) changes[`models/marts/m_${i}.sql`] = `select ${i}`;
  changes['requirements.txt'] = 'dbt-core==1.7.4\ndbt-sqlserver==1.7.3\n';
  const pr = env.model.openPullRequest(repo, `b${repo.issues.length + 1}`, changes);
  return { payload: pullRequestEvent(repo, pr.number, 'opened', installation), sha: pr.pull_request!.head, repo };
}

interface Sample {
  latencyMs: number;
  requests: number;
}

/** Send the webhooks with at most `concurrency` in flight, and time each until its check run exists. */
async function drive(
  env: Env,
  items: Array<{ payload: unknown; sha: string; repo: Repo }>,
  concurrency: number,
  deadlineMs = DEADLINE_MS,
): Promise<{ samples: Sample[]; errors: number; seconds: number }> {
  const started = Date.now();
  const before = env.model.requests.length;
  const sentAt = new Map<string, number>();
  let errors = 0;
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      sentAt.set(item.sha, Date.now());
      try {
        const status = await sendWebhook(env.app.url, SECRET, 'pull_request', item.payload);
        if (status >= 300) errors++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const done = () => items.every((i) => i.repo.checkRuns.some((r) => r.head_sha === i.sha));
  while (!done() && Date.now() - started < deadlineMs) await new Promise((r) => setTimeout(r, 20));
  const samples = items.map((i) => {
    const run = i.repo.checkRuns.find((r) => r.head_sha === i.sha);
    if (!run) errors++;
    return { latencyMs: run?.createdAt ? run.createdAt - sentAt.get(i.sha)! : Number.NaN, requests: 0 };
  });
  const perEvent = (env.model.requests.length - before) / items.length;
  samples.forEach((s) => (s.requests = perEvent));
  return { samples, errors, seconds: (Date.now() - started) / 1000 };
}

const pct = (values: number[], p: number) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : Number.NaN;
};

interface Row {
  scenario: string;
  app: AppKind;
  events: number;
  requestsPerEvent: number;
  p50: number;
  p95: number;
  p99: number;
  eventsPerSecond: number;
  errors: number;
  refusedBySecondaryLimits: number;
}

async function scenarios(kind: AppKind): Promise<{ rows: Row[]; peakRssMb: number }> {
  const env = await start(kind);
  const rows: Row[] = [];
  const record = (scenario: string, r: Awaited<ReturnType<typeof drive>>, refusedBefore: number) => {
    console.error(`${kind}: ${scenario}: ${r.samples.length} events in ${r.seconds.toFixed(1)} s, ${r.errors} errors`);
    rows.push({
      scenario,
      app: kind,
      events: r.samples.length,
      requestsPerEvent: r.samples.reduce((n, x) => n + x.requests, 0) / Math.max(1, r.samples.length),
      p50: pct(
        r.samples.map((s) => s.latencyMs),
        50,
      ),
      p95: pct(
        r.samples.map((s) => s.latencyMs),
        95,
      ),
      p99: pct(
        r.samples.map((s) => s.latencyMs),
        99,
      ),
      eventsPerSecond: r.samples.length / r.seconds,
      errors: r.errors,
      refusedBySecondaryLimits: env.sim.refused.length - refusedBefore,
    });
  };

  // (a) a 10-file PR, 20 times one after the other.
  let refused = env.sim.refused.length;
  const a = store(env, 'store-a', 0);
  const aSamples: Awaited<ReturnType<typeof drive>>[] = [];
  for (let i = 0; i < 20; i++) aSamples.push(await drive(env, [prWebhook(env, a, 10, 1)], 1));
  record(
    'a) 10-file PR',
    {
      samples: aSamples.flatMap((s) => s.samples),
      errors: aSamples.reduce((n, s) => n + s.errors, 0),
      seconds: aSamples.reduce((n, s) => n + s.seconds, 0),
    },
    refused,
  );

  // (b) a 300-file PR in a repository of 600 files.
  refused = env.sim.refused.length;
  const b = store(env, 'store-b', 600);
  const bSamples: Awaited<ReturnType<typeof drive>>[] = [];
  for (let i = 0; i < 5; i++) bSamples.push(await drive(env, [prWebhook(env, b, 300, 2)], 1));
  record(
    'b) 300-file PR',
    {
      samples: bSamples.flatMap((s) => s.samples),
      errors: bSamples.reduce((n, s) => n + s.errors, 0),
      seconds: bSamples.reduce((n, s) => n + s.seconds, 0),
    },
    refused,
  );

  // (d) 30 PRs opened at once on one installation.
  refused = env.sim.refused.length;
  const d = store(env, 'store-d', 0);
  record(
    'd) 30 PRs at once, one installation',
    await drive(
      env,
      Array.from({ length: 30 }, () => prWebhook(env, d, 3, 3)),
      30,
    ),
    refused,
  );

  // (c) a burst of 1,000 PR webhooks at concurrency 50, over 25 installations (40 each).
  refused = env.sim.refused.length;
  const repos = Array.from({ length: 25 }, (_, i) => store(env, `store-c${i}`, 0));
  const burst = Array.from({ length: BURST }, (_, i) => prWebhook(env, repos[i % 25]!, 3, 100 + (i % 25)));
  record(`c) ${BURST}-webhook burst, concurrency 50`, await drive(env, burst, 50, BURST_DEADLINE_MS), refused);

  // (e) tag → release issue (Shipshape only).
  if (kind === 'shipshape') {
    refused = env.sim.refused.length;
    const eSamples: Sample[] = [];
    let errors = 0;
    const started = Date.now();
    for (let i = 0; i < 5; i++) {
      const repo = env.model.addRepo('css42', `store-e${i}`, {
        ...readFixture('css01.dashboards_store'),
        '.github/shipshape.yml': 'tool: store\n',
      });
      env.model.tag(repo, '1.0.0', repo.branches.get('main')!, 'First release');
      const before = env.model.requests.length;
      const t0 = Date.now();
      await sendWebhook(env.app.url, SECRET, 'push', tagPush(repo, '1.0.0'));
      while (!repo.issues.some((x) => x.labels.includes('release')) && Date.now() - t0 < 30_000)
        await new Promise((r) => setTimeout(r, 10));
      if (!repo.issues.some((x) => x.labels.includes('release'))) errors++;
      await new Promise((r) => setTimeout(r, 100)); // the check run on the tag follows the issue
      eSamples.push({ latencyMs: Date.now() - t0 - 100, requests: env.model.requests.length - before });
    }
    rows.push({
      scenario: 'e) tag → release issue',
      app: kind,
      events: 5,
      requestsPerEvent: eSamples.reduce((n, s) => n + s.requests, 0) / 5,
      p50: pct(
        eSamples.map((s) => s.latencyMs),
        50,
      ),
      p95: pct(
        eSamples.map((s) => s.latencyMs),
        95,
      ),
      p99: pct(
        eSamples.map((s) => s.latencyMs),
        99,
      ),
      eventsPerSecond: 5 / ((Date.now() - started) / 1000),
      errors,
      refusedBySecondaryLimits: env.sim.refused.length - refused,
    });
  }
  const violations = env.model.violations.length;
  if (violations) console.error(`${kind}: ${violations} requests GitHub's descriptions reject, e.g. ${env.model.violations[0]}`);
  return { rows, peakRssMb: await stop(env) };
}

async function main() {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: repoRoot, stdio: 'inherit' });
  const ours = await scenarios('shipshape');
  const base = await scenarios('baseline');
  const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
  const lines = [
    '| scenario | app | events | API req/event | p50 ms | p95 ms | p99 ms | events/s | errors | refused (2nd limits) | p95 vs baseline |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of [...ours.rows, ...base.rows]) {
    const twin = row.app === 'shipshape' ? base.rows.find((b) => b.scenario === row.scenario) : undefined;
    const ratio = twin ? `${fmt(row.p95 / twin.p95, 3)}×` : '';
    lines.push(
      `| ${row.scenario} | ${row.app} | ${row.events} | ${fmt(row.requestsPerEvent, 1)} | ${fmt(row.p50)} | ${fmt(row.p95)} | ${fmt(row.p99)} | ${fmt(row.eventsPerSecond, 1)} | ${row.errors} | ${row.refusedBySecondaryLimits} | ${ratio} |`,
    );
  }
  lines.push(
    '',
    `errors: webhooks not acknowledged, or check runs not posted within ${BURST_DEADLINE_MS / 1000} s (burst) or ${DEADLINE_MS / 1000} s (others). Latencies are from sending the webhook to the check run (or release issue) existing in the simulated GitHub.`,
  );
  lines.push(
    '',
    `peak RSS: shipshape ${fmt(ours.peakRssMb, 1)} MB, baseline ${fmt(base.peakRssMb, 1)} MB (${fmt(ours.peakRssMb / base.peakRssMb, 2)}×)`,
  );
  console.log(lines.join('\n'));
  console.log(`\n${renderAuditBench(await auditBench())}`);
  console.log('\n' + (await (await import('./sustained.js')).sustainedLine()));
  console.log('\n' + (await (await import('./burst.js')).burstLine()));
  console.log('\n' + (await import('./cli.js')).cliStartupLine());
  console.log('\n' + (await (await import('./adversarial.js')).adversarialLine()));
  writeFileSync(
    resolve(repoRoot, 'bench/results.json'),
    JSON.stringify({ date: new Date().toISOString(), shipshape: ours, baseline: base }, null, 2),
  );
}

await main();
