import { noPlaintextSecrets } from '../../../src/policy/rules/no-plaintext-secrets.js';
import { runRule, testRule } from '../../helpers/rule-tester.js';

const profile = (prod: string) => `store:\n  target: dev\n  outputs:\n    dev:\n      type: sqlserver\n      password: "{{ env_var('DBT_DEV_PASSWORD') }}"\n    staging:\n      type: sqlserver\n      password: "{{ env_var('DBT_STG_PASSWORD') }}"\n    prod:\n      type: sqlserver\n${prod}`;
const GH_TOKEN = `ghp_${'A1b2C3d4E5'.repeat(4)}`;

testRule(noPlaintextSecrets, {
  valid: [
    { name: 'profiles reading env_var, one target per environment', files: { 'profiles.yml': profile("      password: \"{{ env_var('DBT_PROD_PASSWORD') }}\"\n") } },
    { name: 'target spellings: stg and prd', files: { 'transform/profiles.yml': 'p:\n  outputs:\n    stg:\n      type: duckdb\n    prd:\n      type: duckdb\n' } },
    { name: 'workflow secrets references', files: { '.github/workflows/deploy.yml': 'env:\n  TOKEN: ${{ secrets.DEPLOY_TOKEN }}\n  DB: postgres://etl:${{ secrets.DB_PASSWORD }}@db:5432/x\n' } },
    { name: '.env.example without values', files: { '.env.example': 'DB_PASSWORD=\nSLACK_WEBHOOK_URL=\n' } },
    { name: 'a connection URL whose password is a reference', files: { 'airflow.cfg': 'sql_alchemy_conn = postgresql://airflow:${AIRFLOW_DB_PASSWORD}@db/airflow\n' } },
  ],
  invalid: [
    { name: 'literal production password (masked)', files: { 'profiles.yml': profile('      password: Hunter2Hunter2!\n') }, errors: [{ line: 12, code: 'literal-credential', message: /target `prod` of profile `store` sets `password` literally \(a literal value, hidden here\)/ }] },
    { name: 'inline keyfile_json', files: { 'profiles.yml': profile('      keyfile_json:\n        type: service_account\n        private_key: x\n') }, errors: [{ line: 12, code: 'literal-credential' }] },
    { name: 'missing staging and production targets', files: { 'profiles.yml': 'store:\n  outputs:\n    dev:\n      type: duckdb\n' }, errors: [{ line: 2, code: 'missing-target', message: /staging/ }, { line: 2, code: 'missing-target', message: /production/ }] },
    { name: 'a committed .env: its secret-like value, not the file', files: { '.env': '# local\nDB_PASSWORD="q8Zr2LmX7vKp4TnW"\nEMPTY=\nHOST=${DB_HOST}\nREDIS_HOST=127.0.0.1\nREDIS_PORT=6379\n' }, errors: [{ line: 2, code: 'secret-value', message: /`DB_PASSWORD`/ }] },
    { name: 'a PEM private key', files: { 'deploy/key.pem': '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n' }, errors: [{ line: 1, code: 'secret', message: /private key \(value hidden\)/ }] },
    { name: 'token shapes in a DAG and a workflow', files: { 'dags/load.py': `SLACK = "https://hooks.slack.com/services/T0001/B0002/abcdefghij"\nKEY = "AKIAABCDEFGHIJKLMNOP"\n`, '.github/workflows/x.yml': `env:\n  GH: ${GH_TOKEN}\n` }, errors: [{ path: '.github/workflows/x.yml', line: 2, code: 'secret' }, { path: 'dags/load.py', line: 1, code: 'secret' }, { path: 'dags/load.py', line: 2, code: 'secret' }] },
    { name: 'a password in a connection URL', files: { 'airflow.cfg': 'sql_alchemy_conn = postgresql://airflow:pa55word@db/airflow\n' }, errors: [{ line: 1, code: 'secret', message: /password in a connection URL \(value hidden\)/ }] },
  ],
});

it('never prints a secret in any message', () => {
  const findings = runRule(noPlaintextSecrets, { name: 'x', files: { '.github/workflows/x.yml': `env:\n  GH: ${GH_TOKEN}\n`, '.env': `TOKEN=${GH_TOKEN}\n`, 'profiles.yml': profile(`      token: ${GH_TOKEN}\n`) } });
  expect(findings.length).toBe(3);
  for (const f of findings) expect(`${f.message} ${f.fix}`).not.toContain(GH_TOKEN.slice(4, 20));
});
