/** Extra HTTP routes beside Probot's webhook endpoint: health and metrics. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { registry } from './metrics.js';

export function opsHandler(): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (path === '/healthz' || path === '/readyz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      return true;
    }
    if (path === '/metrics') {
      res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
      return true;
    }
    return false;
  };
}
