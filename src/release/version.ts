/** Release versions: `1.4.0`, `v0.7.0+20230926`, `v0.7.0-rc.1+release-foo-20230926`. Build metadata is ignored when comparing. */
import semver from 'semver';

export interface Version {
  /** The tag as written. */
  raw: string;
  /** Normalised X.Y.Z[-pre] without `v` and without build metadata. */
  version: string;
  prerelease: boolean;
  build?: string;
}

const TAG = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z][0-9A-Za-z.-]*)?)(?:\+([0-9A-Za-z][0-9A-Za-z.-]*))?$/;

export function parseVersion(tag: string): Version | undefined {
  const m = TAG.exec(tag.trim());
  if (!m || !semver.valid(m[1]!)) return undefined;
  const version = semver.valid(m[1]!)!;
  return { raw: tag.trim(), version, prerelease: semver.prerelease(version) !== null, build: m[2] };
}

export const compareVersions = (a: Version, b: Version): number => semver.compare(a.version, b.version);

/** Distinct release versions (no pre-releases) among tags, newest first; stray tags are skipped. */
export function releasesOf(tags: readonly string[]): Version[] {
  const byVersion = new Map<string, Version>();
  for (const tag of tags) {
    const v = parseVersion(tag);
    if (!v || v.prerelease) continue;
    const seen = byVersion.get(v.version);
    // Two build dates of one X.Y.Z: keep the later build as the representative tag.
    if (!seen || (v.build ?? '') > (seen.build ?? '')) byVersion.set(v.version, v);
  }
  return [...byVersion.values()].sort((a, b) => -compareVersions(a, b));
}

/** The version an image tag carries (`v0.7.0`, `0.7.0`), for comparison with a git tag. */
export const sameVersion = (a: string, b: string): boolean => {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  return !!va && !!vb && va.version === vb.version;
};

export type Bump = 'major' | 'minor' | 'patch';

/** The next version after `latest` (or 0.1.0 for a first release), or an explicit X.Y.Z. */
export function nextVersion(latest: Version | undefined, request: string): string | undefined {
  if (request === 'major' || request === 'minor' || request === 'patch') {
    return latest ? semver.inc(latest.version, request) ?? undefined : request === 'major' ? '1.0.0' : request === 'minor' ? '0.1.0' : '0.0.1';
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
  if (!version) return `\`${tag}\` is not a version tag (${pattern === 'semver' ? 'X.Y.Z, optionally with a leading v and +build metadata' : `pattern \`${pattern}\``})`;
  const others = existingTags.filter((t) => t !== tag).map((t) => versionFromTag(t, pattern)).filter((v): v is Version => !!v);
  const newest = others.sort((a, b) => -compareVersions(a, b))[0];
  if (newest && compareVersions(version, newest) <= 0) return `\`${tag}\` (${version.version}) does not increase on the newest release \`${newest.raw}\` (${newest.version})`;
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
export function newestRelease<T extends { name: string }>(tags: readonly T[], pattern: string, below?: Version): { tag: T; version: Version } | undefined {
  return tags
    .map((tag) => ({ tag, version: versionFromTag(tag.name, pattern) }))
    .filter((x): x is { tag: T; version: Version } => !!x.version && !x.version.prerelease && (!below || compareVersions(x.version, below) < 0))
    .sort((a, b) => -compareVersions(a.version, b.version))[0];
}
