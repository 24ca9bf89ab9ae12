/** The vocabulary shared by the engine, the rules, the check run and the CLI. */
import type { GitHubRepoRef } from './formats/refs.js';

/** What rules would like to know online: git refs to resolve (tag or branch?) and repositories whose tags to list. */
export interface Lookups {
  refs: Array<{ owner: string; repo: string; ref: string }>;
  tagLists: Array<{ owner: string; repo: string }>;
}

/** A git package pinned to a fixed point (a version tag or a full commit SHA): `ref` names one tree for good. */
export interface PackagePin extends GitHubRepoRef {
  ref: string;
}
export type Severity = 'error' | 'warning';
export type RuleLevel = Severity | 'off';

export interface Finding {
  rule: string;
  /** Stable id of the kind of finding (like ESLint's messageId): `unpinned`, `unverifiable`, … */
  code: string;
  severity: Severity;
  /**
   * The file, or null for a finding about the repository as a whole (a required file that is missing):
   * it names no file that does not exist. The check run lists it in the summary, and annotates the
   * configuration file at `line` when that file exists; the CLI's JSON prints `"file": null, "line": null`.
   */
  path: string | null;
  /** 1-based; 0 would mean "the file as a whole", which GitHub cannot annotate, so rules use 1 there. */
  line: number;
  column?: number;
  message: string;
  /** A concrete way to fix it, shown after the message. */
  fix?: string;
}

/** What a rule emits: severity is decided by the engine from the configured level, unless the rule
 * caps a finding at `warning` (lag, pre-release, …). */
export type RuleFinding = Omit<Finding, 'rule' | 'severity'> & { maxSeverity?: Severity };

/** What the engine learned online about git refs; offline every answer is `unknown`. */
export type RefKind = 'tag' | 'branch' | 'commit' | 'missing' | 'unknown';
export interface RefFacts {
  /** Whether `ref` names a tag, a branch, … in github.com/owner/repo. */
  refKind(owner: string, repo: string, ref: string): RefKind;
  /** Tag names of the repository, or undefined when they could not be listed. */
  tags(owner: string, repo: string): readonly string[] | undefined;
  /** Why online facts are missing, for the note in the summary (offline, no access, …). */
  readonly offlineReason?: string;
  /**
   * A dbt package as its repository holds it at `ref` (read online only when a store enables the whole
   * package): undefined when not asked (offline), null when it could not be read.
   */
  packageAt?: (owner: string, repo: string, ref: string) => PackageFacts | null | undefined;
  /** The GitHub host the online facts come from (github.com unless GitHub Enterprise Server). */
  readonly host?: string;
}

/** What a dbt package's repository holds at a ref: its dbt project name and its dashboard folders. */
export interface PackageFacts {
  /** `name:` of its dbt_project.yml: the key a store's `models:` uses for it. */
  name: string;
  /** `domain/dashboard` for every folder `models/dashboards/<domain>/<dashboard>/`. */
  dashboards: string[];
}

/** RefFacts as plain data, as gathered from GitHub: `owner/repo@ref` (lower-cased) → kind; `owner/repo` → tags. */
export interface RefFactsData {
  kinds: Record<string, RefKind>;
  tags: Record<string, string[]>;
  offlineReason?: string;
  /** `owner/repo@ref` (lower-cased) → the package there; null when it could not be read. */
  packages?: Record<string, PackageFacts | null>;
  /** The GitHub host they were read from, when it is not github.com. */
  host?: string;
}

const repoKey = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();
export const refKey = (owner: string, repo: string, ref: string) => `${repoKey(owner, repo)}@${ref}`;

export function refFactsFrom(data: RefFactsData): RefFacts {
  return {
    refKind: (owner, repo, ref) => data.kinds[refKey(owner, repo, ref)] ?? 'unknown',
    tags: (owner, repo) => data.tags[repoKey(owner, repo)],
    packageAt: (owner, repo, ref) => data.packages?.[refKey(owner, repo, ref)],
    host: data.host,
    offlineReason: data.offlineReason,
  };
}

export const offlineFacts = (reason: string): RefFacts => ({
  refKind: () => 'unknown',
  tags: () => undefined,
  offlineReason: reason,
});

/** For a pull request (or `--base` in the CLI): what changed, and the files as they were before. */
export interface ChangeContext {
  changedPaths: readonly string[];
  base: import('../core/files.js').FileSnapshot;
}
