/**
 * The org `.github` repository's check also judges its `pipelines:`: every step must name a repository
 * Shipshape can reach and a workflow that can be started as declared. Found when the file changes (its
 * push or pull request), not when the chain runs.
 */
import { CONFIG_PATH, parseConfigLayer, withDefaults } from '../config/load.js';
import type { GitHub } from '../github/client.js';
import { repositoryFacts, wantedFiles } from '../github/pipelines.js';
import { problemsAsFindings } from '../pipelines/findings.js';
import { dispatchProblems, structuralProblems } from '../pipelines/validate.js';
import type { FileContent, Finding } from '../policy/types.js';

export const ORG_CONFIG_REPOSITORY = '.github';

export async function pipelineFindings(octokit: GitHub, owner: string, content: FileContent | undefined): Promise<Finding[]> {
  if (content?.kind !== 'text') return [];
  const parsed = parseConfigLayer({ file: CONFIG_PATH, text: content.text });
  if (!parsed.ok) return []; // the check already reports an invalid file
  const pipelines = withDefaults(parsed.value).pipelines;
  const steps = Object.values(pipelines).flat();
  if (steps.length === 0) return [];
  const facts = await repositoryFacts(octokit, owner, wantedFiles(steps.filter((s) => !s.repository.includes('/'))));
  return problemsAsFindings(CONFIG_PATH, content.text, [...structuralProblems(pipelines), ...dispatchProblems(owner, pipelines, facts)]);
}
