import { WorkQueue } from '../../src/ops/work-queue.js';

const silent = { error: () => {} };
const tick = () => new Promise((r) => setTimeout(r, 1));

it('runs jobs of one key in order and drops a duplicate that is still waiting', async () => {
  const q = new WorkQueue(silent);
  const order: string[] = [];
  let started!: () => void;
  const firstStarted = new Promise<void>((r) => (started = r));
  void q.enqueue('k', async () => {
    started();
    await tick();
    order.push('first');
  });
  void q.enqueue('k', () => Promise.resolve(void order.push('first-again'))); // not started yet: the same work, dropped
  await firstStarted;
  void q.enqueue('k', () => Promise.resolve(void order.push('second'))); // 'first' is running: queued behind it
  void q.enqueue('k', () => Promise.resolve(void order.push('second-again'))); // 'second' still waiting: dropped
  await q.idle();
  expect(order).toEqual(['first', 'second']);
});

it('runs at most `concurrency` jobs at once', async () => {
  const q = new WorkQueue(silent, 3);
  let running = 0;
  let peak = 0;
  for (let i = 0; i < 20; i++) {
    void q.enqueue(`k${i}`, async () => {
      running++;
      peak = Math.max(peak, running);
      await tick();
      running--;
    });
  }
  await q.idle();
  expect(peak).toBe(3);
});

it('a failing job is logged and does not stop the others', async () => {
  const errors: unknown[] = [];
  const q = new WorkQueue({ error: (e) => errors.push(e) }, 1);
  let ran = false;
  void q.enqueue('a', () => Promise.reject(new Error('boom')));
  void q.enqueue('b', () => {
    ran = true;
    return Promise.resolve();
  });
  await q.idle();
  expect(ran).toBe(true);
  expect(errors).toHaveLength(1);
});
