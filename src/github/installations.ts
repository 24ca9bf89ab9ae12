/** The app's installations and the repositories each can see, for the daily settings audit. */
import type { RepositoryData } from './audit-facts.js';
import type { GitHub } from './client.js';

export interface InstalledRepository {
  installationId: number;
  owner: string;
  repo: string;
  /** The repository as the listing gives it (with its security settings when the app may see them). */
  repository: RepositoryData;
}

/** Every non-archived repository of every installation: one request per 100 installations, one per 100 repositories. */
export async function installedRepositories(
  appOctokit: GitHub,
  clientFor: (installationId: number) => Promise<GitHub>,
): Promise<InstalledRepository[]> {
  const installations = await appOctokit.paginate('GET /app/installations', { per_page: 100 });
  const out: InstalledRepository[] = [];
  for (const installation of installations) {
    const octokit = await clientFor(installation.id);
    const repos = await octokit.paginate('GET /installation/repositories', { per_page: 100 });
    for (const r of repos)
      if (!r.archived) out.push({ installationId: installation.id, owner: r.owner.login, repo: r.name, repository: r });
  }
  return out;
}
