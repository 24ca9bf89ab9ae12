/** The one runner of timed work: no overlap, errors counted and logged (never thrown), nothing after stop. */
import { jest } from '@jest/globals';
import { Timers } from '../../src/ops/timers.js';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

it('every: once after firstAfterMs, and each period; a run still going skips the ticks that come meanwhile', async () => {
  const timers = new Timers();
  const starts: number[] = [];
  let finish: (() => void) | undefined;
  timers.every(
    'slow',
    1_000,
    () => {
      starts.push(Date.now());
      return new Promise<void>((r) => (finish = r));
    },
    100,
  );
  await jest.advanceTimersByTimeAsync(100);
  expect(starts).toHaveLength(1);
  await jest.advanceTimersByTimeAsync(2_000); // two ticks while the first run is still going
  expect(starts).toHaveLength(1);
  finish!();
  await jest.advanceTimersByTimeAsync(1_000);
  expect(starts).toHaveLength(2);
  timers.stop();
});

it('a failing run is logged with its name and does not stop the next one', async () => {
  const warnings: string[] = [];
  const timers = new Timers({ warn: (_obj, msg) => warnings.push(msg) });
  let runs = 0;
  timers.every('flaky', 1_000, () => {
    runs++;
    return Promise.reject(new Error('GitHub answered 502'));
  });
  await jest.advanceTimersByTimeAsync(2_000);
  expect(runs).toBe(2);
  expect(warnings).toEqual(['flaky: GitHub answered 502 (carried on)', 'flaky: GitHub answered 502 (carried on)']);
  timers.stop();
});

it('after: once; stop cancels what has not fired, and nothing is scheduled after it', async () => {
  const timers = new Timers();
  const fired: string[] = [];
  timers.after('a', 100, () => fired.push('a'));
  timers.after('b', 500, () => fired.push('b'));
  timers.every('c', 300, () => Promise.resolve(fired.push('c')));
  await jest.advanceTimersByTimeAsync(350);
  expect(fired).toEqual(['a', 'c']);
  timers.stop();
  timers.after('d', 1, () => fired.push('d'));
  timers.every('e', 1, () => Promise.resolve(fired.push('e')));
  await jest.advanceTimersByTimeAsync(10_000);
  expect(fired).toEqual(['a', 'c']);
});
