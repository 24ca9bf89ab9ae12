/** The configuration that applies at a commit (repository file over the org's defaults), in one GraphQL query. */
import { CONFIG_PATH } from '../config/load.js';
import { resolveConfig, type ConfigOutcome } from '../config/resolve.js';
import type { GitHub } from './client.js';
import type { RepoRef } from './issues.js';
import { readConfigAndFiles, readFileAt } from './repo-files.js';

export async function loadConfigAt(octokit: GitHub, r: RepoRef, ref: string): Promise<ConfigOutcome> {
  const { config } = await readConfigAndFiles(octokit, { ...r, sha: ref, configSha: ref, paths: [] });
  return resolveConfig({
    owner: r.owner,
    repoFile: config.repo ? { file: CONFIG_PATH, content: config.repo } : undefined,
    orgFile: config.org ? { file: `${r.owner}/.github:${CONFIG_PATH}`, content: config.org } : undefined,
    loadExtends: (t) => readFileAt(octokit, t.owner, t.repo, `HEAD:${t.path}`),
  });
}
