/**
 * Every text file where credentials get committed → the credential-like things in it, with their lines:
 * well-known token shapes, passwords in connection URLs, and literal, long, high-entropy values of keys
 * named like secrets (`*SECRET*`, `*_KEY`, `*TOKEN*`, `*PASSWORD*`) in YAML, `.env`, compose, INI/cfg,
 * shell and Dockerfile `ENV`/`ARG` lines. Never the value itself: only its kind and place. Line by line,
 * with bounded or linear patterns, so adversarial text cannot stall the scan.
 */
import { isReference, urlCredentials } from '../mask.js';
import { defineFormat } from './format.js';
import { DOCKERFILES } from './dockerfile.js';
import { TOKEN_SHAPES } from './token-shapes.js';

/** `.env`, `.env.*`, `*.env`; the `*.example|*.sample|*.template|*.dist` variants hold placeholders. */
export const ENV_FILES = ['**/.env', '**/.env.*', '**/*.env'];
const EXAMPLE_ENV = /\.(?:example|sample|template|dist)$/i;

/** Text files where credentials get committed: configs of every kind, keys, scripts, DAGs, Dockerfiles. */
export const SECRET_SCANNED_FILES = [
  ...ENV_FILES,
  '**/*.yml',
  '**/*.yaml',
  '**/*.ini',
  '**/*.cfg',
  '**/*.conf',
  '**/*.toml',
  '**/*.properties',
  '**/*.sh',
  '**/*.bash',
  '**/*.zsh',
  '**/*.pem',
  '**/*.key',
  '**/id_rsa',
  '**/id_ecdsa',
  '**/id_ed25519',
  '**/*credentials*.json',
  '**/*service*account*.json',
  '**/*keyfile*.json',
  '**/dags/**/*.py',
  ...DOCKERFILES,
];

export type SecretKind = 'token' | 'url-password' | 'secret-value';

export interface SecretHit {
  line: number;
  kind: SecretKind;
  /** What it is, never its value: `GitHub token`, `password in a connection URL`, `value of FERNET_KEY`. */
  name: string;
}

/** Any text can be scanned, so nothing is malformed here; files over the size cap are skipped quietly. */
export const secretShapesFormat = defineFormat({
  id: 'secret-shapes',
  description: 'file scanned for credentials',
  files: SECRET_SCANNED_FILES,
  textOnly: true,
  parse: (text, path) => ({ value: scanForSecrets(text, { placeholdersOnly: EXAMPLE_ENV.test(path) }) }),
});

export function scanForSecrets(text: string, opts: { placeholdersOnly?: boolean } = {}): SecretHit[] {
  const hits: SecretHit[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    for (const shape of TOKEN_SHAPES) {
      shape.pattern.lastIndex = 0;
      if (shape.pattern.test(raw)) hits.push({ line, kind: 'token', name: shape.name });
    }
    // Example files hold placeholders: only the well-known shapes count there.
    if (opts.placeholdersOnly) return;
    for (const c of urlCredentials(raw)) {
      const colon = c.userinfo.indexOf(':');
      const password = colon >= 0 ? c.userinfo.slice(colon + 1) : '';
      if (password.length >= 3 && !isReference(password) && !isPlaceholder(password) && !isReference(c.userinfo))
        hits.push({ line, kind: 'url-password', name: 'password in a connection URL' });
      else if (colon < 0 && looksRandom(c.userinfo)) hits.push({ line, kind: 'url-password', name: 'token in a URL' });
    }
    const assignment = assignmentOf(raw);
    if (assignment && SECRET_NAME.test(assignment.key) && !NOT_A_SECRET_NAME.test(assignment.key) && looksRandom(assignment.value)) {
      hits.push({ line, kind: 'secret-value', name: `literal value of \`${assignment.key}\`` });
    }
  });
  return hits;
}

/** Key names that hold secrets: `*SECRET*`, `*TOKEN*`, `*PASSWORD*`, `*_KEY`, `API_KEY`… (any case). */
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|_KEY$|^KEY$/i;
/** …unless they name where a secret is, not the secret: `SECRET_KEY_FILE`, `TOKEN_URL`, `PASSWORD_MIN_LENGTH`. */
const NOT_A_SECRET_NAME =
  /_(?:FILE|PATH|DIR|URL|URI|NAME|ID|ENV|VAR|LENGTH|LEN|TTL|EXPIRY|EXPIRES|TIMEOUT|HEADER|TYPE|FIELD|PORT|HOST|ENABLED)$/i;

// Start-anchored, every quantifier bounded or followed by a distinct character: linear per line.
const EQUALS =
  /^[ \t]{0,200}(?:-[ \t]{1,20})?(?:export[ \t]+|ENV[ \t]+|ARG[ \t]+|set[ \t]+)?["']?([A-Za-z_][A-Za-z0-9_.-]{0,200})["']?[ \t]{0,20}=(.*)$/i;
const COLON = /^[ \t]{0,200}(?:-[ \t]{1,20})?["']?([A-Za-z_][A-Za-z0-9_.-]{0,200})["']?[ \t]{0,20}:[ \t](.*)$/;
const DOCKER_ENV_SPACE = /^[ \t]{0,200}ENV[ \t]+([A-Za-z_][A-Za-z0-9_]{0,200})[ \t]+([^=]*)$/i;

/** `KEY=value`, `KEY: value`, `export KEY=value`, `ENV KEY value`, `- KEY=value` → key and bare value. */
export function assignmentOf(line: string): { key: string; value: string } | undefined {
  const m = EQUALS.exec(line) ?? COLON.exec(line) ?? DOCKER_ENV_SPACE.exec(line);
  if (!m) return undefined;
  return { key: m[1]!, value: bareValue(m[2]!) };
}

function bareValue(raw: string): string {
  const v = raw.trim();
  const quote = v[0];
  if ((quote === '"' || quote === "'") && v.indexOf(quote, 1) > 0) return v.slice(1, v.indexOf(quote, 1));
  const comment = v.search(/\s#/);
  return (comment >= 0 ? v.slice(0, comment) : v).trim();
}

const PLACEHOLDER =
  /changeme|change[_-]me|placeholder|example|dummy|sample|your[_-]|redacted|replace[_-]?me|todo|fixme|insert|secret[_-]?here|password|xxxx|\*\*\*|\.\.\.|<|>/i;
export const isPlaceholder = (value: string): boolean => /^(.)\1*$/.test(value) || PLACEHOLDER.test(value);

/** Literal, long and random-looking: not a reference, a placeholder, a number, a boolean, a path or a URL. */
export function looksRandom(value: string): boolean {
  if (value.length < 16 || value.length > 4096 || /\s/.test(value)) return false;
  if (isReference(value) || value.includes('{{') || value.includes('${') || isPlaceholder(value)) return false;
  if (/^(?:true|false|yes|no|on|off|null|none)$/i.test(value) || /^[\d.:,_-]+$/.test(value)) return false;
  if (value.includes('://') || /^[./~]/.test(value)) return false;
  const hasDigit = /\d/.test(value);
  const mixedCase = /[a-z]/.test(value) && /[A-Z]/.test(value);
  return (hasDigit || mixedCase) && entropy(value) >= 3.3;
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
