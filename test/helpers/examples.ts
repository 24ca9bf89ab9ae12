/** Real webhook payloads from @octokit/webhooks-examples, adjusted to a test repository (they live beside the simulator). */
export { example, forRepo } from '../../sim/events.js';
