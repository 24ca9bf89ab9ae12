/**
 * The org `.github` repository's check also judges its `pipelines:`: every step must name a repository
 * Shipshape can reach and a workflow that can be started as declared. Found when the file changes (its
 * push or pull request), not when the chain runs. Gathering here (what GitHub says about each step's
 * repository); judging in `pipelineConfigFindings`, which the pure policy decision calls.
 */
import { CONFIG_PATH, parseConfigLayer, withDefaults } from '../config/load.js';
import type { FileContent } from '../core/files.js';
import type { GitHub } from '../github/client.js';
import { repositoryFacts, wantedFiles } from '../github/pipelines.js';
import type { RepositoryFacts } from '../pipelines/validate.js';

export const ORG_CONFIG_REPOSITORY = '.github';

/** What GitHub says about the repositories the pipelines of `content` name (none: undefined). */
export async function gatherPipelineFacts(
  octokit: GitHub,
  owner: string,
  content: FileContent | undefined,
): Promise<Record<string, RepositoryFacts> | undefined> {
  if (content?.kind !== 'text') return undefined;
  const parsed = parseConfigLayer({ file: CONFIG_PATH, text: content.text });
  if (!parsed.ok) return undefined; // the check already reports an invalid file
  const steps = Object.values(withDefaults(parsed.value).pipelines).flat();
  if (steps.length === 0) return undefined;
  return Object.fromEntries(await repositoryFacts(octokit, owner, wantedFiles(steps.filter((s) => !s.repository.includes('/')))));
}
