/** The configuration that governs a repository at a commit, read from GitHub (config/resolve.ts decides). */
import { extendsKey, extendsToFetch, governingTexts, resolveConfig, type ConfigOutcome, type ConfigTexts } from '../config/resolve.js';
import type { FileContent } from '../core/files.js';
import type { GitHub } from './client.js';
import type { RepoRef } from './issues.js';
import { readConfigTexts, readFileAt, type ConfigTextsOf } from './repo-files.js';

/** The repository's file at `ref` over the org's defaults, every `_extends` followed. */
export async function loadConfigAt(octokit: GitHub, r: RepoRef, ref: string): Promise<ConfigOutcome> {
  return governingConfig(octokit, r.owner, await readConfigTexts(octokit, r.owner, r.repo, ref));
}

/** The same, from files already read (a batch reads many repositories' at once). */
export async function governingConfig(octokit: GitHub, owner: string, read: ConfigTextsOf): Promise<ConfigOutcome> {
  const texts = governingTexts(owner, read);
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
