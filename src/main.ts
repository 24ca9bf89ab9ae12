/** `npm start`: the Probot server with Shipshape's throttling, logging and routes; configured from the environment. */
import { run } from 'probot';
import { createApp } from './app.js';
import { ShipshapeOctokit } from './github/octokit.js';
import { createLogger } from './ops/logger.js';

const { appFn } = createApp();
await run(appFn, { Octokit: ShipshapeOctokit, log: createLogger() });
