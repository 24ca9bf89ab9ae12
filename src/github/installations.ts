/** The app's installations and the repositories each can see, for the daily settings audit. */
import type { RepositoryData } from './audit-rest.js';
import type { GitHub } from './client.js';

export interface InstalledRepository {
  installationId: number;
  owner: string;
  repo: string;
  /** The repository as the listing gives it (with its security settings when the app may see them). */
  repository: RepositoryData;
}

/**
 * Every non-archived repository of every installation: one request per 100 installations, one per 100
 * repositories, and on an organization one more per 100 from GET /orgs/{org}/repos, the listing that
 * carries each repository's security settings (the installation's listing does not), so the audit need
 * not read each repository again.
 */
export async function installedRepositories(
  appOctokit: GitHub,
  clientFor: (installationId: number) => Promise<GitHub>,
): Promise<InstalledRepository[]> {
  const installations = await appOctokit.paginate('GET /app/installations', { per_page: 100 });
  const out: InstalledRepository[] = [];
  for (const installation of installations) {
    const account = installation.account && 'login' in installation.account ? installation.account.login : undefined;
    const org = installation.target_type === 'Organization' ? account : undefined;
    out.push(...(await repositoriesOf(await clientFor(installation.id), installation.id, org)));
  }
  return out;
}

/** One installation's non-archived repositories (with their security settings from the organization's listing when `org` is given). */
export async function repositoriesOf(octokit: GitHub, installationId: number, org?: string): Promise<InstalledRepository[]> {
  const repos = await octokit.paginate('GET /installation/repositories', { per_page: 100 });
  const withSecurity = new Map<number, RepositoryData>();
  if (org) {
    try {
      for (const r of await octokit.paginate('GET /orgs/{org}/repos', { org, per_page: 100 }))
        if (r.security_and_analysis !== undefined) withSecurity.set(r.id, r);
    } catch (err) {
      // Without it each audit reads its repository; the listing itself must not fail for that.
      if ((err as { status?: number }).status !== 403) throw err;
    }
  }
  return repos
    .filter((r) => !r.archived)
    .map((r) => ({ installationId, owner: r.owner.login, repo: r.name, repository: withSecurity.get(r.id) ?? r }));
}
