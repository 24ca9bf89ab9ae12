/**
 * `shipshape check [DIR]` and `shipshape explain <rule>`: the app's policy engine, offline, on a local
 * directory. Exit codes: 0 no error finding, 1 at least one, 2 usage error or invalid configuration.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { auditCommand } from './audit/cli.js';
import { CONFIG_PATH } from './config/load.js';
import { DiskSnapshot } from './local/disk-snapshot.js';
import { changeSince } from './local/git-base.js';
import { gatherLocalInputs } from './local/policy-inputs.js';
import { decide } from './policy/decide.js';
import { explainRule } from './policy/explain.js';
import { RULES } from './policy/registry.js';
import { contentFromBytes } from './policy/snapshot.js';
import type { ChangeContext, Finding } from './policy/types.js';

const USAGE = `Usage:
  shipshape check [DIR] [--format text|json|github] [--config FILE] [--base GIT-REF]
  shipshape explain <rule-id>
  shipshape audit OWNER/REPO [--format text|json|github]   (repository settings, with GITHUB_TOKEN; see shipshape audit --help)
  shipshape --help | --version

check     Runs the policy on DIR (default: .) as the shipshape/policy check run would, offline.
          Reads DIR/.github/shipshape.yml (or --config FILE); without one, the defaults apply.
          --base GIT-REF judges the change since that ref (dashboard versions must be raised).
explain   Describes a rule with a failing and a fixed example.

Exit codes: 0 no error-level finding, 1 at least one, 2 usage error or invalid configuration.
Rules: ${RULES.map((r) => r.meta.id).join(', ')}`;

export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  if (argv[0] === 'audit') return auditCommand(argv.slice(1), io);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { format: { type: 'string', default: 'text' }, config: { type: 'string' }, base: { type: 'string' }, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } } });
  } catch (err) {
    io.err(`shipshape: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) return io.out(USAGE), 0;
  if (values.version) return io.out(packageVersion()), 0;
  const [command, ...rest] = positionals;
  if (command === 'explain') return explain(rest[0], io);
  if (command !== 'check') {
    io.err(`shipshape: ${command ? `unknown command \`${command}\`` : 'no command given'}\n\n${USAGE}`);
    return 2;
  }
  const format = values.format!;
  if (!['text', 'json', 'github'].includes(format)) {
    io.err(`shipshape: --format must be text, json or github, not \`${format}\``);
    return 2;
  }
  if (rest.length > 1) {
    io.err(`shipshape: check takes one directory, got ${rest.length}`);
    return 2;
  }
  const dir = resolve(rest[0] ?? '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    io.err(`shipshape: ${dir} is not a directory`);
    return 2;
  }
  return check(dir, format as 'text' | 'json' | 'github', values.config, values.base, io);
}

async function check(dir: string, format: 'text' | 'json' | 'github', configFile: string | undefined, baseRef: string | undefined, io: CliIO): Promise<number> {
  const configPath = configFile ? resolve(configFile) : join(dir, CONFIG_PATH);
  const shownPath = configFile ?? CONFIG_PATH;
  if (configFile && !existsSync(configPath)) {
    io.err(`shipshape: --config ${configFile} does not exist`);
    return 2;
  }
  let change: ChangeContext | undefined;
  if (baseRef) {
    try {
      change = changeSince(dir, baseRef);
    } catch (err) {
      io.err(`shipshape: ${(err as Error).message}`);
      return 2;
    }
  }
  const config = existsSync(configPath) ? { file: shownPath, content: contentFromBytes(readFileSync(configPath)) } : undefined;
  const { inputs, notes } = gatherLocalInputs({ snapshot: new DiskSnapshot(dir), config, change });
  const decision = decide(inputs, { onRequest: true });
  if (decision.kind === 'invalid-config') {
    for (const e of decision.errors) io.err(`${e.file}:${e.line}: ${e.message}`);
    io.err(`shipshape: the configuration is invalid; nothing was checked`);
    return 2;
  }
  if (decision.kind !== 'checked') throw new Error(`unexpected decision ${decision.kind}`);
  const { result } = decision;
  notes.push(...decision.notes);
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  // A finding about the repository as a whole has no file: `"file": null, "line": null`.
  if (format === 'json') io.out(JSON.stringify({ findings: result.findings.map(({ rule, severity, path, line, message }) => ({ rule, severity, file: path, line: path === null ? null : line, message })) }, null, 2));
  else if (format === 'github') result.findings.forEach((f) => io.out(githubAnnotation(f)));
  else {
    for (const f of result.findings) io.out(`${f.path === null ? '(repository)' : `${f.path}:${f.line}`}${f.column ? `:${f.column}` : ''}  ${f.severity}  ${f.message}  (${f.rule})${f.fix ? `\n    fix: ${f.fix}` : ''}`);
    io.out(`${result.findings.length ? '' : 'No findings. '}${errors} error(s), ${result.findings.length - errors} warning(s) in ${result.filesRead} file(s) checked`);
  }
  for (const n of [...result.notes, ...notes]) io.err(`note: ${n}`);
  return errors ? 1 : 0;
}

/** A GitHub Actions workflow command; data and properties escaped as the runner expects. */
export function githubAnnotation(f: Finding): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const level = f.severity === 'error' ? 'error' : 'warning';
  if (f.path === null) return `::${level} title=${prop(f.rule)}::${data(f.fix ? `${f.message}\nFix: ${f.fix}` : f.message)}`;
  return `::${level} file=${prop(f.path)},line=${f.line}${f.column ? `,col=${f.column}` : ''},title=${prop(f.rule)}::${data(f.fix ? `${f.message}\nFix: ${f.fix}` : f.message)}`;
}

function explain(id: string | undefined, io: CliIO): number {
  const text = id ? explainRule(id) : undefined;
  if (!text) {
    io.err(`shipshape: ${id ? `unknown rule \`${id}\`` : 'explain needs a rule id'}; rules: ${RULES.map((r) => r.meta.id).join(', ')}`);
    return 2;
  }
  io.out(text);
  return 0;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
