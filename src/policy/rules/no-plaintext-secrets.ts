import { isReference } from '../mask.js';
import type { Profile } from '../formats/profiles.js';
import { isPlaceholder } from '../formats/secrets.js';
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

const ROTATE = 'remove it, rotate it, and read it from the environment or a secret store';

export const noPlaintextSecrets = defineRule<'no-plaintext-secrets', SecretsOptions>({
  meta: {
    id: 'no-plaintext-secrets',
    description:
      'No credentials committed in configs (dbt profiles, .env files, keys, token shapes); profiles keep a target per environment.',
    defaultLevel: 'error',
    formats: ['profiles', 'secret-shapes'],
    reads: ['release.environments'],
    messages: {
      'literal-credential': 'a dbt profile target sets a credential literally instead of through `env_var`',
      'missing-target': 'a dbt profile has no separate target for one of `release.environments`',
      'secret-value':
        'a key named like a secret (`*SECRET*`, `*_KEY`, `*TOKEN*`, `*PASSWORD*`) holds a literal, long, random-looking value',
      secret: 'a well-known credential shape (private key, AWS key, GitHub, GitLab or Slack token, password in a URL)',
    },
    docs: {
      details:
        "No credentials in committed files. Every text file of the repository that holds configuration (YAML, `.env`, `.env.*`, `*.env`, INI/cfg/conf/toml, shell scripts, Dockerfiles, DAGs, keys) is scanned, up to 1 MB each: PEM private keys, AWS access keys, GitHub, GitLab and Slack tokens, Slack webhook URLs, passwords inside connection URLs (even ones holding `@` or `!`), and literal, long, random-looking values of keys named like secrets (`*SECRET*`, `*_KEY`, `*TOKEN*`, `*PASSWORD*`: `FERNET_KEY=…`, `AIRFLOW__WEBSERVER__SECRET_KEY: …`, `ENV API_TOKEN=…`). Ports, hosts, booleans, short values and placeholders (`xxxxx`, `changeme`, `<token>`) are not secrets; `.env.example`, `*.sample`, `*.template` and `*.dist` files hold placeholders, so only the well-known token shapes count there. A committed `.env` is not itself a finding. In a dbt `profiles.yml`, a literal `password`, `token`, `private_key`, `keyfile_json`… (instead of `{{ env_var('…') }}`) is a finding. `{{ env_var('X') }}`, `${{ secrets.X }}` and `${X}` are references, not secrets. A finding names the kind of secret and its line, never any character of it. A `profiles.yml` also keeps a separate target for each of `release.environments` (staging: `staging`, `stage`, `stg`, `preprod`, `uat`; production: `production`, `prod`, `prd`, `live`).",
      failing:
        '# profiles.yml\nstore:\n  target: prod\n  outputs:\n    prod:\n      type: sqlserver\n      user: etl\n      password: Hunter2!',
      fixed:
        '# profiles.yml\nstore:\n  target: prod\n  outputs:\n    staging:\n      type: sqlserver\n      password: "{{ env_var(\'DBT_STAGING_PASSWORD\') }}"\n    prod:\n      type: sqlserver\n      password: "{{ env_var(\'DBT_PROD_PASSWORD\') }}"',
      language: 'yaml',
    },
  },
  check({ files, options }) {
    const byPath = new Map<string, RuleFinding[]>();
    const own = (path: string) => byPath.get(path) ?? byPath.set(path, []).get(path)!;
    for (const { path, value } of files.of('profiles')) own(path).push(...profileFindings(path, value, options.release.environments));
    for (const { path, value: hits } of files.of('secret-shapes')) {
      const findings = own(path);
      const taken = new Set(findings.map((f) => f.line));
      for (const hit of hits) {
        if (taken.has(hit.line)) continue;
        taken.add(hit.line);
        const code = hit.kind === 'secret-value' ? 'secret-value' : 'secret';
        findings.push({
          path,
          line: hit.line,
          code,
          message: `line ${hit.line} of ${path} holds a ${hit.name} (value hidden)`,
          fix: ROTATE,
        });
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
        if (field.value !== undefined && (field.value === '' || isReference(field.value) || isPlaceholder(field.value))) continue;
        const shown = field.value === undefined ? 'an inline value' : 'a literal value, hidden here';
        out.push({
          path,
          line: field.line,
          code: 'literal-credential',
          message: `target \`${target.name}\` of profile \`${name}\` sets \`${field.key}\` literally (${shown})`,
          fix: `read it from the environment: \`${field.key}: "{{ env_var('DBT_${target.name.toUpperCase()}_${field.key.toUpperCase()}') }}"\``,
        });
      }
    }
    const names = targets.map((t) => t.name.toLowerCase());
    for (const env of environments) {
      const aliases = TARGET_ALIASES[env.toLowerCase()] ?? [env.toLowerCase()];
      if (!names.some((n) => aliases.includes(n))) {
        out.push({
          path,
          line: outputsLine,
          code: 'missing-target',
          message: `profile \`${name}\` has no target for the ${env} environment (expected one of ${aliases.join(', ')})`,
          fix: `add a separate \`${aliases[0]}\` target whose credentials come from \`env_var\``,
        });
      }
    }
  }
  return out;
}
