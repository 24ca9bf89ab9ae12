/** `npm start`: the Probot server with Shipshape's throttling and routes. Configuration comes from the environment. */
import { run } from 'probot';
import { createApp } from './app.js';
import { ShipshapeOctokit } from './github/octokit.js';

const { appFn } = createApp();
await run(appFn, { Octokit: ShipshapeOctokit });
