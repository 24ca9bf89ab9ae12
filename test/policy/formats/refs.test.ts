/**
 * Offline judgement of git revisions and of the GitHub repository a git URL names, on the revisions and
 * URLs real files hold: the labelled corpus (file and line given beside each) and the realrepos fixtures.
 */
import { classifyRevision, FULL_SHA, githubRepoOf, HAS_JINJA, sameRepo, type OfflineRefKind } from '../../../src/policy/formats/refs.js';

describe('classifyRevision', () => {
  it.each<[string, OfflineRefKind, string]>([
    ['main', 'branch', 'dbt/001 line 7'],
    ['master', 'branch', 'dbt/011 line 3'],
    ['feature/0-18-adapter-dispatch', 'branch', 'dbt/024 line 5'],
    ['updates_for_dbt_1_1', 'branch', 'dbt/027 line 4'],
    ['test/update-shopify-versions', 'branch', 'dbt/031 line 9'],
    // URL-decoded from `@paw%2Fmetadata-freshness` by the requirements format.
    ['paw/metadata-freshness', 'branch', 'python/005 line 3'],
    ['stable', 'branch', 'actions/020 line 59 (psf/black@stable)'],
    ['0.1.6', 'version-tag', 'dbt/011 line 5'],
    ['0.6.2', 'version-tag', 'dbt/017 line 5'],
    ['0.8.19', 'version-tag', 'dbt/032 line 3'],
    ['v0.1.0', 'version-tag', 'dbt/038 line 3'],
    ['v1.13.0', 'version-tag', 'dbt/026 line 9'],
    ['v2', 'version-tag', 'actions/008 line 32 (google-github-actions/auth@v2)'],
    ['v5.3.4', 'version-tag', 'actions/005 line 36'],
    // Build metadata, as the core's releases are tagged.
    ['v0.19.3+20260108', 'version-tag', 'realrepos 1b packages.yml line 4'],
    ['v0.15.1+20240508', 'version-tag', 'realrepos 2-core-cookiecutter-template packages.yml line 5'],
    // The corpus README's example of a pre-release tag.
    ['v4.0.0-beta.76', 'version-tag', 'corpus README'],
    ['eb7f5cff36678625d23db8a8fe78b4a93e5d2c75', 'commit', 'python/014 line 1'],
    ['4e28d6da126e2940d17f697de783a717f2503188', 'commit', 'dbt docs, packages.md (a 40-character hash)'],
    ['EB7F5CFF36678625D23DB8A8FE78B4A93E5D2C75', 'commit', 'python/014 line 1, upper-cased'],
    // The first seven characters of dbt-labs/jaffle-shop's commit in SOURCES.tsv.
    ['0bbd774', 'short-sha', 'SOURCES.tsv, dbt/001'],
    // Jinja is not resolved here: callers test HAS_JINJA first.
    ["{{env_var('DATA_TEST_BRANCH')}}", 'branch', 'dbt/027 line 7'],
    // A digit-only short SHA cannot be told from a version: it reads as one.
    ['2022', 'version-tag', 'python/018 line 5 (blendmodes==2022)'],
    // Four numbers are not a tag-like version.
    ['0.10.3.1', 'branch', 'a four-part version'],
  ])('%s is a %s (%s)', (revision, kind) => {
    expect(classifyRevision(revision)).toBe(kind);
  });

  it('a 40-hex SHA is FULL_SHA; 41 characters or a short one are not', () => {
    expect(FULL_SHA.test('28fe037d212663c6a24f373b94cc5d478c8c1a1d')).toBe(true);
    expect(FULL_SHA.test('28fe037d212663c6a24f373b94cc5d478c8c1a1d0')).toBe(false);
    expect(FULL_SHA.test('28fe037')).toBe(false);
  });
});

describe('HAS_JINJA', () => {
  it.each([
    ["{{env_var('DATA_TEST_BRANCH')}}", true],
    ["{{ env_var('DBT_CORE_VERSION') }}", true],
    ['{% if builtins is defined %}0.14.0{% else %}0.13.1{% endif %}', true],
    ['v0.19.3+20260108', false],
    // A GitHub Actions expression starts the same way, and counts too.
    ['${{ secrets.GITHUB_TOKEN }}', true],
  ])('%s: %s', (value, jinja) => {
    expect(HAS_JINJA.test(value)).toBe(jinja);
  });
});

describe('githubRepoOf', () => {
  it.each([
    ['https://github.com/dbt-labs/dbt-audit-helper.git', 'dbt-labs', 'dbt-audit-helper', 'dbt/001 line 6'],
    ['https://github.com/dbt-msft/tsql-utils', 'dbt-msft', 'tsql-utils', 'dbt/014 line 4, no .git'],
    ['git@github.com:fishtown-analytics/dbt-utils.git', 'fishtown-analytics', 'dbt-utils', 'dbt/024 line 4'],
    ['git@github.com:Sciance-Inc/core.dashboards_store.git', 'Sciance-Inc', 'core.dashboards_store', 'realrepos 1b packages.yml'],
    ["https://{{env_var('GITHUB_DBT_PAT')}}@github.com/211-Connect/ndp_dbt_core.git", '211-Connect', 'ndp_dbt_core', 'dbt/006 line 11'],
    [
      "https://{{ env_var('DBT_ENV_SECRET_GIT_ACCESS_TOKEN') }}@github.com/agencypmg/agencypmg-dbt-utils.git",
      'agencypmg',
      'agencypmg-dbt-utils',
      'dbt/032 line 2',
    ],
    [
      "https://GITHUB_USERNAME:{{env_var('DBT_ENV_SECRET_GIT_CREDENTIAL')}}@github.com/dbt-labs/awesome_repo.git",
      'dbt-labs',
      'awesome_repo',
      'dbt docs, packages.md',
    ],
    [
      'git+https://github.com/EleutherAI/DeeperSpeed.git@eb7f5cff36678625d23db8a8fe78b4a93e5d2c75#egg=deepspeed',
      'EleutherAI',
      'DeeperSpeed',
      'python/014 line 1',
    ],
    [
      'git+https://github.com/dbt-labs/dbt-core.git@paw%2Fmetadata-freshness#egg=dbt-core&subdirectory=core',
      'dbt-labs',
      'dbt-core',
      'python/005 line 3',
    ],
    ['ssh://git@github.com/Sciance-Inc/core.dashboards_store', 'Sciance-Inc', 'core.dashboards_store', 'an ssh:// URL'],
    ['  git@GitHub.com:Aidbox/dbt.git  ', 'Aidbox', 'dbt', 'dbt/007 line 2, host in capitals and spaces around'],
  ])('%s is %s/%s (%s)', (url, owner, repo) => {
    expect(githubRepoOf(url)).toEqual({ owner, repo });
  });

  it.each([
    ['https://gitlab.com/gitlab-data/snowplow.git', 'dbt/011 line 2'],
    ['git@gitlab.com:gitlab-data/snowflake_spend.git', 'dbt/027 line 3'],
    ['https://notgithub.com/dbt-labs/dbt-utils.git', 'a host that only ends like github.com'],
    ['https://github.com.evil.example/dbt-labs/dbt-utils.git', 'a host that only starts like it'],
    // A browser link into the repository is not a git URL.
    ['https://github.com/dbt-labs/dbt-utils/tree/main', 'a tree/ link'],
    ['https://codeload.github.com/dbt-labs/dbt-utils/tar.gz/0.9.6', 'dbt docs, the tarball example'],
  ])('%s names no GitHub repository (%s)', (url) => {
    expect(githubRepoOf(url)).toBeUndefined();
  });

  it.each([
    ['https://gitlab.com/gitlab-data/snowplow.git', 'gitlab-data', 'snowplow', 'dbt/011 line 2'],
    ['git@gitlab.com:gitlab-data/snowflake_spend.git', 'gitlab-data', 'snowflake_spend', 'dbt/027 line 3'],
    // The ref glued to the URL is not part of the repository's name.
    ['https://gitlab.com/meltano/dbt-tap-gitlab.git@config-version-2', 'meltano', 'dbt-tap-gitlab', 'dbt/019 line 2'],
  ])('with host gitlab.com, %s is %s/%s (%s)', (url, owner, repo) => {
    expect(githubRepoOf(url, 'gitlab.com')).toEqual({ owner, repo });
    expect(githubRepoOf(url)).toBeUndefined();
  });
});

describe('sameRepo', () => {
  it('compares owner/name without regard to case', () => {
    expect(sameRepo({ owner: 'sciance-inc', repo: 'Core.Dashboards_Store' }, 'Sciance-Inc/core.dashboards_store')).toBe(true);
    expect(sameRepo({ owner: 'Sciance-Inc', repo: 'core.dashboards_store_depechecode' }, 'Sciance-Inc/core.dashboards_store')).toBe(false);
  });
});
