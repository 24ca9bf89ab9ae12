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
  if (!m || !semver.valid(m[1])) return undefined;
  const version = semver.valid(m[1])!;
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
