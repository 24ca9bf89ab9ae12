/**
 * Which configuration governs a repository at a commit — the one answer for the policy check, the audit,
 * pipelines and releases, in the app and the CLI: the org's defaults (`<owner>/.github`, with their own
 * `_extends` chain) ← the repository's `_extends` chain ← the repository's file. Pure and synchronous:
 * the caller fetches the texts (GitHub in the app, the disk in the CLI), asking `extendsToFetch` which
 * `_extends` files it still needs.
 */
import type { FileContent } from '../core/files.js';
import { CONFIG_PATH, mergeLayers, parseConfigLayer, withDefaults, type ConfigError, type RawConfig } from './load.js';
import type { ShipshapeConfig } from './schema.js';

export type ConfigOutcome =
  | { kind: 'absent' }
  | { kind: 'disabled'; config: ShipshapeConfig }
  | { kind: 'invalid'; errors: ConfigError[] }
  | { kind: 'ok'; config: ShipshapeConfig; sources: string[] };

export interface ExtendsTarget {
  owner: string;
  repo: string;
  path: string;
}

const EXTENDS = /^(?:([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/)?([\w.-]+)(?::([\w./-]+\.ya?ml))?$/;
const MAX_EXTENDS_DEPTH = 3;

export function parseExtends(value: string, defaultOwner: string): ExtendsTarget | undefined {
  const m = EXTENDS.exec(value.trim());
  if (!m) return undefined;
  return { owner: m[1] ?? defaultOwner, repo: m[2]!, path: m[3] ?? '.github/shipshape.yml' };
}

export const extendsKey = (t: ExtendsTarget): string => `${t.owner}/${t.repo}:${t.path}`;

/** The configuration files as fetched; nothing here is fetched by the resolver. */
export interface ConfigTexts {
  owner: string;
  repoFile?: { file: string; content: FileContent };
  orgFile?: { file: string; content: FileContent };
  /** Files named by `_extends`, by `extendsKey`: their content, or null when they do not exist. */
  extended?: Readonly<Record<string, FileContent | null>>;
  /** false: `_extends` is not followed (a pull request's proposed file is validated alone). */
  followExtends?: boolean;
}

/** The org's defaults as messages name the file: `<owner>/.github:.github/shipshape.yml`. */
export const orgConfigFile = (owner: string): string => `${owner}/.github:${CONFIG_PATH}`;

/**
 * The texts that govern a repository of `owner`: its own file (at the commit whose policy applies; named
 * `repoFile`, `.github/shipshape.yml` unless the CLI's `--config` names another) over the org's.
 */
export function governingTexts(
  owner: string,
  files: { repo?: FileContent; org?: FileContent; repoFile?: string; extended?: ConfigTexts['extended'] },
): ConfigTexts {
  return {
    owner,
    repoFile: files.repo ? { file: files.repoFile ?? CONFIG_PATH, content: files.repo } : undefined,
    orgFile: files.org ? { file: orgConfigFile(owner), content: files.org } : undefined,
    extended: files.extended,
  };
}

export function resolveConfig(texts: ConfigTexts): ConfigOutcome {
  if (!texts.repoFile && !texts.orgFile) return { kind: 'absent' };
  const errors: ConfigError[] = [];
  const sources: string[] = [];
  const layers: RawConfig[] = [];
  const read = reader(errors, sources);
  if (texts.orgFile) {
    const org = read(texts.orgFile.file, texts.orgFile.content);
    if (org) {
      // The org's file may itself extend a shared one: the organization's own, trusted, always followed.
      const { chain, missing } = walkExtends(org, texts, quietReader(read, errors), errors, texts.orgFile.file);
      for (const t of missing)
        errors.push({ file: texts.orgFile.file, line: 1, message: `\`_extends\` names ${extendsKey(t)}, which was not read` });
      layers.push(...chain, org);
    }
  }
  if (texts.repoFile) {
    const own = read(texts.repoFile.file, texts.repoFile.content);
    if (own && texts.followExtends === false) layers.push(own);
    else if (own) {
      const { chain, missing } = walkExtends(own, texts, quietReader(read, errors), errors, texts.repoFile.file);
      // The caller gathers every file `extendsToFetch` names; one left out must not vanish silently.
      for (const t of missing)
        errors.push({ file: texts.repoFile.file, line: 1, message: `\`_extends\` names ${extendsKey(t)}, which was not read` });
      layers.push(...chain, own);
    }
  }
  if (errors.length) return { kind: 'invalid', errors };
  const config = withDefaults(mergeLayers(...layers));
  return config.enabled ? { kind: 'ok', config, sources } : { kind: 'disabled', config };
}

/** The next `_extends` file the resolver would read and that is not among the fetched texts yet. */
export function extendsToFetch(texts: ConfigTexts): ExtendsTarget[] {
  const missing = (layer: ConfigTexts['repoFile']) => {
    const raw = layer && reader([], [])(layer.file, layer.content);
    return raw ? walkExtends(raw, texts, reader([], []), [], layer.file).missing : [];
  };
  return [...missing(texts.orgFile), ...(texts.followExtends === false ? [] : missing(texts.repoFile))];
}

function reader(errors: ConfigError[], sources: string[]) {
  return (file: string, content: FileContent): RawConfig | undefined => {
    if (content.kind !== 'text') {
      errors.push({ file, line: 1, message: content.kind === 'binary' ? 'is not a text file' : 'is larger than 1 MB' });
      return undefined;
    }
    const parsed = parseConfigLayer({ file, text: content.text });
    if (!parsed.ok) errors.push(...parsed.errors);
    else sources.push(file);
    return parsed.ok ? parsed.value : undefined;
  };
}

/**
 * Files that `_extends` names belong to other repositories: a problem in one is reported without echoing
 * its content (its keys or values), which the repository being checked may not be allowed to see.
 */
function quietReader(read: (file: string, content: FileContent) => RawConfig | undefined, errors: ConfigError[]) {
  return (file: string, content: FileContent): RawConfig | undefined => {
    const before = errors.length;
    const value = read(file, content);
    const found = errors.splice(before);
    if (found.length)
      errors.push({
        file,
        line: 1,
        message: `is not a valid Shipshape configuration (${found.length} problem${found.length > 1 ? 's' : ''}); fix it in its own repository`,
      });
    return value;
  };
}

function walkExtends(
  start: RawConfig,
  texts: ConfigTexts,
  read: (file: string, content: FileContent) => RawConfig | undefined,
  errors: ConfigError[],
  startFile: string,
): { chain: RawConfig[]; missing: ExtendsTarget[] } {
  const chain: RawConfig[] = [];
  let current = start;
  let file = startFile;
  for (let depth = 0; typeof current._extends === 'string'; depth++) {
    const target = parseExtends(current._extends, texts.owner);
    if (!target) {
      errors.push({
        file,
        line: 1,
        message: `\`_extends: ${current._extends}\` is not \`repo\`, \`owner/repo\` or \`owner/repo:path.yml\``,
      });
      break;
    }
    if (depth >= MAX_EXTENDS_DEPTH) {
      errors.push({ file, line: 1, message: `\`_extends\` goes more than ${MAX_EXTENDS_DEPTH} levels deep (a cycle?)` });
      break;
    }
    const name = extendsKey(target);
    if (texts.extended?.[name] === undefined) return { chain, missing: [target] };
    const content = texts.extended[name];
    if (!content) {
      errors.push({
        file,
        line: 1,
        message: `\`_extends: ${current._extends}\` names ${name}, which does not exist or is not readable by the app`,
      });
      break;
    }
    const next = read(name, content);
    if (!next) break;
    chain.unshift(next);
    current = next;
    file = name;
  }
  return { chain, missing: [] };
}
