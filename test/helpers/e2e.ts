/** End-to-end plumbing: the simulated GitHub over HTTP and the real app as a child process pointed at it (GHE mode). */
import { GitHubModel } from '../../sim/model.js';
import { GitHubSimulator } from '../../sim/server.js';
import type { LimitSettings } from '../../sim/limits.js';
import { startServer, testPrivateKey, type RunningServer } from './server.js';

export const E2E_SECRET = 'e2e-secret';

export interface E2E {
  model: GitHubModel;
  sim: GitHubSimulator;
  app: RunningServer;
  send(name: string, payload: unknown, delivery?: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startE2E(options: { limits?: LimitSettings; env?: Record<string, string> } = {}): Promise<E2E> {
  const model = new GitHubModel();
  const sim = await new GitHubSimulator(model, { appId: 1, privateKeyPem: testPrivateKey, limits: options.limits }).start();
  const app = await startServer({ GHE_HOST: sim.host, GHE_PROTOCOL: 'http', WEBHOOK_SECRET: E2E_SECRET, ...options.env });
  sim.webhookTarget = { url: app.url, secret: E2E_SECRET };
  return {
    model,
    sim,
    app,
    send: (name, payload, delivery) => sim.deliver(name, payload, { guid: delivery }),
    async stop() {
      await app.stop();
      await sim.stop();
    },
  };
}

export async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
