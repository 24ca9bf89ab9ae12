/**
 * A rule owns itself, as an ESLint rule does with `meta`: its id, what it checks, its default level, the
 * formats it judges, the configuration it owns (JSON-schema fragments with defaults), the kinds of finding
 * it reports and its docs. The config schema, `RuleId`, `shipshape explain`, the check-run summary and the
 * README's rule reference are all derived from it. `check` is pure and sees only its own options.
 */
import type { CheckMeta } from '../core/check-meta.js';
import type { FormatId } from './formats/index.js';
import type { ParsedFiles } from './parsed.js';
import type { Lookups, PackagePin, RefFacts, RuleFinding, RuleLevel } from './types.js';

export interface RuleDocs {
  /** The README paragraph: what passes and what fails, in prose (Markdown). */
  details: string;
  /** Small examples shown by `shipshape explain` and in the README. */
  failing: string;
  fixed: string;
  /** Code-fence language of the examples. */
  language?: 'yaml' | 'dockerfile' | 'text';
}

export interface RuleMeta<Id extends string = string> extends CheckMeta<Id> {
  defaultLevel: RuleLevel;
  /** The formats whose parsed entries the rule judges. */
  formats: readonly FormatId[];
  /** Top-level configuration sections the rule owns: their JSON-schema fragments, defaults included. */
  options?: Record<string, object>;
  /** Settings owned by no rule that the rule also reads (dotted paths such as `release.environments`). */
  reads?: readonly string[];
  /** Every `code` the rule can report, with what it means. */
  messages: Record<string, string>;
  docs: RuleDocs;
}

export interface RuleContext<O = unknown> {
  /** The snapshot's files, parsed once per check by their formats. */
  files: ParsedFiles;
  /** The rule's own sections of the configuration (and the settings it `reads`), defaults applied. */
  options: O;
  facts: RefFacts;
  /** For a pull request (or `--base` in the CLI): what changed, and the files as they were before. */
  change?: { changedPaths: readonly string[]; base: ParsedFiles };
  /** A note for the summary (not a finding): what could not be known, what was accepted and why. */
  note?: (text: string) => void;
}

/**
 * What a rule wants known beyond the snapshot's files, from its parsed files and its own options. The app's
 * gathering and the CLI's ask every rule that is on (policy/needs.ts) and never name a rule.
 */
export interface RuleNeeds<O> {
  /** Online: git refs to resolve and repositories whose tags to list. */
  lookups?: (files: ParsedFiles, options: O) => Lookups;
  /** Online: dbt packages to read at their pins (`host`: the GitHub the app reads). */
  packages?: (files: ParsedFiles, options: O, host: string) => PackagePin[];
  /** A pull request's base: when the rule compares a change with it, and which of the base's files it reads. */
  base?: { when: (options: O) => boolean; files: (path: string) => boolean };
}

// `any` by default: a list of rules holds each with its own options type, which `unknown` would not admit.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Rule<Id extends string = string, O = any> {
  meta: RuleMeta<Id>;
  needs?: RuleNeeds<O>;
  check(context: RuleContext<O>): RuleFinding[];
}

/** Identity function that keeps the literal id and the options type. */
export const defineRule = <const Id extends string, O = Record<string, never>>(rule: Rule<Id, O>): Rule<Id, O> => rule;

/** A rule's options out of the whole configuration: the sections it owns and the settings it reads. */
export function optionsOf(rule: Rule, config: object): unknown {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(rule.meta.options ?? {})) out[key] = (config as Record<string, unknown>)[key];
  for (const path of rule.meta.reads ?? []) {
    const parts = path.split('.');
    let from: unknown = config;
    let into = out;
    parts.forEach((part, i) => {
      from = (from as Record<string, unknown> | undefined)?.[part];
      if (i === parts.length - 1) into[part] = from;
      else into = (into[part] ??= {}) as Record<string, unknown>;
    });
  }
  return out;
}
