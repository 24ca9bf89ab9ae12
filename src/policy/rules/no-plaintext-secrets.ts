import { isReference, mask } from '../formats/secrets.js';
import type { DotenvFile } from '../formats/dotenv.js';
import type { Profile } from '../formats/profiles.js';
import { defineRule } from '../rule.js';
import type { RuleFinding } from '../types.js';

/** Accepted spellings of an environment's target in profiles.yml. */
const TARGET_ALIASES: Record<string, string[]> = {
  production: ['production', 'prod', 'prd', 'live'],
  staging: ['staging', 'stage', 'stg', 'preprod', 'pre-prod', 'uat'],
  development: ['development', 'dev', 'local'],
  dev: ['dev', 'development', 'local'],
};

export interface SecretsOptions {
  release: { environments: string[] };
}

export const noPlaintextSecrets = defineRule<'no-plaintext-secrets', SecretsOptions>({
  meta: {
    id: 'no-plaintext-secrets',
    description: 'No credentials committed in configs (dbt profiles, .env files, keys, token shapes); profiles keep a target per environment.',
    defaultLevel: 'error',
    formats: ['profiles', 'dotenv', 'secret-shapes'],
    reads: ['release.environments'],
    messages: {
      'literal-credential': 'a dbt profile target sets a credential literally instead of through `env_var`',
      'missing-target': 'a dbt profile has no separate target for one of `release.environments`',
      'dotenv-value': 'a committed `.env` file holds a literal value',
      secret: 'a well-known credential shape (private key, AWS key, GitHub or Slack token, password in a URL)',
    },
    docs: {
      details:
        'No credentials in committed configuration: literal `password`, `token`, `private_key`, `keyfile_json`… in a dbt `profiles.yml` target (instead of `{{ env_var(\'…\') }}`), `.env` files with values (`.env.example` without values is fine), PEM private keys, AWS access keys, GitHub and Slack tokens, Slack webhook URLs, passwords inside connection URLs. `{{ env_var(\'X\') }}`, `${{ secrets.X }}` and `${X}` are references, not secrets. A finding never prints the secret (`Hunt******** (15 characters)`). A `profiles.yml` also keeps a separate target for each of `release.environments` (staging: `staging`, `stage`, `stg`, `preprod`, `uat`; production: `production`, `prod`, `prd`, `live`).',
      failing: "# profiles.yml\nstore:\n  target: prod\n  outputs:\n    prod:\n      type: sqlserver\n      user: etl\n      password: Hunter2!",
      fixed: "# profiles.yml\nstore:\n  target: prod\n  outputs:\n    staging:\n      type: sqlserver\n      password: \"{{ env_var('DBT_STAGING_PASSWORD') }}\"\n    prod:\n      type: sqlserver\n      password: \"{{ env_var('DBT_PROD_PASSWORD') }}\"",
      language: 'yaml',
    },
  },
  check({ files, options }) {
    const byPath = new Map<string, RuleFinding[]>();
    const own = (path: string) => byPath.get(path) ?? byPath.set(path, []).get(path)!;
    for (const { path, value } of files.of('profiles')) own(path).push(...profileFindings(path, value, options.release.environments));
    for (const { path, value } of files.of('dotenv')) if (!value.example) own(path).push(...dotenvFindings(path, value));
    for (const { path, value: hits } of files.of('secret-shapes')) {
      const findings = own(path);
      const taken = new Set(findings.map((f) => f.line));
      for (const hit of hits) {
        if (taken.has(hit.line)) continue;
        taken.add(hit.line);
        findings.push({ path, line: hit.line, code: 'secret', message: `${path} contains a ${hit.name} (${hit.masked})`, fix: 'remove it, rotate it, and read it from the environment or a secret store' });
      }
    }
    return [...byPath.values()].flat();
  },
});

function profileFindings(path: string, profiles: readonly Profile[], environments: string[]): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const { name, outputsLine, targets } of profiles) {
    for (const target of targets) {
      for (const field of target.credentials) {
        if (field.value !== undefined && isReference(field.value)) continue;
        const shown = field.value === undefined ? 'an inline value' : mask(field.value);
        out.push({ path, line: field.line, code: 'literal-credential', message: `target \`${target.name}\` of profile \`${name}\` sets \`${field.key}\` literally (${shown})`, fix: `read it from the environment: \`${field.key}: "{{ env_var('DBT_${target.name.toUpperCase()}_${field.key.toUpperCase()}') }}"\`` });
      }
    }
    const names = targets.map((t) => t.name.toLowerCase());
    for (const env of environments) {
      const aliases = TARGET_ALIASES[env.toLowerCase()] ?? [env.toLowerCase()];
      if (!names.some((n) => aliases.includes(n))) {
        out.push({ path, line: outputsLine, code: 'missing-target', message: `profile \`${name}\` has no target for the ${env} environment (expected one of ${aliases.join(', ')})`, fix: `add a separate \`${aliases[0]}\` target whose credentials come from \`env_var\`` });
      }
    }
  }
  return out;
}

function dotenvFindings(path: string, file: DotenvFile): RuleFinding[] {
  return file.assignments
    .filter(({ value }) => value !== '' && !isReference(value))
    .map(({ line, key, value }) => ({ path, line, code: 'dotenv-value', message: `${path} commits a value for \`${key}\` (${mask(value)})`, fix: `remove ${path} from git (add it to .gitignore) and commit a \`.env.example\` without values` }));
}
