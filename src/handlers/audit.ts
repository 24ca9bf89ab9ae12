/**
 * Webhooks that re-audit a repository's settings (installation, repositories added, repository, branch
 * protection, rulesets, collaborators, security settings) and the daily schedule. Each only names the
 * repositories and queues `auditRepository`; GitHub sends no webhook for environment changes, which the
 * schedule catches.
 */
import { Redis } from 'ioredis';
import type { Context, Probot } from 'probot';
import { DEFAULT_APP_SLUG } from '../audit/audit.js';
import { auditRepository } from '../flows/audit-repository.js';
import type { RepositoryData } from '../github/audit-facts.js';
import { installedRepositories } from '../github/installations.js';
import type { GitHub } from '../github/client.js';
import { metrics } from '../ops/metrics.js';
import type { WorkQueue } from '../ops/work-queue.js';
import { AuditSchedule, memoryLock, redisLock, type ScheduleTarget } from './audit-schedule.js';

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
  const audit = (installationId: number | undefined, fallback: GitHub | undefined, owner: string, repo: string, repository?: RepositoryData) => {
    metrics.queueDepth.set(queue.size + 1);
    void queue.enqueue(`audit:${owner}/${repo}`.toLowerCase(), async () => {
      const end = metrics.handlerSeconds.startTimer({ job: 'audit' });
      try {
        const octokit = installationId === undefined ? fallback! : await app.auth(installationId);
        const outcome = await auditRepository(octokit, { owner, repo, repository }, { log: app.log, appSlug });
        end({ outcome: outcome.kind });
      } catch (err) {
        end({ outcome: 'error' });
        throw err;
      } finally {
        metrics.queueDepth.set(queue.size);
      }
    });
  };
  const fromContext = (context: Context, owner: string, repo: string) => audit((context.payload as { installation?: { id: number } }).installation?.id, context.octokit, owner, repo);

  app.on(AUDIT_EVENTS as unknown as 'repository', (context) => {
    const repository = (context.payload as { repository?: RepoPayload & { archived?: boolean } }).repository;
    // An organization-wide ruleset or setting names no repository: the daily audit picks the change up.
    if (!repository || repository.archived) return;
    fromContext(context, repository.owner.login, repository.name);
  });

  /** Many repositories at once (an organization-wide installation): paced, so the hourly budget is not spent in minutes. */
  const byFullName = (context: Context, repos: Array<{ full_name: string }>) => {
    const installationId = (context.payload as { installation?: { id: number } }).installation?.id;
    const delays = startDelays(repos.length, Number(process.env.AUDIT_BURST_PER_HOUR) || undefined);
    repos.forEach((r, i) => {
      const [owner, repo] = r.full_name.split('/');
      if (!owner || !repo) return;
      if (!delays[i] || installationId === undefined) fromContext(context, owner, repo);
      else setTimeout(() => audit(installationId, undefined, owner, repo), delays[i]).unref();
    });
  };
  app.on('installation.created', (context) => {
    byFullName(context, context.payload.repositories ?? []);
  });
  app.on('installation_repositories.added', (context) => {
    byFullName(context, context.payload.repositories_added);
  });

  const schedule = scheduleFromEnv(app, (t) => {
    audit(t.installationId, undefined, t.owner, t.repo, t.repository);
    return Promise.resolve();
  });
  schedule?.start();
}

/**
 * When each of `count` newly installed repositories is audited (ms from now): the first `immediate` at
 * once, the rest at `perHour` (300 audits ≈ 1,800 requests an hour, a third of the 5,000 an installation
 * has). A restart loses the pending ones; the daily audit catches them up.
 */
export function startDelays(count: number, perHour = 300, immediate = 20): number[] {
  return Array.from({ length: count }, (_, i) => (i < immediate ? 0 : Math.round(((i - immediate + 1) * 3_600_000) / perHour)));
}

/** AUDIT_PERIOD_HOURS (24; 0 turns the schedule off; off by default under tests). */
function scheduleFromEnv(app: Probot, run: (t: ListedRepository) => Promise<void>): AuditSchedule<ListedRepository> | undefined {
  const hours = Number(process.env.AUDIT_PERIOD_HOURS ?? (process.env.NODE_ENV === 'test' ? 0 : 24));
  if (!(hours > 0)) return undefined;
  const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 }) : undefined;
  const schedule = new AuditSchedule<ListedRepository>({
    periodMs: hours * 3_600_000,
    tickMs: 60_000,
    listEveryMs: 3_600_000,
    lock: redis ? redisLock(redis) : memoryLock(),
    list: () => listInstalled(app),
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
