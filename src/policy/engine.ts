/**
 * The policy engine: parses each file of the snapshot once (formats), reports files that cannot be read,
 * then runs every enabled rule over the parsed entries. Pure — the snapshot comes from GitHub in the app
 * and from the disk in the CLI, so both produce the same findings.
 */
import type { ShipshapeConfig } from '../config/schema.js';
import type { FileSnapshot } from '../core/files.js';
import { ParsedRepo, type ParsedFiles } from './parsed.js';
import { RULES } from './registry.js';
import { MALFORMED_FILE } from './malformed-file.js';
import { maskSecrets } from './mask.js';
import { optionsOf, type Rule } from './rule.js';
import { CONFIG_FILE } from './formats/shipshape-config.js';
import type { Finding, RefFacts, RuleFinding, Severity } from './types.js';

export { pathsToRead } from './parsed.js';

export function enabledRules(config: ShipshapeConfig, rules: readonly Rule[] = RULES): Rule[] {
  return rules.filter((r) => levelOf(config, r.meta.id) !== 'off');
}

const levelOf = (config: ShipshapeConfig, id: string) => (config.rules as Record<string, string | undefined>)[id] ?? 'off';

export interface RuleOutcome {
  rule: Rule;
  level: Severity;
  findings: Finding[];
}

export interface PolicyResult {
  findings: Finding[];
  outcomes: RuleOutcome[];
  /** Files that could not be read (malformed, binary, too large): reported whatever rules are on. */
  unreadable: Finding[];
  filesRead: number;
  /** Notes from the rules and the engine for the summary: templates skipped, what could not be known. */
  notes: string[];
  /** Templates left unchecked (folders or files), listed once each. */
  skipped: string[];
  /** The configuration file when the repository has one: findings with no file are annotated there. */
  configFile?: string;
}

export interface SnapshotChange {
  changedPaths: readonly string[];
  base: FileSnapshot;
}

export function runPolicy(
  snapshot: FileSnapshot,
  config: ShipshapeConfig,
  facts: RefFacts,
  rules: readonly Rule[] = RULES,
  change?: SnapshotChange,
): PolicyResult {
  return decidePolicy(
    new ParsedRepo(snapshot),
    config,
    facts,
    rules,
    change && { changedPaths: change.changedPaths, base: new ParsedRepo(change.base) },
  );
}

export function decidePolicy(
  unscoped: ParsedRepo,
  config: ShipshapeConfig,
  facts: RefFacts,
  rules: readonly Rule[] = RULES,
  change?: { changedPaths: readonly string[]; base: ParsedFiles },
): PolicyResult {
  const ignore = config.ignore;
  const parsed = unscoped.scoped(ignore);
  if (change && change.base instanceof ParsedRepo) change = { ...change, base: change.base.scoped(ignore) };
  const notes: string[] = [];
  const note = (text: string) => {
    const masked = maskSecrets(text);
    if (!notes.includes(masked)) notes.push(masked);
  };
  const unreadable = parsed.problems().map((p) => toFinding(MALFORMED_FILE.id, 'error', p, parsed.lineCount(p.path)));
  const outcomes: RuleOutcome[] = [];
  const active = enabledRules(config, rules);
  for (const rule of active) {
    const level = levelOf(config, rule.meta.id) as Severity;
    let produced: RuleFinding[];
    try {
      produced = rule.check({ files: parsed, options: optionsOf(rule, config), facts, change, note });
    } catch (err) {
      // A rule bug must not turn into a green check: report it as an error finding.
      const path = parsed.pathsOf(rule.meta.formats)[0] ?? null;
      produced = [
        { path, line: 1, code: 'internal-error', message: `rule ${rule.meta.id} failed: ${(err as Error).message}`, maxSeverity: 'error' },
      ];
    }
    const findings = produced
      .map((f) => toFinding(rule.meta.id, level, f, f.path === null ? undefined : parsed.lineCount(f.path)))
      .sort(byPlace);
    outcomes.push({ rule, level, findings });
  }
  const read = new Set([...parsed.pathsOf(active.flatMap((r) => r.meta.formats)), ...unreadable.map((f) => f.path!)]);
  const findings = [...unreadable, ...outcomes.flatMap((o) => o.findings)].sort(byPlace);
  const skipped = [...parsed.skipped];
  if (skipped.length)
    notes.unshift(
      maskSecrets(
        `${skipped.length} template${skipped.length === 1 ? '' : 's'} skipped, not checked (Jinja/cookiecutter markup): ${skipped.map((s) => `\`${s}\``).join(', ')}`,
      ),
    );
  return {
    findings,
    outcomes,
    unreadable,
    filesRead: read.size,
    notes,
    skipped,
    configFile: parsed.has(CONFIG_FILE) ? CONFIG_FILE : undefined,
  };
}

/** Annotations must land on a line that exists (a parser may point one past the end of the file). */
/** Every finding leaves through here: its text masked (no secret, no control character), its line real. */
function toFinding(rule: string, level: Severity, f: RuleFinding, lastLine = Infinity): Finding {
  const { maxSeverity, ...rest } = f;
  const severity: Severity = level === 'warning' || maxSeverity === 'warning' ? 'warning' : 'error';
  const masked = { message: maskSecrets(rest.message), ...(rest.fix !== undefined ? { fix: maskSecrets(rest.fix) } : {}) };
  return { rule, severity, ...rest, ...masked, line: Math.max(1, Math.min(rest.line, lastLine)) };
}

/** Findings about the repository as a whole first, then by file and line. */
export function byPlace(a: Finding, b: Finding): number {
  return (a.path ?? '').localeCompare(b.path ?? '') || a.line - b.line || a.rule.localeCompare(b.rule);
}

export function conclusionOf(findings: readonly Finding[]): 'success' | 'failure' | 'neutral' {
  if (findings.some((f) => f.severity === 'error')) return 'failure';
  return findings.length ? 'neutral' : 'success';
}
