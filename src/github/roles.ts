/** Who may do what: `release.service-owners` / `platform-maintainers` (logins or @org/team), else repository admins and maintainers. */
import type { Role } from '../release/machine.js';
import type { GitHub } from './client.js';
import { answered } from './errors.js';
import { repoOf, type RepoRef } from './issues.js';

export async function rolesOf(octokit: GitHub, r: RepoRef, login: string, lists: Record<Role, string[]>): Promise<Set<Role>> {
  const roles = new Set<Role>();
  let adminOrMaintainer: boolean | undefined;
  for (const role of Object.keys(lists) as Role[]) {
    const list = lists[role];
    if (list.length === 0) {
      adminOrMaintainer ??= await isAdminOrMaintainer(octokit, r, login);
      if (adminOrMaintainer) roles.add(role);
      continue;
    }
    for (const entry of list) {
      if (await matches(octokit, entry, login)) {
        roles.add(role);
        break;
      }
    }
  }
  return roles;
}

async function matches(octokit: GitHub, entry: string, login: string): Promise<boolean> {
  const team = /^@([^/]+)\/(.+)$/.exec(entry.trim());
  if (!team) return entry.replace(/^@/, '').toLowerCase() === login.toLowerCase();
  try {
    const { data } = await octokit.request('GET /orgs/{org}/teams/{team_slug}/memberships/{username}', {
      org: team[1]!,
      team_slug: team[2]!,
      username: login,
    });
    return data.state === 'active';
  } catch (err) {
    if (answered(err, 404)) return false;
    throw err;
  }
}

async function isAdminOrMaintainer(octokit: GitHub, r: RepoRef, login: string): Promise<boolean> {
  try {
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', {
      ...repoOf(r),
      username: login,
    });
    return data.role_name === 'admin' || data.role_name === 'maintain' || data.permission === 'admin';
  } catch (err) {
    if (answered(err, 404)) return false;
    throw err;
  }
}

/** Logins of a team's members (`@org/team`), for assignees. */
export async function teamMembers(octokit: GitHub, org: string, slug: string): Promise<string[]> {
  const members = await octokit.paginate('GET /orgs/{org}/teams/{team_slug}/members', { org, team_slug: slug, per_page: 100 });
  return members.map((m) => m.login);
}

/** The repository's admins and maintainers: who holds the release roles when none are configured. */
export async function adminsAndMaintainers(octokit: GitHub, r: RepoRef): Promise<string[]> {
  const collaborators = await octokit.paginate('GET /repos/{owner}/{repo}/collaborators', { ...repoOf(r), per_page: 100 });
  return collaborators
    .filter((c) => c.role_name === 'admin' || c.role_name === 'maintain' || c.permissions?.admin || c.permissions?.maintain)
    .map((c) => c.login);
}

/** Whether an issue of the repository can be assigned to `login` (GitHub answers 204, or 404 when not). */
export async function canBeAssigned(octokit: GitHub, r: RepoRef, login: string): Promise<boolean> {
  try {
    await octokit.request('GET /repos/{owner}/{repo}/assignees/{assignee}', { ...repoOf(r), assignee: login });
    return true;
  } catch (err) {
    if (answered(err, 404)) return false;
    throw err;
  }
}
