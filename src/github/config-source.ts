/** The configuration that applies at a commit (repository file over the org's defaults, `_extends` followed). */
import { CONFIG_PATH } from '../config/load.js';
import { extendsKey, extendsToFetch, resolveConfig, type ConfigOutcome, type ConfigTexts } from '../config/resolve.js';
import type { FileContent } from '../core/files.js';
import type { GitHub } from './client.js';
import type { RepoRef } from './issues.js';
import { readConfigTexts, readFileAt } from './repo-files.js';

export async function loadConfigAt(octokit: GitHub, r: RepoRef, ref: string): Promise<ConfigOutcome> {
  const fetched = await readConfigTexts(octokit, r.owner, r.repo, ref);
  const texts: ConfigTexts = {
    owner: r.owner,
    repoFile: fetched.repo ? { file: CONFIG_PATH, content: fetched.repo } : undefined,
    orgFile: fetched.org ? { file: `${r.owner}/.github:${CONFIG_PATH}`, content: fetched.org } : undefined,
  };
  return resolveConfig({ ...texts, extended: await fetchExtends(octokit, texts) });
}

/** The files `_extends` names, fetched until the chain is complete (a request per level; rare). */
export async function fetchExtends(octokit: GitHub, texts: ConfigTexts): Promise<Record<string, FileContent | null>> {
  const extended: Record<string, FileContent | null> = { ...texts.extended };
  for (let level = 0; level < 5; level++) {
    const missing = extendsToFetch({ ...texts, extended });
    if (missing.length === 0) break;
    for (const t of missing) extended[extendsKey(t)] = (await readFileAt(octokit, t.owner, t.repo, `HEAD:${t.path}`)) ?? null;
  }
  return extended;
}
