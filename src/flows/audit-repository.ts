/**
 * One settings audit of one repository: configuration (1 GraphQL query) → facts (src/github/audit-facts)
 * → pure audit → the configured action: `log`, `issue` (one issue kept current), or `fix` (apply the safe
 * fixes, audit again, and keep the issue for what remains).
 */
import { selects } from '../audit/config.js';
import type { AuditRepositories, CheckContext } from '../audit/types.js';
import { checkContext, needsShaPinning, protectionSatisfied, runAudit, type AuditResult } from '../audit/audit.js';
import { settingRequests } from '../audit/fix.js';
import { renderIssueBody } from '../audit/report.js';
import { CONFIG_PATH, parseConfigLayer } from '../config/load.js';
import { orgConfigFile } from '../config/resolve.js';
import type { ShipshapeConfig } from '../config/schema.js';
import { gatherAuditFacts, gatherAuditFactsBatch, type GatherShared } from '../github/audit-facts.js';
import type { GatherOptions, Gathered } from '../github/audit-reader.js';
import {
  getRepository,
  rateLimited,
  tokenPermissions,
  withRawProtection,
  type OrgSettingsCache,
  type RepositoryData,
} from '../github/audit-rest.js';
import { applySettingRequests, syncAuditIssue, type IssueOptions } from '../github/audit-issue.js';
import type { GitHub } from '../github/client.js';
import type { RepoRef } from '../github/issues.js';
import { governingConfig } from '../github/config-source.js';
import { readConfigTexts, readConfigTextsOfMany, type ConfigTextsOf } from '../github/repo-files.js';
import type { FileContent } from '../core/files.js';

export interface AuditTarget extends RepoRef {
  /** The repository as the event or listing gave it (saves a request when it carries its security settings). */
  repository?: RepositoryData;
}

export interface AuditOptions {
  log: { info: (obj: unknown, msg?: string) => void; warn: (obj: unknown, msg?: string) => void };
  appSlug?: string;
  issue?: IssueOptions;
  /** Organization settings kept across audits (the app keeps one for an hour); a fresh one per call otherwise. */
  orgSettings?: OrgSettingsCache;
}

export type AuditOutcome =
  | { kind: 'skipped'; reason: 'no-config' | 'disabled' | 'invalid-config' | 'not-selected' | 'archived' }
  | {
      kind: 'audited';
      action: ShipshapeConfig['audit']['action'];
      findings: number;
      cannotAudit: number;
      requests: number;
      issue?: string;
      changes?: string[];
      fixFailed?: string;
    };

/** The configuration that applies, and the organization file's `audit.repositories` (read from that file only). */
export async function auditConfig(
  octokit: GitHub,
  r: RepoRef,
  /** The files as a batch already read them. */
  read?: ConfigTextsOf,
): Promise<
  | { kind: 'ok'; config: ShipshapeConfig; selection: AuditRepositories; notes: string[] }
  | { kind: 'skip'; reason: 'no-config' | 'disabled' | 'invalid-config'; errors?: string[]; config?: ShipshapeConfig }
> {
  const texts = read ?? (await readConfigTexts(octokit, r.owner, r.repo, 'HEAD'));
  const orgFile = orgConfigFile(r.owner);
  const outcome = await governingConfig(octokit, r.owner, texts);
  if (outcome.kind === 'absent') return { kind: 'skip', reason: 'no-config' };
  if (outcome.kind === 'disabled') return { kind: 'skip', reason: 'disabled', config: outcome.config };
  if (outcome.kind === 'invalid')
    return { kind: 'skip', reason: 'invalid-config', errors: outcome.errors.map((e) => `${e.file}:${e.line}: ${e.message}`) };
  const auditOf = (content: FileContent | undefined, file: string) => {
    if (content?.kind !== 'text') return undefined;
    const parsed = parseConfigLayer({ file, text: content.text });
    return parsed.ok ? (parsed.value.audit as { repositories?: AuditRepositories } | undefined) : undefined;
  };
  const notes: string[] = [];
  if (auditOf(texts.repo, CONFIG_PATH)?.repositories !== undefined)
    notes.push(`\`audit.repositories\` in ${CONFIG_PATH} is ignored: only the organization's ${orgFile} chooses the audited repositories`);
  return { kind: 'ok', config: outcome.config, selection: auditOf(texts.org, orgFile)?.repositories ?? 'all', notes };
}

export async function auditRepository(octokit: GitHub, target: AuditTarget, options: AuditOptions): Promise<AuditOutcome> {
  const [outcome] = await auditRepositories(octokit, [target], options);
  if (outcome!.kind === 'failed') throw outcome!.error;
  return outcome!;
}

/** In a batch, one repository's failure (GitHub does not show it, a request failed) is its own outcome. */
export type BatchOutcome = AuditOutcome | { kind: 'failed'; error: unknown };

/**
 * Several repositories of one installation (the daily audit's batch): each one's configuration, then the
 * settings of all of them gathered together (one GraphQL query per 20), then each one's action.
 */
export async function auditRepositories(octokit: GitHub, targets: readonly AuditTarget[], options: AuditOptions): Promise<BatchOutcome[]> {
  // Several repositories of one owner: their configuration files in one query too.
  const owner = targets[0]?.owner;
  const texts =
    targets.length > 1 && targets.every((t) => t.owner === owner)
      ? await readConfigTextsOfMany(
          octokit,
          owner!,
          targets.map((t) => t.repo),
        )
      : undefined;
  const prepared: Array<Prepared | BatchOutcome> = await Promise.all(
    targets.map(async (t, i) => {
      const read = texts?.[i];
      if (read instanceof Error) return { kind: 'failed' as const, error: read };
      return prepare(octokit, t, options, read).catch((error: unknown) => ({ kind: 'failed' as const, error }));
    }),
  );
  const ready = prepared.filter((p): p is Prepared => !('kind' in p));
  const shared = { permissions: await tokenPermissions(octokit), orgSettings: options.orgSettings };
  let gathered: Array<Gathered | { error: unknown }>;
  try {
    gathered = await gatherAuditFactsBatch(
      octokit,
      ready.map((p) => ({ ...p.r, options: p.gatherOptions })),
      shared,
    );
  } catch (err) {
    // One repository's failure should not cost the others their audit: each alone (a rate limit stops them all).
    if (ready.length < 2 || rateLimited(err as Parameters<typeof rateLimited>[0])) throw err;
    gathered = await Promise.all(
      ready.map((p) => gatherAuditFacts(octokit, p.r, p.gatherOptions, shared).catch((error: unknown) => ({ error }))),
    );
  }
  const done = await Promise.all(
    ready.map(async (p, i): Promise<BatchOutcome> => {
      const g = gathered[i]!;
      if ('error' in g) return { kind: 'failed', error: g.error };
      return act(octokit, p, g, shared, options).catch((error: unknown) => ({ kind: 'failed' as const, error }));
    }),
  );
  return prepared.map((p) => ('kind' in p ? p : done[ready.indexOf(p)]!));
}

interface Prepared {
  r: RepoRef;
  ctx: CheckContext;
  config: ShipshapeConfig;
  notes: string[];
  gatherOptions: GatherOptions;
}

async function prepare(
  octokit: GitHub,
  target: AuditTarget,
  options: AuditOptions,
  read?: ConfigTextsOf,
): Promise<Prepared | AuditOutcome> {
  const r = { owner: target.owner, repo: target.repo };
  const loaded = await auditConfig(octokit, r, read);
  if (loaded.kind === 'skip') {
    if (loaded.errors)
      options.log.warn(
        { repository: `${r.owner}/${r.repo}`, errors: loaded.errors },
        'settings audit skipped: the configuration is invalid (the policy check reports it)',
      );
    return { kind: 'skipped', reason: loaded.reason };
  }
  let repository = target.repository;
  let fetched = false;
  if (!repository) {
    repository = await getRepository(octokit, r);
    fetched = true;
  }
  if (repository.archived) return { kind: 'skipped', reason: 'archived' };
  if (!selects(loaded.selection, { name: r.repo, topics: repository.topics ?? [] })) return { kind: 'skipped', reason: 'not-selected' };
  const ctx = checkContext(loaded.config, options.appSlug);
  return {
    r,
    ctx,
    config: loaded.config,
    notes: loaded.notes,
    gatherOptions: {
      production: ctx.production,
      shaPinning: needsShaPinning(ctx),
      repository,
      repositoryFetched: fetched,
      protectionSatisfied: protectionSatisfied(ctx),
    },
  };
}

async function act(octokit: GitHub, p: Prepared, first: Gathered, shared: GatherShared, options: AuditOptions): Promise<AuditOutcome> {
  const { r, ctx } = p;
  let { facts, requests } = first;
  let result = runAudit(facts, ctx);
  const action = p.config.audit.action;
  const changes: string[] = [];
  let fixFailed: string | undefined;
  if (action === 'fix') {
    // Two rounds at most: a fix can make another one possible (a new production environment gets its tag rules).
    for (let round = 0; round < 2 && result.fixes.length && !fixFailed; round++) {
      const fixes = result.fixes.map((f) => f.change);
      if (fixes.some((f) => f.kind === 'branch-protection')) facts = await withRawProtection(octokit, facts);
      const applied = await applySettingRequests(octokit, r, settingRequests(fixes, facts));
      changes.push(...applied.done);
      fixFailed = applied.failed;
      ({ facts, requests } = await gatherAuditFacts(
        octokit,
        r,
        { ...p.gatherOptions, repository: undefined, repositoryFetched: false },
        shared,
      ));
      result = runAudit(facts, ctx);
    }
  }
  const name = `${r.owner}/${r.repo}`;
  options.log.info(
    {
      repository: name,
      action,
      findings: result.findings.map((f) => `${f.check}: ${f.message}`),
      cannotAudit: result.cannotAudit,
      changes,
      fixFailed,
      notes: [...p.notes, ...result.notes],
      requests,
    },
    `settings audit of ${name}: ${summary(result)}`,
  );
  let issue: string | undefined;
  if (action !== 'log') {
    const state = result.findings.length ? 'open' : result.cannotAudit.length ? 'keep' : 'closed';
    const body = renderIssueBody(name, result, fixFailed ? [...changes, `not done: ${fixFailed}`] : changes);
    issue = (await syncAuditIssue(octokit, r, state, body, options.issue)).kind;
  }
  return {
    kind: 'audited',
    action,
    findings: result.findings.length,
    cannotAudit: result.cannotAudit.length,
    requests,
    issue,
    ...(action === 'fix' ? { changes } : {}),
    ...(fixFailed ? { fixFailed } : {}),
  };
}

function summary(result: AuditResult): string {
  if (!result.findings.length)
    return result.cannotAudit.length
      ? `in policy as far as the app can see (${result.cannotAudit.length} check(s) not audited)`
      : 'in policy';
  return `${result.findings.length} setting(s) out of policy`;
}
