/** Release tags: what the next version is, whether a new tag may be a release, how tags are spelled. */
import semver from 'semver';
import { compareVersions, parseVersion, type Version } from '../core/version.js';

export type Bump = 'major' | 'minor' | 'patch';

/** The next version after `latest` (or 0.1.0 for a first release), or an explicit X.Y.Z. */
export function nextVersion(latest: Version | undefined, request: string): string | undefined {
  if (request === 'major' || request === 'minor' || request === 'patch') {
    return latest
      ? (semver.inc(latest.version, request) ?? undefined)
      : request === 'major'
        ? '1.0.0'
        : request === 'minor'
          ? '0.1.0'
          : '0.0.1';
  }
  return parseVersion(request)?.version;
}

/**
 * `release.tag-pattern`: `semver` (X.Y.Z, optional leading v, optional +build) or a pattern with a
 * `{version}` placeholder such as `release-{version}`. Returns the version the tag carries, if it fits.
 */
export function versionFromTag(tag: string, pattern: string): Version | undefined {
  if (pattern === 'semver') return parseVersion(tag);
  const [prefix, suffix] = pattern.split('{version}') as [string, string | undefined];
  if (suffix === undefined || !tag.startsWith(prefix) || !tag.endsWith(suffix)) return undefined;
  const inner = parseVersion(tag.slice(prefix.length, tag.length - suffix.length));
  return inner ? { ...inner, raw: tag } : undefined;
}

/** Why a new tag cannot be a release, or undefined when it can: it must parse and increase. */
export function refuseTag(tag: string, pattern: string, existingTags: readonly string[]): string | undefined {
  const version = versionFromTag(tag, pattern);
  if (!version)
    return `\`${tag}\` is not a version tag (${pattern === 'semver' ? 'X.Y.Z, optionally with a leading v and +build metadata' : `pattern \`${pattern}\``})`;
  const others = existingTags
    .filter((t) => t !== tag)
    .map((t) => versionFromTag(t, pattern))
    .filter((v): v is Version => !!v);
  const newest = others.sort((a, b) => -compareVersions(a, b))[0];
  if (newest && compareVersions(version, newest) <= 0)
    return `\`${tag}\` (${version.version}) does not increase on the newest release \`${newest.raw}\` (${newest.version})`;
  return undefined;
}

/** Tag name for a version, following the style of the repository's existing release tags (leading v or not). */
export function tagFor(version: string, existingTags: readonly string[], pattern: string): string {
  if (pattern !== 'semver') return pattern.replace('{version}', version);
  const styled = existingTags.map((t) => parseVersion(t)).filter((v): v is Version => !!v);
  return styled.length && styled.every((v) => v.raw.startsWith('v')) ? `v${version}` : version;
}

/**
 * The newest final release among `tags` (per `pattern`), optionally only those below `below`: the
 * previous release of a version, or the latest one.
 */
export function newestRelease<T extends { name: string }>(
  tags: readonly T[],
  pattern: string,
  below?: Version,
): { tag: T; version: Version } | undefined {
  return tags
    .map((tag) => ({ tag, version: versionFromTag(tag.name, pattern) }))
    .filter(
      (x): x is { tag: T; version: Version } => !!x.version && !x.version.prerelease && (!below || compareVersions(x.version, below) < 0),
    )
    .sort((a, b) => -compareVersions(a.version, b.version))[0];
}
