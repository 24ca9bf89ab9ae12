/** Rendering a policy result for the check run (summary table, annotations). Pure. */
import type { ConfigError } from '../config/load.js';
import type { ShipshapeConfig } from '../config/schema.js';
import { conclusionOf, type PolicyResult } from './engine.js';
import { MALFORMED_FILE } from './malformed-file.js';
import { printable } from './mask.js';
import { RULES } from './registry.js';
import type { Finding } from './types.js';

export const CHECK_NAME = 'shipshape/policy';
const MAX_SUMMARY = 60_000; // GitHub's limit is 65,535 characters

export interface CheckOutput {
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
  annotations: Annotation[];
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
}

/** A finding about the repository as a whole (no file) is annotated on the configuration file when it exists, else only listed in the summary. */
export function annotationOf(f: Finding, configFile?: string): Annotation | undefined {
  if (f.path === null && !configFile) return undefined;
  return {
    path: f.path ?? configFile!,
    start_line: f.line,
    end_line: f.line,
    // GitHub takes columns only on single-line annotations, which these are.
    ...(f.column ? { start_column: f.column, end_column: f.column } : {}),
    annotation_level: f.severity === 'error' ? 'failure' : 'warning',
    title: f.rule,
    message: f.fix ? `${f.message}\nFix: ${f.fix}` : f.message,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function renderPolicyResult(result: PolicyResult, config: ShipshapeConfig, notes: string[] = []): CheckOutput {
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.length - errors;
  const conclusion = conclusionOf(result.findings);
  const title =
    result.findings.length === 0 ? 'The deployment policy is met' : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  const rows = RULES.map(({ meta }) => {
    const level = config.rules[meta.id];
    const outcome = result.outcomes.find((o) => o.rule.meta.id === meta.id);
    const count = outcome?.findings.length ?? 0;
    const status = level === 'off' ? '➖ off' : count === 0 ? '✅' : outcome!.findings.some((f) => f.severity === 'error') ? '❌' : '⚠️';
    return `| ${status} | \`${meta.id}\` | ${level} | ${level === 'off' ? '' : count} | ${meta.description} |`;
  });
  // Unreadable files are judged whatever rules are on, so their row is always there.
  const unreadable = result.unreadable.length;
  rows.push(`| ${unreadable ? '❌' : '✅'} | \`${MALFORMED_FILE.id}\` | error | ${unreadable} | ${MALFORMED_FILE.description} |`);
  const lines = [
    `Shipshape read ${plural(result.filesRead, 'file')} that the enabled rules check.`,
    '',
    '| | Rule | Level | Findings | What it checks |',
    '|---|---|---|---|---|',
    ...rows,
  ];
  const allNotes = [...result.notes, ...notes];
  if (allNotes.length) lines.push('', '**Notes**', '', ...allNotes.map((n) => `- ${n}`));
  if (result.findings.length) {
    lines.push('', '**Findings**', '');
    for (const f of result.findings)
      lines.push(
        `- ${f.severity === 'error' ? '❌' : '⚠️'} ${f.path === null ? 'the repository' : `\`${printable(f.path)}:${f.line}\``} (${f.rule}): ${f.message}`,
      );
  }
  const annotations = result.findings.map((f) => annotationOf(f, result.configFile)).filter((a): a is Annotation => a !== undefined);
  return { conclusion, title, summary: truncate(lines.join('\n')), annotations };
}

export function renderConfigErrors(errors: ConfigError[]): CheckOutput {
  const lines = [
    'Shipshape did not check this commit because its configuration is invalid. Nothing else was judged.',
    '',
    ...errors.map((e) => `- \`${e.file}\` line ${e.line}: ${e.message}`),
  ];
  return {
    conclusion: 'failure',
    title: `Invalid configuration: ${plural(errors.length, 'problem')}`,
    summary: truncate(lines.join('\n')),
    // Only files of this repository can carry annotations.
    annotations: errors
      .filter((e) => !e.file.includes(':'))
      .map((e) => ({
        path: e.file,
        start_line: e.line,
        end_line: e.line,
        annotation_level: 'failure',
        title: 'shipshape.yml',
        message: e.message,
      })),
  };
}

export function renderFailure(reason: string): CheckOutput {
  return {
    conclusion: 'failure',
    title: 'Shipshape could not complete the check',
    summary: `The policy could not be evaluated, so this commit is not reported as passing.\n\nReason: ${reason}\n\nUse **Re-run** or comment \`/recheck\` on the pull request to try again.`,
    annotations: [],
  };
}

function truncate(text: string): string {
  return text.length <= MAX_SUMMARY ? text : `${text.slice(0, MAX_SUMMARY)}\n\n… (truncated; every finding is also an annotation)`;
}
