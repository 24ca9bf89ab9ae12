/** /metrics for the throttling: what is left of each budget and how long requests waited for them. */
import client from 'prom-client';
import { registry } from '../ops/metrics.js';

export const throttleMetrics = {
  remainingPoints: new client.Gauge({
    name: 'shipshape_github_budget_remaining_points',
    help: "Points left in a secondary-limit budget, by installation and budget ('rest <METHOD> <endpoint>', graphql, content-minute, content-hour)",
    labelNames: ['installation', 'budget'],
    registers: [registry],
  }),
  waitSeconds: new client.Histogram({
    name: 'shipshape_github_budget_wait_seconds',
    help: 'Time a GitHub request waited for a budget (rest, graphql, content-minute, content-hour, concurrency, retry-after)',
    labelNames: ['budget'],
    buckets: [0.01, 0.1, 0.5, 1, 5, 15, 30, 60, 120, 600],
    registers: [registry],
  }),
};
