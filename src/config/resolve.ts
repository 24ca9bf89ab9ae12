/**
 * From config file contents to the configuration that applies: org defaults ← `_extends` chain ← the
 * repository's file. Pure except for `loadExtends`, which the caller backs with GitHub or the disk.
 */
import type { FileContent } from '../core/files.js';
import { mergeLayers, parseConfigLayer, withDefaults, type ConfigError, type RawConfig } from './load.js';
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

export interface ConfigInputs {
  owner: string;
  repoFile?: { file: string; content: FileContent };
  orgFile?: { file: string; content: FileContent };
  loadExtends?: (target: ExtendsTarget) => Promise<FileContent | undefined>;
}

export async function resolveConfig(inputs: ConfigInputs): Promise<ConfigOutcome> {
  if (!inputs.repoFile && !inputs.orgFile) return { kind: 'absent' };
  const errors: ConfigError[] = [];
  const sources: string[] = [];
  const layers: RawConfig[] = [];

  const read = (file: string, content: FileContent): RawConfig | undefined => {
    if (content.kind !== 'text') {
      errors.push({ file, line: 1, message: content.kind === 'binary' ? 'is not a text file' : 'is larger than 1 MB' });
      return undefined;
    }
    const parsed = parseConfigLayer({ file, text: content.text });
    if (!parsed.ok) errors.push(...parsed.errors);
    else sources.push(file);
    return parsed.ok ? parsed.value : undefined;
  };

  if (inputs.orgFile) {
    const org = read(inputs.orgFile.file, inputs.orgFile.content);
    if (org) layers.push(org);
  }
  if (inputs.repoFile) {
    const own = read(inputs.repoFile.file, inputs.repoFile.content);
    if (own) layers.push(...(await extendsChain(own, inputs, read, errors, inputs.repoFile.file)), own);
  }
  if (errors.length) return { kind: 'invalid', errors };
  const config = withDefaults(mergeLayers(...layers));
  return config.enabled ? { kind: 'ok', config, sources } : { kind: 'disabled', config };
}

async function extendsChain(
  start: RawConfig,
  inputs: ConfigInputs,
  read: (file: string, content: FileContent) => RawConfig | undefined,
  errors: ConfigError[],
  startFile: string,
): Promise<RawConfig[]> {
  const chain: RawConfig[] = [];
  let current = start;
  let file = startFile;
  for (let depth = 0; typeof current._extends === 'string'; depth++) {
    const target = parseExtends(current._extends, inputs.owner);
    if (!target) {
      errors.push({ file, line: 1, message: `\`_extends: ${current._extends}\` is not \`repo\`, \`owner/repo\` or \`owner/repo:path.yml\`` });
      break;
    }
    if (depth >= MAX_EXTENDS_DEPTH) {
      errors.push({ file, line: 1, message: `\`_extends\` goes more than ${MAX_EXTENDS_DEPTH} levels deep (a cycle?)` });
      break;
    }
    const name = `${target.owner}/${target.repo}:${target.path}`;
    const content = inputs.loadExtends ? await inputs.loadExtends(target) : undefined;
    if (!content) {
      errors.push({ file, line: 1, message: `\`_extends: ${current._extends}\` names ${name}, which does not exist or is not readable by the app` });
      break;
    }
    const next = read(name, content);
    if (!next) break;
    chain.unshift(next);
    current = next;
    file = name;
  }
  return chain;
}
