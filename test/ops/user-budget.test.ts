/** The allowance of 👎 for users without any role: per process, and shared by replicas through a real Redis. */
import { Redis } from 'ioredis';
import { memoryCoordination, redisCoordination } from '../../src/ops/coordination.js';
import { noRoleBudget, PerUserBudget, SharedUserBudget } from '../../src/ops/user-budget.js';
import { describeWithRedis, redisForBlock } from '../helpers/redis.js';
import { freePort } from '../helpers/server.js';

const HOUR = 3_600_000;

it('in one process: 5 per user in any hour, other users unaffected, the oldest forgotten first', () => {
  let now = 0;
  const budget = new PerUserBudget(5, HOUR, () => now);
  expect(Array.from({ length: 6 }, () => budget.take('acme:mallory'))).toEqual([true, true, true, true, true, false]);
  expect(budget.take('acme:eve')).toBe(true);
  now = HOUR - 1;
  expect(budget.take('acme:mallory')).toBe(false);
  now = HOUR;
  expect(budget.take('acme:mallory')).toBe(true);
});

it('without REDIS_URL (coordination in this process) the allowance is kept in this process', () => {
  expect(noRoleBudget(memoryCoordination())).toBeInstanceOf(PerUserBudget);
});

describeWithRedis('with REDIS_URL, through a real Redis', () => {
  const { connect: client } = redisForBlock();

  it('two replicas share one allowance per user: 5 in the window between them, not 5 each', async () => {
    let now = 10 * HOUR;
    const inspect = client();
    const a = new SharedUserBudget(redisCoordination(inspect), 5, HOUR, () => now);
    const b = new SharedUserBudget(redisCoordination(client()), 5, HOUR, () => now);
    const taken: boolean[] = [];
    for (let i = 0; i < 4; i++) taken.push(await a.take('acme:mallory'), await b.take('acme:mallory'));
    expect(taken).toEqual([true, true, true, true, true, false, false, false]);
    expect(await a.take('acme:eve')).toBe(true);
    expect(await b.take('other-org:mallory')).toBe(true);
    // The counter expires with its window: no key is left behind without an expiry.
    const keys = await inspect.keys('shipshape:no-role-budget:*');
    expect(keys.length).toBe(3);
    for (const key of keys) expect(await inspect.pttl(key)).toBeGreaterThan(0);
    now = 11 * HOUR;
    expect(await b.take('acme:mallory')).toBe(true);
  });

  it('with REDIS_URL (coordination through Redis) noRoleBudget is the shared one', () => {
    expect(noRoleBudget(redisCoordination(client()))).toBeInstanceOf(SharedUserBudget);
  });
});

it('when Redis cannot be reached, the allowance of this process applies: bounded, and no error', async () => {
  const nowhere = new Redis(`redis://127.0.0.1:${await freePort()}`, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  const budget = new SharedUserBudget(redisCoordination(nowhere), 5, HOUR);
  const taken: boolean[] = [];
  for (let i = 0; i < 6; i++) taken.push(await budget.take('acme:mallory'));
  expect(taken).toEqual([true, true, true, true, true, false]);
  nowhere.disconnect();
});
