/**
 * "Do this once" across replicas: an atomic Redis `SET NX` with an expiry. Used where GitHub's own state
 * cannot be read and written in one step (starting a workflow), when REDIS_URL is set.
 */
import { Redis } from 'ioredis';

export interface OnceStore {
  /** True for the first caller of `key` within `ttlSeconds`, false for every later one. */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  /** Forget a claim whose work failed, so a redelivery may try again. */
  release(key: string): Promise<void>;
  close(): Promise<void>;
}

export function redisOnce(url: string): OnceStore {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  return {
    async claim(key, ttlSeconds) {
      return (await redis.set(`shipshape:once:${key}`, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
    },
    async release(key) {
      await redis.del(`shipshape:once:${key}`);
    },
    close() {
      redis.disconnect();
      return Promise.resolve();
    },
  };
}
