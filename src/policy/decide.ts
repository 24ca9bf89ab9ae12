/**
 * One policy check as a pure function (policy-bot's shape): everything GitHub (or the disk) said about a
 * commit goes in as one plain value, the check's verdict comes out. The app gathers the inputs with a few
 * GraphQL reads and publishes the output; the CLI gathers them from the disk and prints them.
 */
import { CONFIG_PATH, defaultConfig, type ConfigError } from '../config/load.js';
import { governingTexts, resolveConfig, type ConfigOutcome, type ConfigTexts } from '../config/resolve.js';
import { RULE_IDS, type ShipshapeConfig } from '../config/schema.js';
import { MemorySnapshot, type FileContent } from '../core/files.js';
import { pipelineConfigFindings, pipelinesOutsideOrgFile } from '../pipelines/findings.js';
import type { RepositoryFacts } from '../pipelines/validate.js';
import { decidePolicy, type PolicyResult } from './engine.js';
import { comparesBase } from './needs.js';
import { ParsedRepo } from './parsed.js';
import { renderConfigErrors, renderPolicyResult, type CheckOutput } from './report.js';
import { refFactsFrom, type Finding, type RefFactsData } from './types.js';

export interface PolicyInputs {
  /** The head already has a completed check run (a redelivered event): nothing new to post. */
  alreadyChecked?: boolean;
  /** The repository's owner: `_extends: repo` names a repository of this owner. */
  owner: string;
  config: {
    /** Where the repository's file is, as messages name it (`.github/shipshape.yml`, or the CLI's `--config`). */
    file?: string;
    /** The repository's shipshape.yml at the commit whose policy applies (a pull request's base). */
    repo?: FileContent;
    /** The same file at the pull request's head, when the head is another commit. */
    head?: FileContent;
    /** The organization's defaults (`<owner>/.github`). */
    org?: FileContent;
    /** Files that `_extends` names, by `owner/repo:path`; null when they do not exist. */
    extended?: Record<string, FileContent | null>;
  };
  /** Every path of the commit; `truncated` when GitHub could not list them all. */
  tree: { paths: readonly string[]; truncated: boolean };
  /** The contents of the files the formats read. */
  files: Readonly<Record<string, FileContent>>;
  /** For a pull request: the paths it changes and the base's versions of the files that carry dashboard versions. */
  change?: { changedPaths: readonly string[]; baseFiles: Readonly<Record<string, FileContent>> };
  facts: RefFactsData;
  /** The org `.github` repository: what GitHub says about the repositories its `pipelines:` name. */
  pipelines?: Readonly<Record<string, RepositoryFacts>>;
  /** Whose file this is: the org's `.github` repository (its `pipelines:` are read) or another repository's (they are not). The CLI cannot know. */
  configScope?: 'org' | 'repository';
}

export type PolicyDecision =
  | { kind: 'skip'; reason: 'no-config' | 'disabled' | 'already-checked' }
  | { kind: 'invalid-config'; errors: ConfigError[]; output: CheckOutput }
  | { kind: 'checked'; config: ShipshapeConfig; result: PolicyResult; notes: string[]; output: CheckOutput };

export interface DecideOptions {
  /** The CLI checks on request: without a configuration the defaults apply, and `enabled: false` is checked anyway (with a note). */
  onRequest?: boolean;
}

/** The configuration texts of the inputs, as the resolver takes them. */
export function configTexts(inputs: Pick<PolicyInputs, 'owner' | 'config'>, which: 'repo' | 'head' = 'repo'): ConfigTexts {
  const { org, file, extended } = inputs.config;
  return governingTexts(inputs.owner, { repo: which === 'head' ? inputs.config.head : inputs.config.repo, org, repoFile: file, extended });
}

export function decide(inputs: PolicyInputs, options: DecideOptions = {}): PolicyDecision {
  if (inputs.alreadyChecked) return { kind: 'skip', reason: 'already-checked' };
  const outcome = resolveConfig(configTexts(inputs));
  const notes: string[] = [];
  let config: ShipshapeConfig;
  if (outcome.kind === 'invalid') return { kind: 'invalid-config', errors: outcome.errors, output: renderConfigErrors(outcome.errors) };
  if (outcome.kind === 'absent') {
    if (!options.onRequest) return { kind: 'skip', reason: 'no-config' };
    config = defaultConfig();
  } else if (outcome.kind === 'disabled') {
    if (!options.onRequest) return { kind: 'skip', reason: 'disabled' };
    notes.push('`enabled: false` in the configuration: the app skips this repository; checked anyway on request');
    config = outcome.config;
  } else config = outcome.config;

  const extra: Finding[] = [];
  const { head, repo } = inputs.config;
  if (head && (head.kind !== 'text' || repo?.kind !== 'text' || head.text !== repo.text)) {
    // A pull request's `_extends` is not followed: it could name any repository the installation can read.
    const proposed = resolveConfig({ ...configTexts(inputs, 'head'), followExtends: false });
    notes.push(...describeConfigChange(config, proposed));
    if (head.kind === 'text' && /^_extends\s*:/m.test(head.text)) {
      notes.push(
        `The proposed \`${CONFIG_PATH}\` has \`_extends\`, which is not followed for a pull request: the file was validated alone.`,
      );
    }
    if (proposed.kind === 'invalid') extra.push(...proposed.errors.map((e) => configFinding(e.file, e.line, e.message)));
  }
  const proposed = head ?? repo;
  if (inputs.pipelines && proposed?.kind === 'text')
    extra.push(...pipelineConfigFindings(inputs.owner, CONFIG_PATH, proposed.text, inputs.pipelines));
  if (inputs.configScope === 'repository' && proposed?.kind === 'text')
    extra.push(...pipelinesOutsideOrgFile(inputs.owner, CONFIG_PATH, proposed.text));
  if (inputs.tree.truncated) {
    extra.push(
      configFinding(CONFIG_PATH, 1, 'the repository has more files than GitHub lists in one tree, so some files were not checked'),
    );
  }
  if (inputs.facts.offlineReason) notes.push(inputs.facts.offlineReason);

  const parsed = new ParsedRepo(new MemorySnapshot(new Map(Object.entries(inputs.files)), inputs.tree.paths));
  const change =
    inputs.change && comparesBase(config)
      ? {
          changedPaths: inputs.change.changedPaths,
          base: new ParsedRepo(new MemorySnapshot(new Map(Object.entries(inputs.change.baseFiles)))),
        }
      : undefined;
  const result = decidePolicy(parsed, config, refFactsFrom(inputs.facts), undefined, change);
  result.findings.push(...extra);
  return { kind: 'checked', config, result, notes, output: renderPolicyResult(result, config, notes) };
}

/** A finding about the configuration itself, so an invalid proposed shipshape.yml fails the PR. */
function configFinding(path: string, line: number, message: string): Finding {
  return { rule: 'shipshape-config', code: 'invalid-config', severity: 'error', path, line, message };
}

function describeConfigChange(current: ShipshapeConfig, proposed: ConfigOutcome): string[] {
  if (proposed.kind === 'invalid') return [`This pull request changes \`${CONFIG_PATH}\`, and the new file is invalid (see the findings).`];
  if (proposed.kind === 'absent' || proposed.kind === 'disabled')
    return [
      `This pull request ${proposed.kind === 'absent' ? 'removes' : 'disables'} Shipshape for this repository; it is still judged by the policy of its base branch.`,
    ];
  const changes = RULE_IDS.filter((id) => current.rules[id] !== proposed.config.rules[id]).map(
    (id) => `\`${id}\` ${current.rules[id]} → ${proposed.config.rules[id]}`,
  );
  const head = `This pull request changes \`${CONFIG_PATH}\`; it is judged by the policy of its base branch. Once merged, the new file`;
  return [changes.length ? `${head} changes these rules: ${changes.join(', ')}.` : `${head} changes no rule level.`];
}
