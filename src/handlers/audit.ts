/**
 * Webhooks that re-audit a repository's settings (installation, repositories added, repository, branch
 * protection, rulesets, collaborators, security settings). Each only names the repositories and queues
 * `auditRepository`; a large installation's repositories are paced on the server's timers. The jobs are
 * returned for the daily schedule and the environment watch (GitHub sends no webhook for environment
 * changes), which the app starts on the same timers.
 */
import type { Context, Probot } from 'probot';
import { auditRepositories, auditRepository, type AuditTarget } from '../flows/audit-repository.js';
import { byInstallation, type ScheduleTarget } from '../flows/audit-schedule.js';
import { done, skipped, type JobOutcome, type Log } from '../flows/outcome.js';
import { OrgSettingsCache, type RepositoryData } from '../github/audit-rest.js';
import { REPOSITORIES_PER_QUERY } from '../github/audit-graphql.js';
import { installedRepositories, repositoriesOf } from '../github/installations.js';
import type { GitHub } from '../github/client.js';
import { metrics } from '../ops/metrics.js';
import type { Timers } from '../ops/timers.js';
import type { WorkQueue } from '../ops/work-queue.js';
import { backgroundRunner } from './background.js';

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

export interface AuditWiring {
  /** The app whose protection rule counts as gating production. */
  appSlug: string;
  /** Audits an hour after an installation on many repositories at once. */
  burstPerHour: number;
  timers: Timers;
}

/** What the schedule and the environment watch run: queued audits, and the installed repositories. */
export interface AuditJobs {
  /** Audit these repositories of their installations (due together): REPOSITORIES_PER_QUERY a job. */
  auditDue: (targets: ListedRepository[]) => void;
  /** Audit one repository (outside a webhook). */
  auditOne: (target: ListedRepository) => void;
  /** The installed repositories, listed at most once an hour for the schedule and the watch together. */
  list: () => Promise<ListedRepository[]>;
}

export function registerAuditHandlers(app: Probot, queue: WorkQueue, { appSlug, burstPerHour, timers }: AuditWiring): AuditJobs {
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
      const delays = startDelays(listed.length, burstPerHour, REPOSITORIES_PER_QUERY);
      const installationId = payload.installation.id;
      for (let i = 0; i < listed.length; i += REPOSITORIES_PER_QUERY) {
        const chunk = listed.slice(i, i + REPOSITORIES_PER_QUERY);
        timers.after('paced-audit', delays[i]!, () => batch(installationId, chunk));
      }
      return;
    }
    if (!repository || repository.archived) return;
    await viaWebhook(context, repository.owner.login, repository.name);
  });

  /** Many repositories at once (an organization-wide installation): paced, so the hourly budget is not spent in minutes. */
  const byFullName = async (context: Context, repos: Array<{ full_name: string }>) => {
    const installationId = (context.payload as { installation?: { id: number } }).installation?.id;
    const delays = startDelays(repos.length, burstPerHour);
    const now: Array<Promise<void>> = [];
    repos.forEach((r, i) => {
      const [owner, repo] = r.full_name.split('/');
      if (!owner || !repo) return;
      if (!delays[i] || installationId === undefined) now.push(viaWebhook(context, owner, repo));
      else timers.after('paced-audit', delays[i], () => later(installationId, owner, repo));
    });
    await Promise.all(now);
  };
  app.on('installation.created', (context) => byFullName(context, context.payload.repositories ?? []));
  app.on('installation_repositories.added', (context) => byFullName(context, context.payload.repositories_added));

  return {
    auditDue: (due) => {
      for (const [id, targets] of byInstallation(due))
        for (let i = 0; i < targets.length; i += REPOSITORIES_PER_QUERY) batch(id, targets.slice(i, i + REPOSITORIES_PER_QUERY));
    },
    auditOne: (t) => {
      if (t.installationId !== undefined) later(t.installationId, t.owner, t.repo, t.repository);
    },
    list: cachedListing(app),
  };
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

/** A repository as the installation listing gives it (refreshed hourly), which spares the audit a request. */
export interface ListedRepository extends ScheduleTarget {
  repository?: RepositoryData;
}

export async function listInstalled(app: Probot): Promise<ListedRepository[]> {
  return installedRepositories(await app.auth(), (id) => app.auth(id));
}
