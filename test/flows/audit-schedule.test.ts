/** The daily audit: each repository once per period, spread over it, and once only across replicas. */
import { startDelays } from '../../src/handlers/audit.js';
import { AuditSchedule, dueTargets, slotOf, type ScheduleTarget } from '../../src/flows/audit-schedule.js';
import { memoryCoordination, redisCoordination, type Coordination } from '../../src/ops/coordination.js';
import { describeWithRedis, redisForBlock } from '../helpers/redis.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
const repos = (n: number): ScheduleTarget[] =>
  Array.from({ length: n }, (_, i) => ({ installationId: 1, owner: 'css01', repo: `store-${i}` }));

/** Run a schedule over `ticks` minutes of a fake clock; returns how often each repository was audited. */
async function simulate(
  schedules: number,
  lock: () => Coordination,
  targets: ScheduleTarget[],
  minutes: number,
): Promise<Map<string, number>> {
  let now = Date.parse('2026-11-29T00:00:00Z');
  const counts = new Map<string, number>();
  const all = Array.from(
    { length: schedules },
    () =>
      new AuditSchedule({
        periodMs: DAY,
        tickMs: MINUTE,
        listEveryMs: 60 * MINUTE,
        list: () => Promise.resolve(targets),
        run: (ts) => {
          for (const t of ts) counts.set(t.repo, (counts.get(t.repo) ?? 0) + 1);
          return Promise.resolve();
        },
        coordination: lock(),
        now: () => now,
      }),
  );
  for (let i = 0; i < minutes; i++) {
    now += MINUTE;
    await Promise.all(all.map((s) => s.tick()));
  }
  return counts;
}

describe('spreading', () => {
  it('slots are stable and spread over the day: 2,000 repositories, no hour with more than twice its share', () => {
    expect(slotOf('css01/store-1', DAY)).toBe(slotOf('CSS01/Store-1', DAY));
    const perHour = new Array(24).fill(0);
    for (const t of repos(2000)) perHour[Math.floor(slotOf(`${t.owner}/${t.repo}`, DAY) / 3_600_000)]++;
    expect(Math.max(...perHour)).toBeLessThan((2000 / 24) * 2);
    expect(Math.min(...perHour)).toBeGreaterThan(0);
  });

  it('a window takes each slot once: consecutive windows never repeat or skip one', () => {
    const targets = repos(300);
    const seen = new Map<string, number>();
    const start = Date.parse('2026-11-29T00:00:00Z');
    for (let t = start; t < start + DAY; t += 7 * MINUTE)
      for (const { target } of dueTargets(targets, t, t + 7 * MINUTE, DAY)) seen.set(target.repo, (seen.get(target.repo) ?? 0) + 1);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(seen.size).toBe(300);
  });

  it('with 15-minute windows, 2,000 repositories are audited once a day in at most 96 batches of about 21', async () => {
    let now = Date.parse('2026-11-29T00:00:00Z');
    const sizes: number[] = [];
    const seen = new Set<string>();
    const schedule = new AuditSchedule({
      periodMs: DAY,
      tickMs: MINUTE,
      windowMs: 15 * MINUTE,
      listEveryMs: 60 * MINUTE,
      list: () => Promise.resolve(repos(2000)),
      run: (due) => {
        sizes.push(due.length);
        for (const t of due) seen.add(t.repo);
        return Promise.resolve();
      },
      coordination: memoryCoordination(),
      now: () => now,
    });
    for (let i = 0; i < 24 * 60; i++) {
      now += MINUTE;
      await schedule.tick();
    }
    expect(seen.size).toBe(2000);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(sizes.length).toBeLessThanOrEqual(96);
    expect(Math.max(...sizes)).toBeLessThan(2 * (2000 / 96));
  });

  it('one schedule over two days audits each repository twice (once a day)', async () => {
    const counts = await simulate(1, () => memoryCoordination(), repos(50), 2 * 24 * 60);
    expect([...counts.values()].every((n) => n === 2)).toBe(true);
    expect(counts.size).toBe(50);
  });

  it('in-process, a lock shared by two schedules still audits each repository once', async () => {
    const shared = memoryCoordination();
    const counts = await simulate(2, () => shared, repos(50), 24 * 60);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });
});

describe('installing on many repositories at once', () => {
  it('the first 20 start at once, the rest at 600 an hour: 2,000 repositories over 3.3 hours', () => {
    const delays = startDelays(2000);
    expect(delays.slice(0, 20).every((d) => d === 0)).toBe(true);
    expect(delays[20]).toBe(6_000);
    expect(delays[1999]! / 3_600_000).toBeCloseTo(3.3, 1);
    expect(startDelays(2000, 1200)[1999]! / 3_600_000).toBeCloseTo(1.65, 2);
  });
});

describeWithRedis('replicas sharing Redis', () => {
  const { connect } = redisForBlock();

  it('three replicas over a day: every repository audited exactly once', async () => {
    const counts = await simulate(3, () => redisCoordination(connect()), repos(60), 24 * 60);
    expect(counts.size).toBe(60);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);
});
