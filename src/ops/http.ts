/** Extra HTTP routes beside Probot's webhook endpoint: liveness, readiness and metrics. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { registry } from './metrics.js';

/** Resolves with the reasons the app is not ready yet (empty when ready). */
export type ReadinessProbe = () => Promise<string[]>;

export interface OpsRoutes {
  ready?: ReadinessProbe;
  /** false when /metrics is served on its own port (METRICS_PORT). */
  metrics?: boolean;
}

export function opsHandler({ ready, metrics = true }: OpsRoutes = {}): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      return true;
    }
    if (path === '/readyz') {
      const problems = ready ? await ready().catch((err: unknown) => [err instanceof Error ? err.message : String(err)]) : [];
      res
        .writeHead(problems.length ? 503 : 200, { 'content-type': 'application/json' })
        .end(JSON.stringify(problems.length ? { status: 'not ready', problems } : { status: 'ok' }));
      return true;
    }
    if (path === '/metrics' && metrics) {
      res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
      return true;
    }
    return false;
  };
}
