/**
 * The policy engine: runs every enabled rule over a file snapshot. Pure — the snapshot comes from GitHub
 * in the app and from the disk in the CLI, so both produce the same findings.
 */
import picomatch from 'picomatch';
import type { ShipshapeConfig } from '../config/schema.js';
import { RULES } from './registry.js';
import type { ChangeContext, FileSnapshot, Finding, RefFacts, Rule, RuleFinding, Severity } from './types.js';

/** Vendored or generated trees whose files are not the repository's own policy surface. */
const IGNORED = picomatch(['**/node_modules/**', '**/dbt_packages/**', '**/dbt_modules/**', '**/target/**', '**/.venv/**', '**/venv/**'], { dot: true });

const matcherCache = new WeakMap<Rule, (path: string) => boolean>();
function matcherOf(rule: Rule): (path: string) => boolean {
  let m = matcherCache.get(rule);
  if (!m) {
    const glob = picomatch(rule.files as string[], { dot: true, nocase: false });
    m = (path: string) => !IGNORED(path) && glob(path);
    matcherCache.set(rule, m);
  }
  return m;
}

export function enabledRules(config: ShipshapeConfig, rules: readonly Rule[] = RULES): Rule[] {
  return rules.filter((r) => (config.rules[r.id as keyof ShipshapeConfig['rules']] ?? 'off') !== 'off');
}

/** The paths whose contents the enabled rules read: what the GitHub side must fetch. */
export function pathsToRead(paths: readonly string[], config: ShipshapeConfig, rules: readonly Rule[] = RULES): string[] {
  const active = enabledRules(config, rules);
  return paths.filter((p) => active.some((r) => matcherOf(r)(p)));
}

export interface RuleOutcome {
  rule: Rule;
  level: Severity;
  findings: Finding[];
}

export interface PolicyResult {
  findings: Finding[];
  outcomes: RuleOutcome[];
  filesRead: number;
}

export function runPolicy(snapshot: FileSnapshot, config: ShipshapeConfig, facts: RefFacts, rules: readonly Rule[] = RULES, change?: ChangeContext): PolicyResult {
  const outcomes: RuleOutcome[] = [];
  const read = new Set<string>();
  for (const rule of enabledRules(config, rules)) {
    const level = config.rules[rule.id as keyof ShipshapeConfig['rules']] as Severity;
    const matching = snapshot.paths.filter(matcherOf(rule));
    const files: Array<{ path: string; text: string }> = [];
    const raw: RuleFinding[] = [];
    for (const path of matching) {
      read.add(path);
      const content = snapshot.content(path);
      if (content?.kind === 'text') files.push({ path, text: content.text });
      else raw.push(unreadable(path, content));
    }
    let produced: RuleFinding[];
    try {
      produced = rule.check({ snapshot, files, config, facts, change });
    } catch (err) {
      // A rule bug must not turn into a green check: report it as an error finding.
      produced = [{ path: files[0]?.path ?? '.github/shipshape.yml', line: 1, code: 'internal-error', message: `rule ${rule.id} failed: ${(err as Error).message}`, maxSeverity: 'error' }];
    }
    const lastLine = new Map(files.map((f) => [f.path, lineCount(f.text)]));
    const findings = [...raw, ...produced].map((f) => toFinding(rule.id, level, f, lastLine.get(f.path))).sort(byPlace);
    outcomes.push({ rule, level, findings });
  }
  return { findings: outcomes.flatMap((o) => o.findings).sort(byPlace), outcomes, filesRead: read.size };
}

function unreadable(path: string, content: ReturnType<FileSnapshot['content']>): RuleFinding {
  if (content?.kind === 'binary') return { path, line: 1, code: 'unreadable', message: `${path} is not a text file, so it could not be checked` };
  if (content?.kind === 'too-large') return { path, line: 1, code: 'unreadable', message: `${path} is ${(content.size / 1048576).toFixed(1)} MB, over the 1 MB that Shipshape reads, so it could not be checked` };
  return { path, line: 1, code: 'unreadable', message: `${path} could not be read, so it could not be checked` };
}

/** Annotations must land on a line that exists (a parser may point one past the end of the file). */
function toFinding(rule: string, level: Severity, f: RuleFinding, lastLine = Infinity): Finding {
  const { maxSeverity, ...rest } = f;
  const severity: Severity = level === 'warning' || maxSeverity === 'warning' ? 'warning' : 'error';
  return { rule, severity, ...rest, line: Math.max(1, Math.min(rest.line, lastLine)) };
}

function lineCount(text: string): number {
  const lines = text.split('\n').length;
  return text.endsWith('\n') ? Math.max(1, lines - 1) : lines;
}

export function byPlace(a: Finding, b: Finding): number {
  return a.path.localeCompare(b.path) || a.line - b.line || a.rule.localeCompare(b.rule);
}

export function conclusionOf(findings: readonly Finding[]): 'success' | 'failure' | 'neutral' {
  if (findings.some((f) => f.severity === 'error')) return 'failure';
  return findings.length ? 'neutral' : 'success';
}
