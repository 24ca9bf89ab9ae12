/**
 * The keys that sign the release state in issue bodies: `STATE_SECRETS` (comma-separated, newest first)
 * or else `WEBHOOK_SECRET`. The newest signs; every listed key still verifies, so a key can be rotated
 * without orphaning open release issues. There is no built-in fallback key: without one, nothing starts.
 */
import type { StateKeys } from '../release/state.js';

export function stateKeys(env: Readonly<Record<string, string | undefined>>): StateKeys {
  return keysFrom(env.STATE_SECRETS ? env.STATE_SECRETS.split(',') : env.WEBHOOK_SECRET ? [env.WEBHOOK_SECRET] : []);
}

/** Keys given as a list (trimmed, empty ones dropped); at least one. */
export function keysFrom(list: readonly string[]): StateKeys {
  const keys = list.map((k) => k.trim()).filter(Boolean);
  if (keys.length === 0)
    throw new Error('no key for the release state: set STATE_SECRETS (comma-separated, newest first) or WEBHOOK_SECRET');
  return keys as unknown as StateKeys;
}
