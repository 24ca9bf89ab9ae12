import { isMap, type YAMLMap } from 'yaml';
import { isReference, mask, scanForSecrets } from '../extract/secrets.js';
import { pairOf, parseYaml, scalarText } from '../extract/yaml-positions.js';
import type { Rule, RuleFinding } from '../types.js';

const PROFILE = /(^|\/)profiles\.ya?ml$/;
const DOTENV = /(^|\/)\.env(\.[^/]+)?$/;
const DOTENV_EXAMPLE = /\.(example|sample|template|dist|defaults)$/i;
/** Keys of a dbt target that hold credentials (adapters name them differently). */
const CREDENTIAL_KEYS = new Set(['password', 'pass', 'token', 'private_key', 'private_key_passphrase', 'keyfile_json', 'client_secret', 'secret', 'access_key', 'secret_key', 'aws_secret_access_key', 'api_key', 'refresh_token']);
/** Accepted spellings of an environment's target in profiles.yml. */
const TARGET_ALIASES: Record<string, string[]> = {
  production: ['production', 'prod', 'prd', 'live'],
  staging: ['staging', 'stage', 'stg', 'preprod', 'pre-prod', 'uat'],
  development: ['development', 'dev', 'local'],
  dev: ['dev', 'development', 'local'],
};

export const noPlaintextSecrets: Rule = {
  id: 'no-plaintext-secrets',
  description: 'No credentials committed in configs (dbt profiles, .env files, keys, token shapes); profiles keep a target per environment.',
  files: ['**/profiles.yml', '**/profiles.yaml', '**/.env', '**/.env.*', '**/*.pem', '**/*.key', '**/id_rsa', '**/id_ecdsa', '**/id_ed25519', '**/*credentials*.json', '**/*service*account*.json', '**/*keyfile*.json', '**/*.cfg', '**/*.ini', '**/*.conf', '.github/workflows/*.y*ml', '**/dbt_project.yml', '**/packages.yml', '**/dags/**/*.py', '**/Dockerfile', '**/docker-compose*.y*ml'],
  docs: {
    failing: "# profiles.yml\nstore:\n  target: prod\n  outputs:\n    prod:\n      type: sqlserver\n      user: etl\n      password: Hunter2!",
    fixed: "# profiles.yml\nstore:\n  target: prod\n  outputs:\n    staging:\n      type: sqlserver\n      password: \"{{ env_var('DBT_STAGING_PASSWORD') }}\"\n    prod:\n      type: sqlserver\n      password: \"{{ env_var('DBT_PROD_PASSWORD') }}\"",
  },
  check({ files, config }) {
    const findings: RuleFinding[] = [];
    for (const { path, text } of files) {
      const own: RuleFinding[] = [];
      if (PROFILE.test(path)) own.push(...profileFindings(path, text, config.release.environments));
      if (DOTENV.test(path) && !DOTENV_EXAMPLE.test(path)) own.push(...dotenvFindings(path, text));
      const taken = new Set(own.map((f) => f.line));
      for (const hit of scanForSecrets(text)) {
        if (taken.has(hit.line)) continue;
        taken.add(hit.line);
        own.push({ path, line: hit.line, code: 'secret', message: `${path} contains a ${hit.name} (${hit.masked})`, fix: 'remove it, rotate it, and read it from the environment or a secret store' });
      }
      findings.push(...own);
    }
    return findings;
  },
};

function profileFindings(path: string, text: string, environments: string[]): RuleFinding[] {
  const { doc, lineOf, error } = parseYaml(text);
  if (error) return [{ path, line: error.line, code: 'malformed', message: `cannot read ${path}: ${error.message}` }];
  const out: RuleFinding[] = [];
  if (!isMap(doc.contents)) return out;
  for (const profile of (doc.contents as YAMLMap).items) {
    const name = scalarText(profile.key) ?? '';
    const outputsPair = pairOf(profile.value, 'outputs');
    if (name === 'config' || !outputsPair || !isMap(outputsPair.value)) continue;
    const targets = (outputsPair.value as YAMLMap).items;
    for (const target of targets) {
      const targetName = scalarText(target.key) ?? '';
      if (!isMap(target.value)) continue;
      for (const field of (target.value as YAMLMap).items) {
        const key = (scalarText(field.key) ?? '').toLowerCase();
        if (!CREDENTIAL_KEYS.has(key)) continue;
        const value = scalarText(field.value);
        const literal = isMap(field.value) || (value !== undefined && !isReference(value));
        if (literal) {
          const shown = value === undefined ? 'an inline value' : mask(value);
          out.push({ path, line: lineOf(field.key), code: 'literal-credential', message: `target \`${targetName}\` of profile \`${name}\` sets \`${key}\` literally (${shown})`, fix: `read it from the environment: \`${key}: "{{ env_var('DBT_${targetName.toUpperCase()}_${key.toUpperCase()}') }}"\`` });
        }
      }
    }
    const names = targets.map((t) => (scalarText(t.key) ?? '').toLowerCase());
    for (const env of environments) {
      const aliases = TARGET_ALIASES[env.toLowerCase()] ?? [env.toLowerCase()];
      if (!names.some((n) => aliases.includes(n))) {
        out.push({ path, line: lineOf(outputsPair.key), code: 'missing-target', message: `profile \`${name}\` has no target for the ${env} environment (expected one of ${aliases.join(', ')})`, fix: `add a separate \`${aliases[0]}\` target whose credentials come from \`env_var\`` });
      }
    }
  }
  return out;
}

function dotenvFindings(path: string, text: string): RuleFinding[] {
  const out: RuleFinding[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) return;
    const value = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
    if (value === '' || isReference(value)) return;
    out.push({ path, line: i + 1, code: 'dotenv-value', message: `${path} commits a value for \`${m[1]}\` (${mask(value)})`, fix: `remove ${path} from git (add it to .gitignore) and commit a \`.env.example\` without values` });
  });
  return out;
}
