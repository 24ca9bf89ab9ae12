/**
 * `shipshape check [DIR]` and `shipshape explain <rule>`: the app's policy engine, offline, on a local
 * directory. Exit codes: 0 no error finding, 1 at least one, 2 usage error or invalid configuration,
 * 3 Shipshape itself failed (never 1, so CI can tell a crash from a failing check).
 * Modules are imported when a command needs them, so `check` loads only the engine and the disk reader.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ConfigError } from './config/load.js';
import type { Finding } from './policy/types.js';

/** The same path as `CONFIG_PATH` in config/load.ts, here so that `--help` and usage errors load nothing. */
const CONFIG_PATH = '.github/shipshape.yml';
const FORMATS = ['text', 'json', 'github'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `Usage:
  shipshape check [DIR] [--format text|json|github] [--config FILE] [--base GIT-REV]
  shipshape explain <rule-id>
  shipshape audit OWNER/REPO [--format text|json|github]   (repository settings, with GITHUB_TOKEN; see shipshape audit --help)
  shipshape --help | --version

check     Runs the policy on DIR (default: .) as the shipshape/policy check run would, offline.
          In a git work tree (a .git in DIR or a folder above it) it checks the files git tracks under
          DIR plus untracked files there that no .gitignore excludes; elsewhere the files on disk,
          honouring .gitignore.
          Reads DIR/${CONFIG_PATH} (or --config FILE); without one, the defaults apply.
          --base GIT-REV judges the change since that revision (dashboard versions must be raised).
          Git data is read without running git; nothing in DIR is executed, no link out of DIR followed.
explain   Describes a rule with a failing and a fixed example.

Exit codes: 0 no error-level finding, 1 at least one, 2 usage error or invalid configuration
(nothing checked), 3 Shipshape itself failed.`;

export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    io.err(crashLine(err));
    return 3;
  }
}

/** One line for a failure of Shipshape itself: no stack trace, and an exit code of its own. */
export function crashLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return `shipshape: internal error: ${printable(message.split('\n')[0] ?? '')} (exit 3: Shipshape failed, nothing was decided)`;
}

async function run(argv: string[], io: CliIO): Promise<number> {
  if (argv[0] === 'audit') return (await import('./audit-cli.js')).auditCommand(argv.slice(1), io);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        config: { type: 'string' },
        base: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (err) {
    io.err(`shipshape: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) return (io.out(`${USAGE}\nRules: ${(await ruleIds()).join(', ')}`), 0);
  if (values.version) return (io.out(await packageVersion()), 0);
  const [command, ...rest] = positionals;
  if (command === 'explain') return explain(rest[0], io);
  if (command !== 'check') {
    io.err(`shipshape: ${command ? `unknown command \`${command}\`` : 'no command given'}\n\n${USAGE}`);
    return 2;
  }
  const format = values.format as Format;
  if (!FORMATS.includes(format)) {
    io.err(`shipshape: --format must be text, json or github, not \`${values.format}\``);
    return 2;
  }
  if (rest.length > 1) {
    io.err(`shipshape: check takes one directory, got ${rest.length}`);
    return 2;
  }
  const { statSync } = await import('node:fs');
  const dir = resolve(rest[0] ?? '.');
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    io.err(`shipshape: ${dir} is not a directory`);
    return 2;
  }
  return check({ dir, shownDir: rest[0] ?? '.', format, configFile: values.config, base: values.base }, io);
}

interface CheckOptions {
  dir: string;
  shownDir: string;
  format: Format;
  configFile?: string;
  base?: string;
}

async function check(opts: CheckOptions, io: CliIO): Promise<number> {
  const [{ GuardedReader, describeRead }, { contentFromBytes, MAX_FILE_BYTES }] = await Promise.all([
    import('./local/guarded-read.js'),
    import('./core/files.js'),
  ]);
  // The config goes through the same guarded reader as every other file: inside DIR, regular, capped.
  // A --config FILE the user names may live anywhere, but it too must be a regular file under the cap.
  const configPath = opts.configFile ? resolve(opts.configFile) : CONFIG_PATH;
  const shownConfig = opts.configFile ?? CONFIG_PATH;
  const configRead = new GuardedReader(opts.configFile ? '/' : opts.dir).read(configPath, MAX_FILE_BYTES);
  if (opts.configFile && configRead.kind === 'absent') {
    io.err(`shipshape: --config ${opts.configFile} does not exist`);
    return 2;
  }
  if (configRead.kind !== 'file' && configRead.kind !== 'absent') {
    return invalidConfig([{ file: shownConfig, line: 1, message: describeRead(shownConfig, configRead, MAX_FILE_BYTES) }], opts.format, io);
  }
  const [{ DiskSnapshot }, { gatherLocalInputs }, { decide }] = await Promise.all([
    import('./local/disk-snapshot.js'),
    import('./local/policy-inputs.js'),
    import('./policy/decide.js'),
  ]);
  const snapshot = new DiskSnapshot(opts.dir);
  let change;
  if (opts.base !== undefined) {
    const { BaseError, changeSince } = await import('./local/git-base.js');
    try {
      change = await changeSince(snapshot, opts.base, opts.shownDir);
    } catch (err) {
      if (!(err instanceof BaseError)) throw err;
      io.err(`shipshape: ${err.message}`);
      return 2;
    }
  }
  const config = configRead.kind === 'file' ? { file: shownConfig, content: contentFromBytes(configRead.bytes) } : undefined;
  const { inputs, notes } = gatherLocalInputs({ snapshot, config, change });
  const decision = decide(inputs, { onRequest: true });
  if (decision.kind === 'invalid-config') return invalidConfig(decision.errors, opts.format, io);
  if (decision.kind !== 'checked') throw new Error(`unexpected decision ${decision.kind}`);
  const { result } = decision;
  notes.push(...decision.notes);
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  print(result.findings, opts.format, io);
  if (opts.format === 'text')
    io.out(
      `${result.findings.length ? '' : 'No findings. '}${errors} error(s), ${result.findings.length - errors} warning(s) in ${result.filesRead} file(s) checked`,
    );
  for (const n of [...snapshot.notes, ...result.notes, ...notes]) io.err(`note: ${printable(n)}`);
  return errors ? 1 : 0;
}

/** An invalid configuration is reported in every format, as findings of `shipshape-config` (the id the
 * check run uses), and nothing else is checked: exit 2. */
function invalidConfig(errors: readonly ConfigError[], format: Format, io: CliIO): number {
  const sorted = [...errors].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  print(
    sorted.map((e) => ({
      rule: 'shipshape-config',
      code: 'invalid-config',
      severity: 'error',
      path: e.file,
      line: e.line,
      message: e.message,
    })),
    format,
    io,
  );
  io.err('shipshape: the configuration is invalid; nothing was checked');
  return 2;
}

function print(findings: readonly Finding[], format: Format, io: CliIO): void {
  // A finding about the repository as a whole has no file: `"file": null, "line": null`.
  if (format === 'json')
    io.out(
      JSON.stringify(
        {
          findings: findings.map(({ rule, severity, path, line, message }) => ({
            rule,
            severity,
            file: path,
            line: path === null ? null : line,
            message,
          })),
        },
        null,
        2,
      ),
    );
  else if (format === 'github') findings.forEach((f) => io.out(githubAnnotation(f)));
  else
    for (const f of findings)
      io.out(
        `${f.path === null ? '(repository)' : `${printable(f.path)}:${f.line}`}${f.column ? `:${f.column}` : ''}  ${f.severity}  ${printable(f.message)}  (${f.rule})${f.fix ? `\n    fix: ${printable(f.fix)}` : ''}`,
      );
}

/** A GitHub Actions workflow command; data and properties escaped as the runner expects. */
export function githubAnnotation(f: Finding): string {
  const data = (s: string) => printable(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const level = f.severity === 'error' ? 'error' : 'warning';
  if (f.path === null) return `::${level} title=${prop(f.rule)}::${data(f.fix ? `${f.message}\nFix: ${f.fix}` : f.message)}`;
  return `::${level} file=${prop(f.path)},line=${f.line}${f.column ? `,col=${f.column}` : ''},title=${prop(f.rule)}::${data(f.fix ? `${f.message}\nFix: ${f.fix}` : f.message)}`;
}

/** Control and bidirectional-override characters (from file names, say) are shown escaped, never raw:
 * a name cannot forge a line of output or reorder what the reader sees. */
export function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const hidden =
      c < 0x20 ||
      (c >= 0x7f && c <= 0x9f) ||
      c === 0x61c ||
      c === 0x200e ||
      c === 0x200f ||
      (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069);
    out += hidden ? `\\u{${c.toString(16)}}` : ch;
  }
  return out;
}

async function explain(id: string | undefined, io: CliIO): Promise<number> {
  const [{ explainRule }, ids] = await Promise.all([import('./policy/explain.js'), ruleIds()]);
  const text = id ? explainRule(id) : undefined;
  if (!text) {
    const { suggest } = await import('./config/suggest.js');
    const guess = id ? suggest(id, ids) : undefined;
    io.err(
      `shipshape: ${id ? `unknown rule \`${printable(id)}\`${guess ? `; did you mean \`${guess}\`?` : ''}` : 'explain needs a rule id'} (rules: ${ids.join(', ')})`,
    );
    return 2;
  }
  io.out(text);
  return 0;
}

/** The rule ids, and `malformed-file`, which `explain` also describes. */
async function ruleIds(): Promise<string[]> {
  const [{ RULES }, { MALFORMED_FILE }] = await Promise.all([import('./policy/registry.js'), import('./policy/malformed-file.js')]);
  return [...RULES.map((r) => r.meta.id), MALFORMED_FILE.id];
}

/** package.json is one folder up from dist/cli.js and two from the bundle in dist/bundle/. */
async function packageVersion(): Promise<string> {
  const { existsSync, readFileSync } = await import('node:fs');
  const manifests = ['../package.json', '../../package.json'].map((p) => new URL(p, import.meta.url)).filter((u) => existsSync(u));
  const own = manifests
    .map((u) => JSON.parse(readFileSync(u, 'utf8')) as { name?: string; version?: string })
    .find((m) => m.name === 'shipshape');
  return own?.version ?? 'unknown';
}
