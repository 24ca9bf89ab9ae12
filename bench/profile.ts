/**
 * Where a burst's time goes, for bench/burst.ts: V8 CPU profiles cut to the burst's window (the app's,
 * written by `node --cpu-prof`, and the bench process's own, which runs the simulator), and a wall-clock
 * timeline of each event from the simulator's side (when each request arrived and was answered).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Session } from 'node:inspector/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { repoRoot } from '../test/helpers/paths.js';

/** Microseconds on the monotonic clock V8's profiles use (CLOCK_MONOTONIC, as `process.hrtime`). */
export const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

export interface Window {
  startUs: number;
  endUs: number;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

/** Profiles this process (the simulator and the driver) until `stop`, which writes the .cpuprofile. */
export async function profileThisProcess(): Promise<{ stop: (path: string) => Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  return {
    async stop(path) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(path, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** Self time per function and per package or source folder of a V8 .cpuprofile, within `window` when given. */
export function summarizeProfile(path: string, window?: Window, top = 15): string[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.startUs || at > window.endUs)) return;
    selfMs.set(id, (selfMs.get(id) ?? 0) + delta / 1000);
  });
  const fn = new Map<string, number>();
  const area = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of selfMs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    // Idle, and a Piscina worker blocked in Atomics.wait between tasks, are waiting, not work.
    if (functionName === '(idle)' || functionName === '(program)' || /piscina\/dist\/worker\.js/.test(url)) continue;
    total += ms;
    const where = url.replace(/^file:\/\//, '').replace(`${repoRoot}/`, '');
    const name = `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim();
    fn.set(name, (fn.get(name) ?? 0) + ms);
    const pkg =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(where)?.[1] ??
      (/^(dist|src|bench|test)\//.test(where) ? where.split('/').slice(0, 2).join('/') : where ? 'node internals' : functionName);
    area.set(pkg, (area.get(pkg) ?? 0) + ms);
  }
  const fmt = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, ms]) => `  ${ms.toFixed(0).padStart(6)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${k}`);
  return [`busy CPU: ${total.toFixed(0)} ms`, 'by package / folder:', ...fmt(area), 'by function (self time):', ...fmt(fn)];
}

export interface SimRequest {
  method: string;
  url: string;
  body: string;
  arrivedMs: number;
  answeredMs?: number;
}

/** Records every request the simulator's server receives: arrival, answer and body (the handler reads the same stream). */
export function recordRequests(server: Server): SimRequest[] {
  const log: SimRequest[] = [];
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const entry: SimRequest = { method: req.method ?? 'GET', url: req.url ?? '', body: '', arrivedMs: performance.now() };
    log.push(entry);
    req.prependListener('data', (chunk: Buffer) => (entry.body += chunk.toString('utf8')));
    res.on('finish', () => (entry.answeredMs = performance.now()));
  });
  return log;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : Number.NaN;
};

/**
 * The median of each step between an event's webhook and its check run, from the simulator's side: the
 * app's work shows as the gaps between one answer and the next request, GitHub's as the time to answer.
 */
export function timeline(events: Array<{ sha: string; sentMs: number }>, requests: SimRequest[]): string[] {
  const steps = new Map<string, number[]>();
  const add = (step: string, ms: number) => steps.set(step, [...(steps.get(step) ?? []), ms]);
  for (const { sha, sentMs } of events) {
    const mine = requests
      .filter((r) => !r.url.includes('/access_tokens') && r.body.includes(sha))
      .sort((a, b) => a.arrivedMs - b.arrivedMs);
    let last = sentMs;
    let lastLabel = 'webhook sent';
    mine.forEach((r, i) => {
      const label = `${r.url.includes('graphql') ? 'GraphQL' : `${r.method} ${r.url.replace(/\/repos\/[^/]+\/[^/]+/, '/repos/…')}`} #${i + 1}`;
      add(`${lastLabel} → ${label} arrives (app)`, r.arrivedMs - last);
      add(`${label} answered (simulator)`, (r.answeredMs ?? r.arrivedMs) - r.arrivedMs);
      last = r.answeredMs ?? r.arrivedMs;
      lastLabel = `${label} answered`;
    });
  }
  const tokens = requests.filter((r) => r.url.includes('/access_tokens')).length;
  return [
    `median per event (${events.length} events; ${tokens} installation tokens minted during the burst):`,
    ...[...steps].map(([step, values]) => `  ${median(values).toFixed(0).padStart(6)} ms  ${step}`),
  ];
}
