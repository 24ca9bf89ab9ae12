/** Prometheus metrics (prom-client: the standard registry and text format, no hand-rolled exposition). */
import client from 'prom-client';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

export const metrics = {
  events: new client.Counter({
    name: 'shipshape_webhook_events_total',
    help: 'Webhook events received, by event and action',
    labelNames: ['event', 'action'],
    registers: [registry],
  }),
  handlerSeconds: new client.Histogram({
    name: 'shipshape_job_duration_seconds',
    help: 'Background job duration, by job kind and outcome',
    labelNames: ['job', 'outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  }),
  apiRequests: new client.Counter({
    name: 'shipshape_github_requests_total',
    help: 'GitHub API requests, by method and status',
    labelNames: ['method', 'status'],
    registers: [registry],
  }),
  rateLimitRemaining: new client.Gauge({
    name: 'shipshape_github_ratelimit_remaining',
    help: 'x-ratelimit-remaining of the latest response, by installation',
    labelNames: ['installation'],
    registers: [registry],
  }),
  findings: new client.Counter({
    name: 'shipshape_findings_total',
    help: 'Findings reported, by rule and severity',
    labelNames: ['rule', 'severity'],
    registers: [registry],
  }),
  checkRuns: new client.Counter({
    name: 'shipshape_check_runs_total',
    help: 'Check runs published, by name and conclusion',
    labelNames: ['name', 'conclusion'],
    registers: [registry],
  }),
  swallowedErrors: new client.Counter({
    name: 'shipshape_swallowed_errors_total',
    help: 'Errors logged and carried on after, by where they happened',
    labelNames: ['where'],
    registers: [registry],
  }),
  queueDepth: new client.Gauge({
    name: 'shipshape_jobs_in_flight',
    help: 'Background jobs waiting or running in this process',
    registers: [registry],
  }),
  webhookAnswers: new client.Counter({
    name: 'shipshape_webhook_answers_total',
    help: 'Webhook deliveries answered with an error, by status (GitHub records them as failed and the sweep redelivers them)',
    labelNames: ['status'],
    registers: [registry],
  }),
  durableJobs: new client.Counter({
    name: 'shipshape_stored_jobs_total',
    help: 'Jobs of the shared Redis queue run by this replica, by outcome (completed, failed, delayed: cannot finish yet)',
    labelNames: ['outcome'],
    registers: [registry],
  }),
  redeliveries: new client.Counter({
    name: 'shipshape_redeliveries_total',
    help: 'Failed webhook deliveries handled by the sweep: redelivered, or given up after too many attempts; with Redis, failed stored jobs started again (stored-retried) or given up (stored-given-up)',
    labelNames: ['outcome'],
    registers: [registry],
  }),
  budgetRemainingPoints: new client.Gauge({
    name: 'shipshape_github_budget_remaining_points',
    help: "Points left in a secondary-limit budget, by installation and budget ('rest <METHOD> <endpoint>', graphql, content-minute, content-hour)",
    labelNames: ['installation', 'budget'],
    registers: [registry],
  }),
  budgetWaitSeconds: new client.Histogram({
    name: 'shipshape_github_budget_wait_seconds',
    help: 'Time a GitHub request waited for a budget (rest, graphql, content-minute, content-hour, concurrency, retry-after)',
    labelNames: ['budget'],
    buckets: [0.01, 0.1, 0.5, 1, 5, 15, 30, 60, 120, 600],
    registers: [registry],
  }),
};
