/**
 * "Do this once" across replicas: a claim in the coordination service (Redis `SET NX` with an expiry).
 * Used where GitHub's own state cannot be read and written in one step (starting a workflow), only when
 * the claims are shared (REDIS_URL): in one process GitHub's records already order the attempts.
 */
import type { Coordination } from './coordination.js';

export interface OnceStore {
  /** True for the first caller of `key` within `ttlSeconds`, false for every later one. */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  /** Forget a claim whose work failed, so a redelivery may try again. */
  release(key: string): Promise<void>;
}

/** Claims in the coordination service, under `shipshape:once:<key>`. */
export function onceIn(coordination: Pick<Coordination, 'take' | 'release'>): OnceStore {
  return {
    claim: (key, ttlSeconds) => coordination.take(`once:${key}`, ttlSeconds * 1000),
    release: (key) => coordination.release(`once:${key}`),
  };
}
