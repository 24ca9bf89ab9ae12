/**
 * One policy check of one commit: gather from GitHub → pure engine → write the check run.
 * Request budget for a typical pull request: tree (1) + config and files (1 GraphQL) + refs (1 GraphQL,
 * only when git packages need resolving) + check run (1), plus one update per further 50 annotations.
 */
import { CONFIG_PATH } from '../config/load.js';
import { resolveConfig, type ConfigOutcome } from '../config/resolve.js';
import { RULE_IDS, type ShipshapeConfig } from '../config/schema.js';
import { publishCheckRun } from '../github/check-runs.js';
import type { GitHub } from '../github/client.js';
import { describeError } from '../github/errors.js';
import { fetchRefFacts } from '../github/ref-facts.js';
import { changedPaths, FetchedSnapshot, getTree, readConfigAndFiles, readFileAt, readFiles } from '../github/repo-files.js';
import { decidePolicy } from '../policy/engine.js';
import { ParsedRepo, pathsToRead } from '../policy/parsed.js';
import { lookupsFor } from '../policy/lookups.js';
import { CHECK_NAME, renderConfigErrors, renderFailure, renderPolicyResult, type CheckOutput } from '../policy/report.js';
import type { ChangeContext, FileContent, Finding } from '../policy/types.js';
import { metrics } from '../ops/metrics.js';
import { done, skipped, type JobOutcome } from './outcome.js';
import { ORG_CONFIG_REPOSITORY, pipelineFindings } from './pipeline-config-check.js';

export interface PolicyTarget {
  owner: string;
  repo: string;
  /** The commit that gets the check run. */
  headSha: string;
  /** The commit whose shipshape.yml applies: the PR's base, or the pushed commit itself. */
  configSha: string;
  /** Set for pull requests: rules that judge a change (dashboard versions) compare with the base. */
  pullNumber?: number;
}

export async function checkCommit(octokit: GitHub, target: PolicyTarget): Promise<JobOutcome> {
  const { owner, repo, headSha } = target;
  let output: CheckOutput;
  try {
    const prepared = await gatherAndDecide(octokit, target);
    if ('skip' in prepared) return skipped(prepared.skip);
    output = prepared.output;
  } catch (err) {
    // Never a false success: an API failure is a failing check that says why.
    output = renderFailure(describeError(err));
  }
  const checkRunId = await publishCheckRun(octokit, { owner, repo, headSha, name: CHECK_NAME, output });
  metrics.checkRuns.inc({ name: CHECK_NAME, conclusion: output.conclusion });
  return done(output.conclusion, { checkRunId, headSha });
}

async function gatherAndDecide(octokit: GitHub, target: PolicyTarget): Promise<{ output: CheckOutput } | { skip: 'no-config' | 'disabled' }> {
  const { owner, repo, headSha, configSha } = target;
  const tree = await getTree(octokit, owner, repo, headSha);
  const { config: texts, files } = await readConfigAndFiles(octokit, { owner, repo, sha: headSha, configSha, paths: pathsToRead(tree.paths), sizes: tree.sizes });
  const resolve = (repoContent: FileContent | undefined) =>
    resolveConfig({
      owner,
      repoFile: repoContent ? { file: CONFIG_PATH, content: repoContent } : undefined,
      orgFile: texts.org ? { file: `${owner}/.github:${CONFIG_PATH}`, content: texts.org } : undefined,
      loadExtends: (t) => readFileAt(octokit, t.owner, t.repo, `HEAD:${t.path}`),
    });
  const outcome = await resolve(texts.repo);
  if (outcome.kind === 'absent') return { skip: 'no-config' };
  if (outcome.kind === 'disabled') return { skip: 'disabled' };
  if (outcome.kind === 'invalid') return { output: renderConfigErrors(outcome.errors) };

  const notes: string[] = [];
  const extra: Finding[] = [];
  if (texts.head && (texts.head.kind !== 'text' || texts.repo?.kind !== 'text' || texts.head.text !== texts.repo.text)) {
    const proposed = await resolve(texts.head);
    notes.push(...describeConfigChange(outcome.config, proposed));
    if (proposed.kind === 'invalid') extra.push(...proposed.errors.map((e) => configFinding(e.file, e.line, e.message)));
  }
  if (repo === ORG_CONFIG_REPOSITORY) extra.push(...(await pipelineFindings(octokit, owner, texts.head ?? texts.repo)));
  if (tree.truncated) {
    extra.push(configFinding(CONFIG_PATH, 1, 'the repository has more files than GitHub lists in one tree, so some files were not checked'));
  }

  const snapshot = new FetchedSnapshot(tree.paths, files);
  const parsed = new ParsedRepo(snapshot);
  const facts = await fetchRefFacts(octokit, lookupsFor(parsed, outcome.config));
  if (facts.offlineReason) notes.push(facts.offlineReason);
  const change = target.pullNumber !== undefined && outcome.config.dashboards['require-version'] && outcome.config.rules['dashboards-versioned'] !== 'off' ? await changeOf(octokit, target, snapshot) : undefined;
  const result = decidePolicy(parsed, outcome.config, facts, undefined, change && { changedPaths: change.changedPaths, base: new ParsedRepo(change.base) });
  result.findings.push(...extra);
  for (const f of result.findings) metrics.findings.inc({ rule: f.rule, severity: f.severity });
  return { output: renderPolicyResult(result, outcome.config, notes) };
}

/** What a pull request changes, and the base's versions of the files that carry dashboard versions. */
async function changeOf(octokit: GitHub, target: PolicyTarget, head: FetchedSnapshot): Promise<ChangeContext> {
  const changed = await changedPaths(octokit, target.owner, target.repo, target.pullNumber!);
  const versionFiles = head.paths.filter((p) => /(^|\/)(dashboard\.ya?ml|dbt_project\.yml)$/.test(p));
  const base = await readFiles(octokit, target.owner, target.repo, target.configSha, versionFiles);
  return { changedPaths: changed, base: new FetchedSnapshot([...base.keys()], base) };
}

/** A finding about the configuration itself, so an invalid proposed shipshape.yml fails the PR. */
function configFinding(path: string, line: number, message: string): Finding {
  return { rule: 'shipshape-config', code: 'invalid-config', severity: 'error', path, line, message };
}

function describeConfigChange(current: ShipshapeConfig, proposed: ConfigOutcome): string[] {
  if (proposed.kind === 'invalid') return [`This pull request changes \`${CONFIG_PATH}\`, and the new file is invalid (see the findings).`];
  if (proposed.kind === 'absent' || proposed.kind === 'disabled') return [`This pull request ${proposed.kind === 'absent' ? 'removes' : 'disables'} Shipshape for this repository; it is still judged by the policy of its base branch.`];
  const changes = RULE_IDS.filter((id) => current.rules[id] !== proposed.config.rules[id]).map((id) => `\`${id}\` ${current.rules[id]} → ${proposed.config.rules[id]}`);
  const head = `This pull request changes \`${CONFIG_PATH}\`; it is judged by the policy of its base branch. Once merged, the new file`;
  return [changes.length ? `${head} changes these rules: ${changes.join(', ')}.` : `${head} changes no rule level.`];
}
