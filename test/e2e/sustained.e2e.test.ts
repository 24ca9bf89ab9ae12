/**
 * Throughput under sustained load (the real server against the simulated GitHub, which enforces GitHub's
 * secondary limits per endpoint): one installation handles 60 pull requests, then 150 more arrive at 5 a
 * second. Every one gets its check run within 90 s of the last event, and GitHub refuses nothing.
 * Check-run creation (180 a minute per installation on POST /check-runs) bounds it: the ~30 runs beyond
 * the first minute's budget wait for it, so the test takes about 70 s. Their webhooks are answered 503 at
 * GitHub's deadline (the work is not done, so not acknowledged: GitHub redelivers them) and counted apart.
 */
import { sustainedLoad } from '../helpers/sustained-load.js';

it('150 pull requests at 5 a second, after 60, all get their check run within 90 s of the last, with no refusal', async () => {
  const r = await sustainedLoad({ warmup: 60, events: 150, perSecond: 5, settleMs: 90_000, warmupDeadlineMs: 90_000 });
  console.log(
    `sustained e2e: warm-up ${r.warmupSeconds.toFixed(1)} s; ${r.checked}/${r.events} checked; last check run ${(r.lastEventToLastCheckMs / 1000).toFixed(1)} s after the last event; p50 ${r.p50} ms, p95 ${r.p95} ms; ${r.eventsPerMinute.toFixed(0)} events/min; refusals ${r.refusals}; answered 503 while waiting for budget ${r.answeredLate}`,
  );
  expect(r.violations).toEqual([]);
  expect(r.refusedSample).toEqual([]);
  expect(r.refusals).toBe(0);
  expect(r.notAcknowledged).toBe(0);
  expect(r.warmupChecked).toBe(60);
  expect(r.checked).toBe(150);
  expect(r.lastEventToLastCheckMs).toBeLessThanOrEqual(90_000);
  // /metrics shows what is left of each budget and how long requests waited for them.
  expect(r.metrics).toMatch(
    /shipshape_github_budget_remaining_points\{installation="4242",budget="rest POST \/repos\/\*\/\*\/check-runs"\} \d+/,
  );
  expect(r.metrics).toMatch(/shipshape_github_budget_remaining_points\{installation="4242",budget="graphql"\} \d+/);
  expect(Number(/shipshape_github_budget_wait_seconds_sum\{budget="rest"\} ([\d.e+-]+)/.exec(r.metrics)?.[1])).toBeGreaterThan(0);
}, 330_000);
