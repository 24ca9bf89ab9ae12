/**
 * Webhooks that re-audit a repository's settings (installation, repositories added, repository, branch
 * protection, rulesets, collaborators, security settings) and the daily schedule. Each only names the
 * repositories and queues `auditRepository`; GitHub sends no webhook for environment changes, which the
 * schedule catches.
 */
import { Redis } from 'ioredis';
import type { Context, Probot } from 'probot';
import { DEFAULT_APP_SLUG } from '../audit/audit.js';
import { auditRepositories, auditRepository, type AuditTarget } from '../flows/audit-repository.js';
import { done, skipped, type JobOutcome } from '../flows/outcome.js';
import { OrgSettingsCache, type RepositoryData } from '../github/audit-facts.js';
import { REPOSITORIES_PER_QUERY } from '../github/audit-graphql.js';
import { installedRepositories, repositoriesOf } from '../github/installations.js';
import type { GitHub } from '../github/client.js';
import { metrics } from '../ops/metrics.js';
import type { WorkQueue } from '../ops/work-queue.js';
import { backgroundRunner, type Log } from './background.js';
import { AuditSchedule, memoryLock, redisLock, type Lock, type ScheduleTarget } from './audit-schedule.js';
import { EnvironmentWatch, memoryFingerprints, redisFingerprints } from './environment-watch.js';

export const AUDIT_EVENTS = [
  'repository.created',
  'repository.edited',
  'repository.publicized',
  'repository.privatized',
  'repository.unarchived',
  'repository.renamed',
  'repository.transferred',
  'branch_protection_rule',
  'branch_protection_configuration',
  'repository_ruleset',
  'member',
  'security_and_analysis',
] as const;

type RepoPayload = { name: string; owner: { login: string } };

export function registerAuditHandlers(app: Probot, queue: WorkQueue): void {
  const appSlug = process.env.APP_SLUG || DEFAULT_APP_SLUG;
  // The organizations' Actions settings, read once an hour rather than once per repository.
  const orgSettings = new OrgSettingsCache();
  const job =
    (target: AuditTarget) =>
    async (octokit: GitHub, log: Log): Promise<JobOutcome> => {
      const outcome = await auditRepository(octokit, target, { log, appSlug, orgSettings });
      return outcome.kind === 'skipped'
        ? skipped(outcome.reason)
        : done(outcome.issue ?? outcome.action, {
            findings: outcome.findings,
            cannotAudit: outcome.cannotAudit,
            requests: outcome.requests,
          });
    };
  const run = backgroundRunner(app, queue);
  const viaWebhook = (context: Context, owner: string, repo: string) =>
    run(context, `audit:${owner}/${repo}`.toLowerCase(), 'audit', job({ owner, repo }));
  /** Outside a webhook (the schedule, paced installation audits): queued, with a fresh client for the installation. */
  const later = (installationId: number, owner: string, repo: string, repository?: RepositoryData) => {
    queue
      .enqueue(`audit:${owner}/${repo}`.toLowerCase(), async () => {
        const log = app.log.child({ job: 'audit', repository: `${owner}/${repo}` });
        const end = metrics.handlerSeconds.startTimer({ job: 'audit' });
        const outcome = await job({ owner, repo, repository })(await app.auth(installationId), log).catch((err: unknown) => {
          end({ outcome: 'error' });
          throw err;
        });
        end({ outcome: outcome.what });
      })
      .catch((err: unknown) => app.log.warn({ err, repository: `${owner}/${repo}` }, 'settings audit not run'));
  };

  /** Due repositories of one installation, REPOSITORIES_PER_QUERY at a time: their settings are read in one GraphQL query. */
  const batch = (installationId: number, targets: ListedRepository[]) => {
    const names = targets.map((t) => `${t.owner}/${t.repo}`);
    queue
      .enqueue(`audit-batch:${installationId}:${names.join(',')}`.toLowerCase(), async () => {
        const log = app.log.child({ job: 'audit', repositories: names });
        const end = metrics.handlerSeconds.startTimer({ job: 'audit' });
        const outcomes = await auditRepositories(await app.auth(installationId), targets, { log, appSlug, orgSettings }).catch(
          (err: unknown) => {
            end({ outcome: 'error' });
            throw err;
          },
        );
        const failed = outcomes.flatMap((o, i) => (o.kind === 'failed' ? [{ repository: names[i], err: o.error }] : []));
        for (const f of failed) log.warn(f, 'settings audit failed');
        end({ outcome: failed.length ? 'error' : outcomes.every((o) => o.kind === 'skipped') ? 'skipped' : 'done' });
      })
      .catch((err: unknown) => app.log.warn({ err, repositories: names }, 'settings audit not run'));
  };
  app.on(AUDIT_EVENTS as unknown as 'repository', async (context) => {
    const payload = context.payload as {
      repository?: RepoPayload & { archived?: boolean };
      organization?: { login: string };
      installation?: { id: number };
    };
    const repository = payload.repository;
    // An organization ruleset names no repository: every repository of the installation, paced.
    if (!repository && (context.name as string) === 'repository_ruleset' && payload.organization && payload.installation) {
      const listed = await repositoriesOf(context.octokit, payload.installation.id, payload.organization.login);
      const delays = startDelays(listed.length, Number(process.env.AUDIT_BURST_PER_HOUR) || undefined, REPOSITORIES_PER_QUERY);
      const installationId = payload.installation.id;
      for (let i = 0; i < listed.length; i += REPOSITORIES_PER_QUERY) {
        const chunk = listed.slice(i, i + REPOSITORIES_PER_QUERY);
        setTimeout(() => batch(installationId, chunk), delays[i]).unref();
      }
      return;
    }
    if (!repository || repository.archived) return;
    await viaWebhook(context, repository.owner.login, repository.name);
  });

  /** Many repositories at once (an organization-wide installation): paced, so the hourly budget is not spent in minutes. */
  const byFullName = async (context: Context, repos: Array<{ full_name: string }>) => {
    const installationId = (context.payload as { installation?: { id: number } }).installation?.id;
    const delays = startDelays(repos.length, Number(process.env.AUDIT_BURST_PER_HOUR) || undefined);
    const now: Array<Promise<void>> = [];
    repos.forEach((r, i) => {
      const [owner, repo] = r.full_name.split('/');
      if (!owner || !repo) return;
      if (!delays[i] || installationId === undefined) now.push(viaWebhook(context, owner, repo));
      else setTimeout(() => later(installationId, owner, repo), delays[i]).unref();
    });
    await Promise.all(now);
  };
  app.on('installation.created', (context) => byFullName(context, context.payload.repositories ?? []));
  app.on('installation_repositories.added', (context) => byFullName(context, context.payload.repositories_added));

  const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 }) : undefined;
  const lock = redis ? redisLock(redis) : memoryLock();
  const list = cachedListing(app);
  const schedule = scheduleFromEnv(app, lock, list, (due) => {
    const byInstallation = new Map<number, ListedRepository[]>();
    for (const t of due)
      if (t.installationId !== undefined) byInstallation.set(t.installationId, [...(byInstallation.get(t.installationId) ?? []), t]);
    for (const [id, targets] of byInstallation)
      for (let i = 0; i < targets.length; i += REPOSITORIES_PER_QUERY) batch(id, targets.slice(i, i + REPOSITORIES_PER_QUERY));
    return Promise.resolve();
  });
  schedule?.start();
  // AUDIT_ENVIRONMENT_WATCH_MINUTES (30; 0 turns it off; off by default under tests).
  const watchMinutes = Number(process.env.AUDIT_ENVIRONMENT_WATCH_MINUTES ?? (process.env.NODE_ENV === 'test' ? 0 : 30));
  if (watchMinutes > 0)
    new EnvironmentWatch<ListedRepository>({
      everyMs: watchMinutes * 60_000,
      list,
      clientFor: (id) => app.auth(id),
      store: redis ? redisFingerprints(redis) : memoryFingerprints(),
      lock,
      audit: (t) => {
        if (t.installationId !== undefined) later(t.installationId, t.owner, t.repo, t.repository);
      },
      log: app.log,
    }).start();
}

/** The installed repositories, listed at most once an hour for the schedule and the environment watch together. */
function cachedListing(app: Probot): () => Promise<ListedRepository[]> {
  let listed: { at: number; value: Promise<ListedRepository[]> } | undefined;
  return () => {
    if (!listed || Date.now() - listed.at >= 3_600_000) {
      const value = listInstalled(app);
      listed = { at: Date.now(), value };
      value.catch(() => (listed = undefined));
    }
    return listed.value;
  };
}

/**
 * When each of `count` newly installed repositories is audited (ms from now): the first `immediate` at
 * once, the rest at `perHour` (600 audits ≈ 1,200 REST requests an hour at 2 each from outside the
 * listing, a quarter of the 5,000 an installation has). A restart loses the pending ones; the daily
 * audit catches them up.
 */
export function startDelays(count: number, perHour = 600, immediate = 20): number[] {
  return Array.from({ length: count }, (_, i) => (i < immediate ? 0 : Math.round(((i - immediate + 1) * 3_600_000) / perHour)));
}

/** AUDIT_PERIOD_HOURS (24; 0 turns the schedule off; off by default under tests). */
function scheduleFromEnv(
  app: Probot,
  lock: Lock,
  list: () => Promise<ListedRepository[]>,
  run: (due: ListedRepository[]) => Promise<void>,
): AuditSchedule<ListedRepository> | undefined {
  const hours = Number(process.env.AUDIT_PERIOD_HOURS ?? (process.env.NODE_ENV === 'test' ? 0 : 24));
  if (!(hours > 0)) return undefined;
  const schedule = new AuditSchedule<ListedRepository>({
    periodMs: hours * 3_600_000,
    tickMs: 60_000,
    // 2,000 repositories a day make about 21 per quarter hour: one batch, rather than one or two a minute.
    windowMs: 15 * 60_000,
    listEveryMs: 3_600_000,
    lock,
    list,
    run,
    log: app.log,
  });
  return schedule;
}

/** A repository as the installation listing gives it (refreshed hourly), which spares the audit a request. */
export interface ListedRepository extends ScheduleTarget {
  repository?: RepositoryData;
}

export async function listInstalled(app: Probot): Promise<ListedRepository[]> {
  return installedRepositories(await app.auth(), (id) => app.auth(id));
}
