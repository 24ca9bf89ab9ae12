/**
 * `shipshape audit OWNER/REPO`: the settings audit from a terminal or CI, with GITHUB_TOKEN. Read-only:
 * the client refuses every request but reads (and GraphQL queries). Same findings as the app, and the
 * exit codes of `check`: 0 no error finding, 1 at least one, 2 usage error, invalid configuration or
 * unreadable repository.
 */
import { parseArgs } from 'node:util';
import { ProbotOctokit } from 'probot';
import { defaultConfig } from './config/load.js';
import { gatherAuditFacts } from './github/audit-facts.js';
import type { GitHub } from './github/client.js';
import { auditConfig } from './flows/audit-repository.js';
import { checkContext, needsShaPinning, protectionSatisfied, runAudit } from './audit/audit.js';
import { hasErrors, renderText } from './audit/report.js';

export const AUDIT_USAGE = `Usage: shipshape audit OWNER/REPO [--format text|json|github]
  Audits the repository's settings (branch protection and rulesets, environments, collaborators,
  Actions and security settings) against its shipshape.yml, read-only. Needs GITHUB_TOKEN (admin
  read access shows everything; without it, the checks it cannot see are reported as not audited).
  GITHUB_API_URL, or GHE_HOST and GHE_PROTOCOL, point it at GitHub Enterprise Server.`;

interface IO {
  out: (text: string) => void;
  err: (text: string) => void;
}

export function apiBaseUrl(env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_API_URL) return env.GITHUB_API_URL.replace(/\/+$/, '');
  if (env.GHE_HOST) return `${env.GHE_PROTOCOL || 'https'}://${env.GHE_HOST}/api/v3`;
  return 'https://api.github.com';
}

/** How long the command waits for GitHub's rate limit before giving up with an error (never a "cannot audit"). */
export const RATE_LIMIT_WAIT_SECONDS = 60;

/**
 * A client that can only read: the audit from the command line never changes anything. GitHub's rate
 * limits are respected: a `retry-after` (secondary limit) or a primary limit that resets within a minute
 * is waited for, twice at most; longer, the command fails and says when to try again.
 */
export function readOnlyClient(token: string, baseUrl: string, warn: (text: string) => void = () => undefined): GitHub {
  const wait = (kind: string) => (retryAfter: number, options: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    if (retryCount >= 2 || retryAfter > RATE_LIMIT_WAIT_SECONDS) {
      warn(`GitHub's ${kind} rate limit: ${options.method} ${options.url} could be retried in ${retryAfter} s; giving up`);
      return false;
    }
    warn(`GitHub's ${kind} rate limit: waiting ${retryAfter} s`);
    return true;
  };
  const octokit = new ProbotOctokit({
    auth: { token },
    baseUrl,
    throttle: { onRateLimit: wait('primary'), onSecondaryRateLimit: wait('secondary') },
    retry: { enabled: false },
  });
  octokit.hook.before('request', (options) => {
    const isQuery = options.method === 'POST' && /\/graphql$/.test(options.url);
    if (options.method !== 'GET' && !isQuery) throw new Error(`refused ${options.method} ${options.url}: the audit command is read-only`);
  });
  return octokit;
}

export async function auditCommand(argv: string[], io: IO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    io.err(`shipshape audit: ${(err as Error).message}\n\n${AUDIT_USAGE}`);
    return 2;
  }
  if (parsed.values.help) return (io.out(AUDIT_USAGE), 0);
  const format = parsed.values.format;
  const [name, ...extra] = parsed.positionals;
  const match = /^([A-Za-z0-9-]+)\/([\w.-]+)$/.exec(name ?? '');
  if (!match || extra.length) {
    io.err(
      `shipshape audit: ${name ? `\`${[name, ...extra].join(' ')}\` is not OWNER/REPO` : 'give the repository as OWNER/REPO'}\n\n${AUDIT_USAGE}`,
    );
    return 2;
  }
  if (!['text', 'json', 'github'].includes(format)) {
    io.err(`shipshape audit: --format must be text, json or github, not \`${format}\``);
    return 2;
  }
  if (!env.GITHUB_TOKEN) {
    io.err(
      'shipshape audit: GITHUB_TOKEN is not set; export a token that can read the repository (e.g. `export GITHUB_TOKEN=$(gh auth token)`)',
    );
    return 2;
  }
  const r = { owner: match[1]!, repo: match[2]! };
  const octokit = readOnlyClient(env.GITHUB_TOKEN, apiBaseUrl(env), (text) => io.err(`note: ${text}`));
  const notes: string[] = [];
  try {
    const loaded = await auditConfig(octokit, r);
    let config = loaded.config;
    if (loaded.kind === 'skip' && loaded.reason === 'invalid-config') {
      for (const e of loaded.errors ?? []) io.err(e);
      io.err('shipshape audit: the configuration is invalid; nothing was audited');
      return 2;
    }
    if (loaded.kind === 'ok') notes.push(...loaded.notes);
    if (loaded.kind === 'skip' && loaded.reason === 'no-config')
      notes.push('no shipshape.yml in the repository or its organization: audited with the defaults (the app would skip it)');
    if (loaded.kind === 'skip' && loaded.reason === 'disabled')
      notes.push('`enabled: false`: the app skips this repository; audited anyway on request');
    config ??= defaultConfig();
    const ctx = checkContext(config, env.APP_SLUG || undefined);
    const { facts, requests } = await gatherAuditFacts(octokit, r, {
      production: ctx.production,
      shaPinning: needsShaPinning(ctx),
      actor: 'the token',
      protectionSatisfied: protectionSatisfied(ctx),
    });
    const result = runAudit(facts, ctx);
    if (format === 'json') {
      io.out(
        JSON.stringify(
          { repository: `${r.owner}/${r.repo}`, findings: result.findings, cannotAudit: result.cannotAudit, passed: result.passed },
          null,
          2,
        ),
      );
    } else if (format === 'github') {
      // GitHub Actions workflow commands: settings have no file, so each finding is a titled annotation.
      const data = (t: string) => t.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
      for (const f of result.findings)
        io.out(`::${f.severity} title=${f.check}::${data(`${f.message}\nSetting: ${f.setting}\nFix: ${f.fix}\n${f.url}`)}`);
      for (const c of result.cannotAudit) io.out(`::notice title=${c.check}::${data(c.reason)}`);
    } else {
      renderText(`${r.owner}/${r.repo}`, result).forEach((line) => io.out(line));
    }
    for (const n of [...notes, ...result.notes]) io.err(`note: ${n}`);
    // The REST requests, and the two GraphQL queries (configuration, settings).
    io.err(`note: ${requests + 2} API request(s)`);
    return hasErrors(result) ? 1 : 0;
  } catch (err) {
    const e = err as { status?: number; message?: string };
    io.err(
      `shipshape audit: cannot read ${r.owner}/${r.repo}: ${e.status ? `GitHub answered ${e.status}: ` : ''}${e.message ?? String(err)}`,
    );
    return 2;
  }
}
