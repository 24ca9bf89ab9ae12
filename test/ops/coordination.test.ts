/**
 * The coordination service: the same contract in this process and through a real Redis (locks that one
 * caller gets, claims given back, counters that expire with their window, shared maps), and the keys
 * under `shipshape:` as they were before the service existed.
 */
import { memoryCoordination, redisCoordination, type Coordination } from '../../src/ops/coordination.js';
import { describeWithRedis, redisForBlock } from '../helpers/redis.js';

/** The contract, run against both implementations; `later` moves their clock past a ttl. */
function contract(make: () => Coordination, later: (ms: number) => Promise<void>) {
  it('take: exactly one of many callers gets a name until its ttl passes; release gives it back', async () => {
    const c = make();
    const got = await Promise.all(Array.from({ length: 5 }, () => c.take('lock:x', 200)));
    expect(got.filter(Boolean)).toHaveLength(1);
    expect(await c.take('lock:y', 200)).toBe(true);
    await c.release('lock:x');
    expect(await c.take('lock:x', 200)).toBe(true);
    await later(250);
    expect(await c.take('lock:y', 200)).toBe(true);
  });

  it('count: one more each call, and a fresh start once the key expired', async () => {
    const c = make();
    expect([await c.count('n', 200), await c.count('n', 200), await c.count('m', 200)]).toEqual([1, 2, 1]);
    await later(250);
    expect(await c.count('n', 200)).toBe(1);
  });

  it('read/write: a map of strings, unset fields undefined, nothing read for no fields', async () => {
    const c = make();
    await c.write('fingerprints', [
      ['a', '1'],
      ['b', '2'],
    ]);
    await c.write('fingerprints', []);
    expect(await c.read('fingerprints', ['b', 'z', 'a'])).toEqual(['2', undefined, '1']);
    expect(await c.read('fingerprints', [])).toEqual([]);
    expect(await c.read('other', ['a'])).toEqual([undefined]);
  });
}

describe('in this process', () => {
  let now = 0;
  contract(
    () => memoryCoordination(() => now),
    (ms) => {
      now += ms;
      return Promise.resolve();
    },
  );
  it('is not shared', () => expect(memoryCoordination().shared).toBe(false));
});

describeWithRedis('through Redis', () => {
  const { connect } = redisForBlock({ maxRetriesPerRequest: 2 });
  beforeEach(async () => {
    await connect().flushall();
  });

  contract(
    () => redisCoordination(connect()),
    (ms) => new Promise((r) => setTimeout(r, ms)),
  );

  it('two replicas (two connections) share one state, under the keys the features always used', async () => {
    const a = redisCoordination(connect());
    const b = redisCoordination(connect());
    expect(a.shared).toBe(true);
    expect(await a.take('once:pipeline-step', 60_000)).toBe(true);
    expect(await b.take('once:pipeline-step', 60_000)).toBe(false);
    await a.count('no-role-budget:acme:mallory:1', 60_000);
    expect(await b.count('no-role-budget:acme:mallory:1', 60_000)).toBe(2);
    await a.write('environment-fingerprints', [['1:css01/store', 'f']]);
    expect(await b.read('environment-fingerprints', ['1:css01/store'])).toEqual(['f']);
    const raw = connect();
    expect((await raw.keys('shipshape:*')).sort()).toEqual([
      'shipshape:environment-fingerprints',
      'shipshape:no-role-budget:acme:mallory:1',
      'shipshape:once:pipeline-step',
    ]);
    // Nothing a lock or a counter writes outlives its ttl.
    expect(await raw.pttl('shipshape:once:pipeline-step')).toBeGreaterThan(0);
    expect(await raw.pttl('shipshape:no-role-budget:acme:mallory:1')).toBeGreaterThan(0);
  });
});
