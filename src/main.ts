/** `npm start`: the Probot server with Shipshape's throttling, logging and routes; configured from the environment. */
import { run } from 'probot';
import { createApp } from './app.js';
import { ShipshapeOctokit } from './github/octokit.js';
import { createLogger } from './ops/logger.js';

const minutes = Number(process.env.REDELIVERY_INTERVAL_MINUTES ?? 10);
const { appFn } = createApp({
  // Look back a little further than one interval, so a delivery that failed just before a sweep is seen.
  redelivery: minutes > 0 ? { intervalMs: minutes * 60_000, windowMs: Math.max(2 * minutes * 60_000, 3_600_000) } : undefined,
});
await run(appFn, { Octokit: ShipshapeOctokit, log: createLogger() });
