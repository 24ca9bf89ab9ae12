/** Well-known credential shapes in configs and code, and masking so a finding never repeats a secret. */
import { defineFormat } from './format.js';

/** Files where credentials get committed: configs, keys, DAGs, workflows, Dockerfiles, dbt files. */
export const SECRET_SCANNED_FILES = ['**/profiles.yml', '**/profiles.yaml', '**/.env', '**/.env.*', '**/*.pem', '**/*.key', '**/id_rsa', '**/id_ecdsa', '**/id_ed25519', '**/*credentials*.json', '**/*service*account*.json', '**/*keyfile*.json', '**/*.cfg', '**/*.ini', '**/*.conf', '.github/workflows/*.y*ml', '**/dbt_project.yml', '**/packages.yml', '**/dags/**/*.py', '**/Dockerfile', '**/docker-compose*.y*ml'];

/** Any text can be scanned, so nothing is malformed here; binary files are reported by the engine. */
export const secretShapesFormat = defineFormat({
  id: 'secret-shapes',
  description: 'file scanned for credential shapes',
  files: SECRET_SCANNED_FILES,
  parse: (text) => ({ value: scanForSecrets(text) }),
});

export interface SecretShape {
  name: string;
  pattern: RegExp;
}

export const SECRET_SHAPES: SecretShape[] = [
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { name: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/g },
  { name: 'Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g },
  { name: 'Slack webhook URL', pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]+/g },
  { name: 'private key', pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/g },
  // scheme://user:password@host, unless the password is a reference (${…}, {{ … }}, $VAR, %(…)s).
  { name: 'password in a connection URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]+:(?![$%{*<])[^\s@/'"]{3,}@[^\s/'"]+/gi },
];

/** Text that names a secret instead of holding one: `{{ env_var('X') }}`, `${{ secrets.X }}`, `${X}`, `$X`. */
export const isReference = (value: string): boolean => /^\s*(\{\{.*\}\}|\$\{\{.*\}\}|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|%\(.+\)s|<[^>]+>|\*+|x+|changeme|)\s*$/i.test(value);

/** `ghp_abcdef…` → `ghp_****…` with the length: enough to find it, never enough to use it. */
export function mask(secret: string): string {
  const keep = secret.length > 12 ? 4 : 0;
  return `${secret.slice(0, keep)}${'*'.repeat(Math.min(8, secret.length - keep))} (${secret.length} characters)`;
}

export interface SecretHit {
  line: number;
  name: string;
  masked: string;
}

export function scanForSecrets(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const shape of SECRET_SHAPES) {
      for (const m of line.matchAll(shape.pattern)) {
        const masked = shape.name === 'private key' ? 'a PEM private key block' : shape.name === 'password in a connection URL' ? m[0].replace(/:\/\/([^:]+):[^@]+@/, '://$1:****@') : mask(m[0]);
        hits.push({ line: i + 1, name: shape.name, masked });
      }
    }
  });
  return hits;
}
