import { parseVersion, releasesOf, sameVersion } from '../../src/release/version.js';

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
