/**
 * dbt profiles.yml → each profile, the line of its `outputs:`, and per target the fields that hold
 * credentials (`password`, `token`, `keyfile_json`, …) with their lines and values as written. Real
 * profiles from test/fixtures/realrepos, public dbt projects and dbt's own documentation.
 */
import type { FormatError } from '../../../src/policy/formats/format.js';
import { profilesFormat, type Profile } from '../../../src/policy/formats/profiles.js';
import { covers } from '../../../src/policy/parsed.js';
import { checkVerbatim, crlf, NIGHTLY_PROFILES_DEV, PROFILES_SAMPLE_DEV, text, unterminated, type Copied } from './real-files.js';

interface Case extends Copied {
  value: Profile[];
  error?: FormatError;
}

// mattermost/mattermost-data-warehouse transform/snowflake-dbt/profile/profiles.yml@abd075b36ed58a3f89601914c22c26560b31009a (whole file).
const MATTERMOST = unterminated(
  'config:',
  '    send_anonymous_usage_stats: False',
  '    use_colors: True',
  '',
  'snowflake:',
  '  target: prod',
  '  outputs:',
  '    prod:',
  '      type: snowflake',
  '      threads: 16',
  '      account: "{{ env_var(\'SNOWFLAKE_ACCOUNT\') }}"',
  '      user: "{{ env_var(\'SNOWFLAKE_USER\') }}"',
  '      password: "{{ env_var(\'SNOWFLAKE_PASSWORD\') }}"',
  '      database: "{{ env_var(\'SNOWFLAKE_TRANSFORM_DATABASE\') }}"',
  '      role: "{{ env_var(\'SNOWFLAKE_TRANSFORM_ROLE\') }}"',
  '      warehouse: "{{ env_var(\'SNOWFLAKE_TRANSFORM_WAREHOUSE\') }}"',
  '      schema: "{{ env_var(\'SNOWFLAKE_TRANSFORM_SCHEMA\') }}"',
  '      client_session_keep_alive: True',
);
const MATTERMOST_VALUE: Profile[] = [
  {
    name: 'snowflake',
    outputsLine: 7,
    targets: [{ name: 'prod', credentials: [{ key: 'password', line: 13, value: "{{ env_var('SNOWFLAKE_PASSWORD') }}" }] }],
  },
];

const realFiles: Case[] = [
  {
    name: 'two targets, each password from env_var',
    fixture: '1c-core-nightly-subfolder-project/tooling/nightly/docker/profiles.yml',
    text:
      NIGHTLY_PROFILES_DEV +
      text(
        '      authentication: sql',
        '      trust_cert: True',
        '    stable:',
        '      type: fabric',
        '      driver: "ODBC Driver 17 for SQL Server"',
        '      server: "{{ env_var(\'DBT_SERVER\') }}"',
        '      port: "{{ env_var(\'DBT_PORT\') | int }}"',
        '      database: "store_nightly"',
        '      schema: stable',
        '      user: "{{ env_var(\'DBT_USERNAME\') }}"',
        '      password: "{{ env_var(\'DBT_PASSWORD\') }}"',
        '      authentication: sql',
        '      trust_cert: True',
      ),
    value: [
      {
        name: 'etl_profile',
        outputsLine: 4,
        targets: [
          { name: 'dev', credentials: [{ key: 'password', line: 13, value: "{{ env_var('DBT_PASSWORD') }}" }] },
          { name: 'stable', credentials: [{ key: 'password', line: 24, value: "{{ env_var('DBT_PASSWORD') }}" }] },
        ],
      },
    ],
  },
  {
    // The engine skips templates before parsing; read directly, the `{{ … }}:` key is a flow mapping, so the profile has no name.
    name: 'a cookiecutter sample with a literal password and Jinja for its profile name',
    fixture: "2-core-cookiecutter-template/tooling/template/{{ cookiecutter.css_short_name + '.dashboards_store' }}/profiles-sample.yml",
    text: PROFILES_SAMPLE_DEV + text('      trust_cert: True', '      threads: 1', '      authentication: sql'),
    value: [
      { name: '', outputsLine: 4, targets: [{ name: 'dev', credentials: [{ key: 'password', line: 14, value: 'dontLookAtMeImSecret' }] }] },
    ],
  },
  { name: 'a `config:` block is not a profile; no final newline', text: MATTERMOST, value: MATTERMOST_VALUE },
  // dbt-labs/jaffle_shop_duckdb profiles.yml@307b19d6a7c2cdb905c58be1d8049424e05cce45 (first 19 lines).
  {
    name: 'DuckDB targets hold no credential field (a token inside `path` is the secret-shapes format’s business)',
    text: text(
      'jaffle_shop:',
      '',
      '  target: dev',
      '  outputs:',
      '    dev:',
      '      type: duckdb',
      "      path: 'jaffle_shop.duckdb'",
      '      threads: 24',
      '      schema: dev',
      '    prod:',
      '      type: duckdb',
      "      path: 'jaffle_shop.duckdb'",
      '      threads: 24',
      '      schema: prod',
      '    motherDuck:',
      '      type: duckdb',
      '      path: "md:jaffle_shop?motherduck_token={{env_var(\'motherduck_token\')}}"',
      '      threads: 24',
      '      schema: dev',
    ),
    value: [
      {
        name: 'jaffle_shop',
        outputsLine: 4,
        targets: [
          { name: 'dev', credentials: [] },
          { name: 'prod', credentials: [] },
          { name: 'motherDuck', credentials: [] },
        ],
      },
    ],
  },
  // dbt-labs/docs.getdbt.com website/docs/reference/warehouse-profiles/bigquery-profile.md@093870627ac170f72370f0b315b299bbff926462,
  // "Service Account JSON" (without its `[<optional_config>](…): <value>` placeholder line, which is not YAML).
  {
    name: 'dbt docs: `keyfile_json` written inline is a credential without a scalar value',
    text: text(
      'my-bigquery-db:',
      '  target: dev',
      '  outputs:',
      '    dev:',
      '      type: bigquery',
      '      method: service-account-json',
      '      project: [GCP project id]',
      '      dataset: [the name of your dbt dataset]',
      '      threads: [1 or more]',
      '',
      '      # These fields come from the service account json keyfile',
      '      keyfile_json:',
      '        type: xxx',
      '        project_id: xxx',
      '        private_key_id: xxx',
      '        private_key: xxx',
      '        client_email: xxx',
    ),
    value: [
      {
        name: 'my-bigquery-db',
        outputsLine: 3,
        targets: [{ name: 'dev', credentials: [{ key: 'keyfile_json', line: 12, value: undefined }] }],
      },
    ],
  },
  // Same page, "Oauth Token-Based" (refresh token), without its placeholder line.
  {
    // CredentialField says a list is an inline value too; the parser keeps only mappings, so `[token]` placeholders drop out.
    name: 'dbt docs: `[token]` placeholders are YAML lists, and lists are not kept',
    text: text(
      'my-bigquery-db:',
      '  target: dev',
      '  outputs:',
      '    dev:',
      '      type: bigquery',
      '      method: oauth-secrets',
      '      project: [GCP project id]',
      '      dataset: [the name of your dbt dataset] # You can also use "schema" here',
      '      threads: [1 or more]',
      '      refresh_token: [token]',
      '      client_id: [client id]',
      '      client_secret: [client secret]',
      '      token_uri: [redirect URI]',
    ),
    value: [{ name: 'my-bigquery-db', outputsLine: 3, targets: [{ name: 'dev', credentials: [] }] }],
  },
];

/** Variants of the files above: what each changes is in its name. */
const edgeCases: Case[] = [
  { name: 'an empty file', text: '', value: [] },
  { name: 'a top-level list', text: text('- etl_profile'), value: [] },
  { name: 'CRLF line endings (the mattermost profile)', text: crlf(MATTERMOST), value: MATTERMOST_VALUE },
  {
    name: 'tabs for indentation',
    text: text('etl_profile:', '\toutputs:'),
    value: [],
    error: { line: 2, message: 'Tabs are not allowed as indentation' },
  },
  {
    name: 'a password written twice with different values: both copies are listed, and the file is reported',
    text: text(
      'etl_profile:',
      '  outputs:',
      '    dev:',
      '      password: "{{ env_var(\'DBT_PASSWORD\') }}"',
      '      password: dontLookAtMeImSecret',
    ),
    value: [
      {
        name: 'etl_profile',
        outputsLine: 2,
        targets: [
          {
            name: 'dev',
            credentials: [
              { key: 'password', line: 4, value: "{{ env_var('DBT_PASSWORD') }}" },
              { key: 'password', line: 5, value: 'dontLookAtMeImSecret' },
            ],
          },
        ],
      },
    ],
    error: {
      line: 5,
      message:
        '`etl_profile.outputs.dev.password` is written twice, at profiles.yml:4 and profiles.yml:5, with different values; dbt reads only the last one, so keep the one you mean',
    },
  },
  {
    name: 'an empty `password:` is no credential; an empty-string token is kept as ""',
    text: text('jaffle_shop:', '  outputs:', '    dev:', '      password:', '      token: ""'),
    value: [{ name: 'jaffle_shop', outputsLine: 2, targets: [{ name: 'dev', credentials: [{ key: 'token', line: 5, value: '' }] }] }],
  },
  {
    name: 'credential keys in capitals are found, lower-cased',
    text: text('jaffle_shop:', '  outputs:', '    dev:', '      PASSWORD: "{{ env_var(\'DBT_PASSWORD\') }}"'),
    value: [
      {
        name: 'jaffle_shop',
        outputsLine: 2,
        targets: [{ name: 'dev', credentials: [{ key: 'password', line: 4, value: "{{ env_var('DBT_PASSWORD') }}" }] }],
      },
    ],
  },
  {
    name: 'a target that is not a mapping has no credentials; a profile without a mapping of outputs is skipped',
    text: text('jaffle_shop:', '  outputs:', '    dev: duckdb', 'other:', '  outputs: none'),
    value: [{ name: 'jaffle_shop', outputsLine: 2, targets: [{ name: 'dev', credentials: [] }] }],
  },
];

describe('profiles format', () => {
  describe('real files', () => {
    it.each(realFiles)('$name', ({ text: input, value, error }) => {
      expect(profilesFormat.parse(input, 'profiles.yml')).toEqual({ value, error });
    });
  });

  describe('edge cases', () => {
    it.each(edgeCases)('$name', ({ text: input, value, error }) => {
      expect(profilesFormat.parse(input, 'profiles.yml')).toEqual({ value, error });
    });
  });

  it.each([
    ['profiles.yml', true],
    ['transform/snowflake-dbt/profile/profiles.yml', true],
    ['tooling/nightly/docker/profiles.yaml', true],
    // The cookiecutter's sample is not read as a profile (the secret-shapes format still scans it).
    ['profiles-sample.yml', false],
  ])('reads %s: %s', (path, read) => {
    expect(covers(profilesFormat, path)).toBe(read);
  });

  checkVerbatim(realFiles);
});
