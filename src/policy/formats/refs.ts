/** Offline judgement of git revisions and image tags, shared by the pinning rules and the CLI. */

export const FULL_SHA = /^[0-9a-f]{40}$/i;
/** A tag-like version: `v1.2.3`, `1.2`, `0.7.0+20230926`, `v4.0.0-beta.76`. */
export const VERSION_LIKE = /^v?\d+(\.\d+){0,2}(-[0-9A-Za-z][0-9A-Za-z.-]*)?(\+[0-9A-Za-z][0-9A-Za-z.-]*)?$/;
export const HAS_JINJA = /\{\{|\{%/;

export type OfflineRefKind = 'commit' | 'short-sha' | 'version-tag' | 'branch';

/** What a revision looks like without asking GitHub. */
export function classifyRevision(rev: string): OfflineRefKind {
  if (FULL_SHA.test(rev)) return 'commit';
  if (VERSION_LIKE.test(rev)) return 'version-tag';
  if (/^[0-9a-f]{7,39}$/i.test(rev)) return 'short-sha';
  return 'branch';
}

export interface GitHubRepoRef {
  owner: string;
  repo: string;
}

/**
 * The GitHub repository a git URL points at, in any of the forms found in packages.yml:
 * `https://github.com/o/r(.git)`, `git@github.com:o/r.git`, `ssh://git@github.com/o/r`,
 * token-in-URL (`https://{{ env_var('T') }}@github.com/o/r.git`, `https://x:tok@github.com/o/r`).
 * Undefined for other hosts.
 */
export function githubRepoOf(url: string, host = 'github.com'): GitHubRepoRef | undefined {
  const h = host.toLowerCase().replace(/[.]/g, '\\.');
  const re = new RegExp(`(?:^|[@/])${h}[:/]+([A-Za-z0-9-]+)/([A-Za-z0-9_.-]+?)(?:\\.git)?/?(?:[#?@].*)?$`, 'i');
  const m = re.exec(url.trim());
  if (!m || !m[1] || !m[2]) return undefined;
  return { owner: m[1], repo: m[2] };
}

export const sameRepo = (a: GitHubRepoRef, fullName: string): boolean => `${a.owner}/${a.repo}`.toLowerCase() === fullName.toLowerCase();
