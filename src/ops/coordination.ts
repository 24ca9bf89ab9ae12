/**
 * The one coordination service that every feature shares: locks and once-only claims, counters in a
 * window, and small shared maps. With REDIS_URL one Redis connection serves them all and every replica
 * sees the same state; without, they live in this process. The composition root (src/server.ts) makes one
 * and hands it in; nothing else opens a Redis connection for coordination.
 * Keys are `shipshape:<name>`, as they were before the service existed, so a rolling upgrade keeps them.
 */
import type { Redis } from 'ioredis';

export interface Coordination {
  /** True when the state is shared with other replicas (Redis), false when it is this process's alone. */
  readonly shared: boolean;
  /** Take `name` for `ttlMs` unless it is held (`SET NX PX`): true for the one caller that got it. */
  take(name: string, ttlMs: number, holder?: string): Promise<boolean>;
  /** Give `name` back: a claim whose work failed may be taken again. */
  release(name: string): Promise<void>;
  /** Count one more under `key` (INCR, and PEXPIRE `ttlMs` in the same MULTI): the count after this one. */
  count(key: string, ttlMs: number): Promise<number>;
  /** Values of `fields` in the shared map `map` (undefined where unset). */
  read(map: string, fields: string[]): Promise<Array<string | undefined>>;
  write(map: string, entries: Array<[string, string]>): Promise<void>;
}

const key = (name: string) => `shipshape:${name}`;

/** Shared through one Redis connection (the composition root's). */
export function redisCoordination(redis: Redis): Coordination {
  return {
    shared: true,
    async take(name, ttlMs, holder = '1') {
      return (await redis.set(key(name), holder, 'PX', Math.max(1, Math.floor(ttlMs)), 'NX')) === 'OK';
    },
    async release(name) {
      await redis.del(key(name));
    },
    async count(name, ttlMs) {
      const replies = await redis.multi().incr(key(name)).pexpire(key(name), ttlMs).exec();
      const [incr] = replies ?? [];
      if (!incr || incr[0]) throw incr?.[0] ?? new Error('the transaction was discarded');
      return Number(incr[1]);
    },
    async read(map, fields) {
      return fields.length ? (await redis.hmget(key(map), ...fields)).map((v) => v ?? undefined) : [];
    },
    async write(map, entries) {
      if (entries.length) await redis.hset(key(map), Object.fromEntries(entries));
    },
  };
}

/** In this process only: one replica, or a test. */
export function memoryCoordination(now: () => number = Date.now): Coordination {
  const held = new Map<string, number>();
  const counters = new Map<string, { n: number; until: number }>();
  const maps = new Map<string, Map<string, string>>();
  const expire = <V>(entries: Map<string, V>, until: (v: V) => number) => {
    const t = now();
    for (const [k, v] of entries) if (until(v) <= t) entries.delete(k);
  };
  const mapOf = (name: string) => maps.get(name) ?? maps.set(name, new Map()).get(name)!;
  return {
    shared: false,
    take(name, ttlMs) {
      expire(held, (until) => until);
      if (held.has(name)) return Promise.resolve(false);
      held.set(name, now() + ttlMs);
      return Promise.resolve(true);
    },
    release(name) {
      held.delete(name);
      return Promise.resolve();
    },
    count(name, ttlMs) {
      expire(counters, (c) => c.until);
      const n = (counters.get(name)?.n ?? 0) + 1;
      counters.set(name, { n, until: now() + ttlMs });
      return Promise.resolve(n);
    },
    read(map, fields) {
      const values = mapOf(map);
      return Promise.resolve(fields.map((f) => values.get(f)));
    },
    write(map, entries) {
      const values = mapOf(map);
      for (const [f, v] of entries) values.set(f, v);
      return Promise.resolve();
    },
  };
}
