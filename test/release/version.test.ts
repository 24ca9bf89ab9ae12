import { parseVersion, releasesOf, sameVersion } from '../../src/core/version.js';

it('parses release tags with v prefix, build metadata and pre-releases', () => {
  expect(parseVersion('v0.7.0+20230926')).toEqual({ raw: 'v0.7.0+20230926', version: '0.7.0', prerelease: false, build: '20230926' });
  expect(parseVersion('1.4.0')).toMatchObject({ version: '1.4.0', prerelease: false });
  expect(parseVersion('v0.7.0-rc.1+release-foo-20230926')).toMatchObject({ version: '0.7.0-rc.1', prerelease: true });
  for (const bad of ['main', 'v1.2', '1.2.3.4', 'v01.2.3', 'release-1.0.0', '']) expect(parseVersion(bad)).toBeUndefined();
});

it('orders releases newest first, one per X.Y.Z, skipping pre-releases and stray tags', () => {
  const tags = ['v0.7.0+20230926', 'v0.7.0+20231002', 'v0.10.0+20240101', 'v0.9.0', 'v1.0.0-rc.1', 'nightly', 'v0.8.0+20231115'];
  expect(releasesOf(tags).map((v) => v.raw)).toEqual(['v0.10.0+20240101', 'v0.9.0', 'v0.8.0+20231115', 'v0.7.0+20231002']);
});

it('compares an image tag with a git tag ignoring v and build metadata', () => {
  expect(sameVersion('v0.7.0+20230926', '0.7.0')).toBe(true);
  expect(sameVersion('v0.7.0+20230926', 'v0.7.1')).toBe(false);
  expect(sameVersion('develop', 'v0.7.0')).toBe(false);
});

import { newestRelease, nextVersion, refuseTag, tagFor, versionFromTag } from '../../src/release/version.js';

it('computes the next version from a bump or takes an explicit one', () => {
  expect(nextVersion(parseVersion('v1.3.2'), 'minor')).toBe('1.4.0');
  expect(nextVersion(parseVersion('v1.3.2'), 'patch')).toBe('1.3.3');
  expect(nextVersion(parseVersion('v1.3.2'), 'major')).toBe('2.0.0');
  expect(nextVersion(undefined, 'minor')).toBe('0.1.0');
  expect(nextVersion(undefined, '2.1.0')).toBe('2.1.0');
  expect(nextVersion(undefined, 'later')).toBeUndefined();
});

it('reads versions through release.tag-pattern', () => {
  expect(versionFromTag('release-1.2.3', 'release-{version}')?.version).toBe('1.2.3');
  expect(versionFromTag('1.2.3', 'release-{version}')).toBeUndefined();
  expect(versionFromTag('v1.2.3+20240101', 'semver')?.version).toBe('1.2.3');
});

it('refuses tags that do not parse or do not increase, with the reason', () => {
  expect(refuseTag('1.4.0', 'semver', ['1.3.0', 'v1.2.0', 'nightly'])).toBeUndefined();
  expect(refuseTag('latest', 'semver', [])).toMatch(/not a version tag/);
  expect(refuseTag('1.2.9', 'semver', ['1.3.0'])).toMatch(/does not increase on the newest release `1\.3\.0`/);
  expect(refuseTag('v1.3.0+20240102', 'semver', ['v1.3.0+20240101'])).toMatch(/does not increase/);
  expect(refuseTag('1.4.0', 'semver', ['1.4.0'])).toBeUndefined(); // itself, on redelivery
});

it('names new tags in the style of the existing ones', () => {
  expect(tagFor('1.4.0', ['v1.3.0', 'v1.2.0'], 'semver')).toBe('v1.4.0');
  expect(tagFor('1.4.0', ['1.3.0'], 'semver')).toBe('1.4.0');
  expect(tagFor('1.4.0', [], 'rel-{version}')).toBe('rel-1.4.0');
});

it('finds the newest final release, or the previous one below a version', () => {
  const tags = ['v1.2.0', 'v1.3.0', 'v1.4.0-rc.1', 'nightly', 'v1.10.0'].map((name) => ({ name }));
  expect(newestRelease(tags, 'semver')?.tag.name).toBe('v1.10.0');
  expect(newestRelease(tags, 'semver', parseVersion('1.4.0'))?.tag.name).toBe('v1.3.0');
  expect(newestRelease(tags, 'semver', parseVersion('1.2.0'))).toBeUndefined();
});
