/** Real webhook payloads from @octokit/webhooks-examples, adjusted to a test repository. */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const all = require('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: Array<Record<string, any>> }>;

export function example(name: string, action?: string): Record<string, any> {
  const found = all.find((e) => e.name === name)?.examples.find((x) => action === undefined || x.action === action);
  if (!found) throw new Error(`no example payload for ${name}.${action}`);
  return structuredClone(found);
}

/** Point a payload's repository at owner/repo and give it an installation. */
export function forRepo(payload: Record<string, any>, owner: string, repo: string): Record<string, any> {
  payload.repository = { ...payload.repository, name: repo, full_name: `${owner}/${repo}`, owner: { ...payload.repository.owner, login: owner }, archived: false, default_branch: 'main' };
  payload.installation = { id: 42, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=' };
  return payload;
}
