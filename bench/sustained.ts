/**
 * Sustained load on one installation: 60 pull requests handled, then 150 more at 5 a second, against the
 * simulated GitHub and its secondary limits. Prints one line: check runs per minute per installation at
 * steady state, p95 webhook → check-run latency, refusals; beside it the same scenario measured before
 * the throttling followed GitHub's per-endpoint budgets (one pooled bucket of 180 writes a minute).
 * `npx tsx bench/sustained.ts` runs it alone (after `npm run build`).
 */
import { pathToFileURL } from 'node:url';
import { sustainedLoad } from '../test/helpers/sustained-load.js';

/** Measured with this very scenario on the pooled-bucket throttling (commit cc433de), before the change. */
const POOLED = { eventsPerMinute: 50, p95Ms: 156_219, refusals: 0, lastEventToLastCheckS: 152 };

export async function sustainedLine(): Promise<string> {
  // Long enough for the pooled figure to finish; the e2e test holds the product to 90 s.
  const r = await sustainedLoad({ settleMs: 300_000 });
  if (r.violations.length) console.error(`sustained: requests GitHub's descriptions reject, e.g. ${r.violations[0]}`);
  if (r.refusals) console.error(`sustained: refused by the secondary limits, e.g. ${r.refusedSample.join('; ')}`);
  if (process.env.BENCH_DEBUG)
    console.error(
      r.metrics
        .split('\n')
        .filter((l) => /budget_(remaining|wait_seconds_(sum|count))|job_duration_seconds_(sum|count)/.test(l))
        .join('\n'),
      { ...r, metrics: undefined },
    );
  if (r.warnings.length) console.error(`sustained: warnings in the app's log, e.g. ${r.warnings[0]!.slice(0, 500)}`);
  const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');
  const missed = r.checked < r.events ? `, ${r.events - r.checked} without a check run` : '';
  return (
    `sustained (one installation, 60 PRs then ${r.events} at 5/s): ${fmt(r.eventsPerMinute)} events/min, p95 ${fmt(r.p95)} ms, ` +
    `last check run ${fmt(r.lastEventToLastCheckMs / 1000)} s after the last event, ${r.refusals} refusals${missed} ` +
    `| pooled bucket before: ${POOLED.eventsPerMinute} events/min, p95 ${POOLED.p95Ms} ms, last check run ${POOLED.lastEventToLastCheckS} s after, ${POOLED.refusals} refusals`
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(await sustainedLine());
