/** The vocabulary shared by the engine, the rules, the check run and the CLI. */
import type { ShipshapeConfig } from '../config/schema.js';

export type Severity = 'error' | 'warning';
export type RuleLevel = Severity | 'off';

export interface Finding {
  rule: string;
  /** Stable id of the kind of finding (like ESLint's messageId): `unpinned`, `unverifiable`, … */
  code: string;
  severity: Severity;
  path: string;
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

/** A file as the engine sees it, the same whether it came from GitHub or from disk. */
export type FileContent =
  | { kind: 'text'; text: string }
  | { kind: 'binary' }
  | { kind: 'too-large'; size: number };

export interface FileSnapshot {
  /** Every file path in the repository (forward slashes, no leading slash). */
  readonly paths: readonly string[];
  /** Contents of the files the rules read; absent when the path was not fetched. */
  content(path: string): FileContent | undefined;
}

/** What the engine learned online about git refs; offline every answer is `unknown`. */
export type RefKind = 'tag' | 'branch' | 'commit' | 'missing' | 'unknown';
export interface RefFacts {
  /** Whether `ref` names a tag, a branch, … in github.com/owner/repo. */
  refKind(owner: string, repo: string, ref: string): RefKind;
  /** Tag names of the repository, or undefined when they could not be listed. */
  tags(owner: string, repo: string): readonly string[] | undefined;
  /** Why online facts are missing, for the note in the summary (offline, no access, …). */
  readonly offlineReason?: string;
}

export interface RuleContext {
  snapshot: FileSnapshot;
  /** Text files among `Rule.files`, already read; other kinds are reported by the engine. */
  files: ReadonlyArray<{ path: string; text: string }>;
  config: ShipshapeConfig;
  facts: RefFacts;
  /** For a pull request (or `--base` in the CLI): what changed, and the files as they were before. */
  change?: ChangeContext;
}

export interface ChangeContext {
  changedPaths: readonly string[];
  base: FileSnapshot;
}

export interface Rule {
  id: string;
  description: string;
  /** Globs (picomatch) of the files the rule reads as text. */
  files: readonly string[];
  /** Shown by `shipshape explain` and in the README. */
  docs: { failing: string; fixed: string };
  check(context: RuleContext): RuleFinding[];
}

export const offlineFacts = (reason: string): RefFacts => ({
  refKind: () => 'unknown',
  tags: () => undefined,
  offlineReason: reason,
});
