import { corePinned } from '../../../src/policy/rules/core-pinned.js';
import { fakeFacts, testRule } from '../../helpers/rule-tester.js';

const CORE = 'Sciance-Inc/core.dashboards_store';
const IMAGE = 'ghcr.io/sciance-inc/core.dashboards_store';
const store = (revision: string | undefined, from?: string, url = 'git@github.com:Sciance-Inc/core.dashboards_store.git') => ({
  'packages.yml': `packages:\n  - git: "${url}"\n${revision === undefined ? '' : `    revision: ${revision}\n`}`,
  ...(from ? { Dockerfile: `FROM ${from}\nCOPY . /app\n` } : {}),
});
const TAGS = [
  'v0.5.0+20230301',
  'v0.6.0+20230601',
  'v0.6.1+20230701',
  'v0.7.0+20230926',
  'v0.7.0+20231002',
  'v0.8.0-rc.1+release-foo-20231101',
  'stray-tag',
  'v0.8.0+20231115',
  'v0.9.0+20231201',
];

testRule(corePinned, {
  valid: [
    { name: 'release tag and matching image (offline)', files: store('v0.7.0+20230926', `${IMAGE}:v0.7.0`) },
    { name: 'image tag without the v matches too', files: store('v0.7.0+20230926', `${IMAGE}:0.7.0`) },
    {
      name: 'https, token-in-URL and no .git forms, any case',
      files: store('v0.7.0+20230926', undefined, "https://{{ env_var('GIT_TOKEN') }}@github.com/sciance-inc/CORE.dashboards_store"),
    },
    { name: 'within allow-behind (2 behind the newest)', files: store('v0.7.0+20230926'), facts: fakeFacts({}, { [CORE]: TAGS }) },
    {
      name: 'other packages are not the core',
      files: { 'packages.yml': 'packages:\n  - git: https://github.com/acme/other.git\n    revision: main\n' },
    },
    {
      name: 'a configured core repository',
      files: store('v1.0.0', undefined, 'https://github.com/acme/core.git'),
      config: { core: { repository: 'acme/core' } },
    },
    { name: 'other images are not the core', files: store('v0.7.0+20230926', 'python:3.11') },
  ],
  invalid: [
    { name: 'core on a branch', files: store('develop'), errors: [{ line: 3, code: 'unpinned', message: /branch `develop`/ }] },
    { name: 'core without a revision', files: store(undefined), errors: [{ line: 2, code: 'unpinned' }] },
    { name: 'core pinned to a commit, not a release', files: store('a'.repeat(40)), errors: [{ line: 3, code: 'not-a-release' }] },
    {
      name: 'pre-release is a warning',
      files: store('v0.8.0-rc.1+release-foo-20231101'),
      errors: [{ line: 3, code: 'prerelease', severity: 'warning' }],
    },
    {
      name: 'tag that does not exist in the core',
      files: store('v0.7.5'),
      facts: fakeFacts({}, { [CORE]: TAGS }),
      errors: [{ line: 3, code: 'missing-tag' }],
    },
    {
      name: 'lagging more than allow-behind names the newest',
      files: store('v0.6.0+20230601'),
      facts: fakeFacts({}, { [CORE]: TAGS }),
      errors: [{ line: 3, code: 'behind', severity: 'warning', message: /4 releases behind.*newest v0\.9\.0\+20231201/ }],
    },
    {
      name: 'allow-behind 0',
      files: store('v0.8.0+20231115'),
      config: { core: { 'allow-behind': 0 } },
      facts: fakeFacts({}, { [CORE]: TAGS }),
      errors: [{ line: 3, code: 'behind' }],
    },
    {
      name: 'Dockerfile on develop while packages.yml pins a release',
      files: store('v0.7.0+20230926', `${IMAGE}:develop`),
      errors: [{ path: 'Dockerfile', line: 1, code: 'image-not-release', message: /develop.*\n?/ }],
    },
    {
      name: 'Dockerfile on latest / no tag',
      files: { ...store('v0.7.0+20230926'), 'docker/Dockerfile': `FROM ${IMAGE}\nFROM ${IMAGE}:latest\n` },
      errors: [
        { line: 1, code: 'image-not-release' },
        { line: 2, code: 'image-not-release' },
      ],
    },
    {
      name: 'Dockerfile on another release than packages.yml',
      files: store('v0.7.0+20230926', `${IMAGE}:v0.6.1`),
      errors: [{ path: 'Dockerfile', line: 1, code: 'image-mismatch', message: /v0\.6\.1.*v0\.7\.0\+20230926/ }],
    },
  ],
});
