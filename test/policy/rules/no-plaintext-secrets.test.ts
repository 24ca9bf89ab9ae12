import { noPlaintextSecrets } from '../../../src/policy/rules/no-plaintext-secrets.js';
import { runRule, testRule } from '../../helpers/rule-tester.js';

const profile = (prod: string) =>
  `store:\n  target: dev\n  outputs:\n    dev:\n      type: sqlserver\n      password: "{{ env_var('DBT_DEV_PASSWORD') }}"\n    staging:\n      type: sqlserver\n      password: "{{ env_var('DBT_STG_PASSWORD') }}"\n    prod:\n      type: sqlserver\n${prod}`;
const GH_TOKEN = `ghp_${'A1b2C3d4E5'.repeat(4)}`;

testRule(noPlaintextSecrets, {
  valid: [
    {
      name: 'profiles reading env_var, one target per environment',
      files: { 'profiles.yml': profile('      password: "{{ env_var(\'DBT_PROD_PASSWORD\') }}"\n') },
    },
    {
      name: 'target spellings: stg and prd',
      files: { 'transform/profiles.yml': 'p:\n  outputs:\n    stg:\n      type: duckdb\n    prd:\n      type: duckdb\n' },
    },
    {
      name: 'workflow secrets references',
      files: {
        '.github/workflows/deploy.yml':
          'env:\n  TOKEN: ${{ secrets.DEPLOY_TOKEN }}\n  DB: postgres://etl:${{ secrets.DB_PASSWORD }}@db:5432/x\n',
      },
    },
    { name: '.env.example without values', files: { '.env.example': 'DB_PASSWORD=\nSLACK_WEBHOOK_URL=\n' } },
    {
      name: 'a connection URL whose password is a reference',
      files: { 'airflow.cfg': 'sql_alchemy_conn = postgresql://airflow:${AIRFLOW_DB_PASSWORD}@db/airflow\n' },
    },
    {
      name: 'vendored .env: REDIS_HOST/REDIS_PORT are not secrets (SGrondin/bottleneck .env)',
      files: { 'bottleneck/.env': 'REDIS_HOST=127.0.0.1\nREDIS_PORT=6379\n' },
    },
    {
      name: 'dbt-utils integration_tests/.env/postgres.env: a placeholder password and hosts',
      files: {
        'integration_tests/.env/postgres.env':
          'POSTGRES_HOST=localhost\nPOSTGRES_USER=root\nDBT_ENV_SECRET_POSTGRES_PASS=password\nPOSTGRES_PORT=5432\n',
      },
    },
    {
      name: 'placeholders: xxxxx, changeme under test/, <token>, booleans, short values',
      files: {
        'test/config.yml':
          'API_TOKEN: changeme-changeme-changeme\nSECRET_KEY: xxxxxxxxxxxxxxxxxxxxxxxx\nGITHUB_TOKEN: <your-token-here-please>\nUSE_TOKEN: true\nSECRET: short\n',
      },
    },
    {
      name: 'example env files hold placeholders: only token shapes count there',
      files: {
        '.env.example': 'FERNET_KEY=46BKJoQYlPPOexq0OhDZnIlNepKFf87WFwLbfzqDDho=\n',
        'prod.env.template': 'API_TOKEN=Zq81LmX7vKp4TnWq81LmX7vK\n',
      },
    },
    {
      name: 'where a secret lives is not a secret: *_FILE, *_URL, *_PATH keys',
      files: { 'settings.yml': 'SECRET_KEY_FILE: /run/secrets/q81LmX7vKp4TnWq81\nTOKEN_URL: https://auth.example.com/oauth2/token\n' },
    },
    { name: 'Dockerfile ENV and ARG references', files: { Dockerfile: 'FROM python:3.12\nARG API_TOKEN\nENV API_TOKEN=${API_TOKEN}\n' } },
  ],
  invalid: [
    {
      name: 'FERNET_KEY in a compose list (puckel/docker-airflow docker-compose-CeleryExecutor.yml)',
      files: {
        'docker-compose.yml':
          'services:\n  web:\n    environment:\n      - LOAD_EX=n\n      - FERNET_KEY=46BKJoQYlPPOexq0OhDZnIlNepKFf87WFwLbfzqDDho=\n',
      },
      errors: [{ line: 5, code: 'secret-value', message: /literal value of `FERNET_KEY` \(value hidden\)/ }],
    },
    {
      name: 'a 60-hex AIRFLOW__WEBSERVER__SECRET_KEY in a compose mapping',
      files: {
        'docker-compose.yml': `services:\n  web:\n    environment:\n      AIRFLOW__WEBSERVER__SECRET_KEY: ${'83a1e9c04f7b'.repeat(5)}\n`,
      },
      errors: [{ line: 4, code: 'secret-value' }],
    },
    {
      name: 'a *.env file is scanned (prod.env)',
      files: { 'deploy/prod.env': 'export API_TOKEN="Zq81LmX7vKp4TnWq81LmX7vK"\n' },
      errors: [{ line: 1, code: 'secret-value' }],
    },
    {
      name: 'shell scripts, INI and Dockerfile ENV are scanned',
      files: {
        'scripts/run.sh': 'export DB_PASSWORD=Zq81LmX7vKp4TnWq81LmX7vK\n',
        'config/app.ini': '[auth]\nclient_secret = Zq81LmX7vKp4TnWq81LmX7vK\n',
        Dockerfile: 'FROM python:3.12\nENV SERVICE_TOKEN Zq81LmX7vKp4TnWq81LmX7vK\n',
      },
      errors: [
        { path: 'config/app.ini', line: 2, code: 'secret-value' },
        { path: 'Dockerfile', line: 2, code: 'secret-value' },
        { path: 'scripts/run.sh', line: 1, code: 'secret-value' },
      ],
    },
    {
      name: 'config/settings.yml is scanned: a URL password holding @ and !',
      files: { 'config/settings.yml': 'db: postgres://admin:P@ssw0rd!X@db.internal:5432/app\n' },
      errors: [{ line: 1, code: 'secret', message: /password in a connection URL \(value hidden\)/ }],
    },
    {
      name: 'literal production password (masked)',
      files: { 'profiles.yml': profile('      password: Hunter2Hunter2!\n') },
      errors: [
        {
          line: 12,
          code: 'literal-credential',
          message: /target `prod` of profile `store` sets `password` literally \(a literal value, hidden here\)/,
        },
      ],
    },
    {
      name: 'inline keyfile_json',
      files: { 'profiles.yml': profile('      keyfile_json:\n        type: service_account\n        private_key: x\n') },
      errors: [{ line: 12, code: 'literal-credential' }],
    },
    {
      name: 'missing staging and production targets',
      files: { 'profiles.yml': 'store:\n  outputs:\n    dev:\n      type: duckdb\n' },
      errors: [
        { line: 2, code: 'missing-target', message: /staging/ },
        { line: 2, code: 'missing-target', message: /production/ },
      ],
    },
    {
      name: 'a committed .env: its secret-like value, not the file',
      files: { '.env': '# local\nDB_PASSWORD="q8Zr2LmX7vKp4TnW"\nEMPTY=\nHOST=${DB_HOST}\nREDIS_HOST=127.0.0.1\nREDIS_PORT=6379\n' },
      errors: [{ line: 2, code: 'secret-value', message: /`DB_PASSWORD`/ }],
    },
    {
      name: 'a PEM private key',
      files: { 'deploy/key.pem': '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n' },
      errors: [{ line: 1, code: 'secret', message: /private key \(value hidden\)/ }],
    },
    {
      name: 'token shapes in a DAG and a workflow',
      files: {
        'dags/load.py': `SLACK = "https://hooks.slack.com/services/T0001/B0002/abcdefghij"\nKEY = "AKIAABCDEFGHIJKLMNOP"\n`,
        '.github/workflows/x.yml': `env:\n  GH: ${GH_TOKEN}\n`,
      },
      errors: [
        { path: '.github/workflows/x.yml', line: 2, code: 'secret' },
        { path: 'dags/load.py', line: 1, code: 'secret' },
        { path: 'dags/load.py', line: 2, code: 'secret' },
      ],
    },
    {
      name: 'a password in a connection URL',
      files: { 'airflow.cfg': 'sql_alchemy_conn = postgresql://airflow:pa55word@db/airflow\n' },
      errors: [{ line: 1, code: 'secret', message: /password in a connection URL \(value hidden\)/ }],
    },
  ],
});

it('never prints a secret in any message', () => {
  const findings = runRule(noPlaintextSecrets, {
    name: 'x',
    files: {
      '.github/workflows/x.yml': `env:\n  GH: ${GH_TOKEN}\n`,
      '.env': `TOKEN=${GH_TOKEN}\n`,
      'profiles.yml': profile(`      token: ${GH_TOKEN}\n`),
    },
  });
  expect(findings.length).toBe(3);
  expect(
    JSON.stringify(
      runRule(noPlaintextSecrets, {
        name: 'y',
        files: { 'a.yml': 'u: postgres://admin:P@ssw0rd!X@db/x\nFERNET_KEY: 46BKJoQYlPPOexq0OhDZnIlNepKFf87WFwLbfzqDDho=\n' },
      }),
    ),
  ).not.toMatch(/P@ss|w0rd|46BK|Dho=/);
  for (const f of findings) expect(`${f.message} ${f.fix}`).not.toContain(GH_TOKEN.slice(4, 20));
});
