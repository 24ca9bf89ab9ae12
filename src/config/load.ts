/**
 * Turning the text of `shipshape.yml` files into a validated configuration. Pure: the GitHub side
 * (src/github/config-source.ts) and the CLI hand it texts; it never fetches.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isSeq, isScalar, isPair } from 'yaml';
import { TextCache } from '../core/memo.js';
import { parseYaml, writtenTwice } from '../core/yaml.js';
import { CONFIG_SCHEMA, type ShipshapeConfig } from './schema.js';
import { suggest } from './suggest.js';

export const CONFIG_PATH = '.github/shipshape.yml';

export interface ConfigError {
  file: string;
  line: number;
  message: string;
}

export interface ConfigLayer {
  /** Where the text came from, as shown in messages: `.github/shipshape.yml`, `acme/.github:.github/shipshape.yml`. */
  file: string;
  text: string;
}

export type RawConfig = Record<string, unknown>;
export type ParsedLayer = { ok: true; value: RawConfig } | { ok: false; errors: ConfigError[] };

// The schema is checked against JSON Schema's meta-schema by a test, not at every start: compiling the
// meta-schema was a third of the CLI's start-up.
const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false, validateSchema: false });
const validateShape = ajv.compile(CONFIG_SCHEMA);
const applyDefaults = new Ajv({ strict: false, useDefaults: true, validateSchema: false }).compile(CONFIG_SCHEMA);

const layerCache = new TextCache<ParsedLayer>(64);

/** Parse and validate one file. Every problem names the file, the line and what to do. Cached by file and text (read-only). */
export function parseConfigLayer(layer: ConfigLayer): ParsedLayer {
  return layerCache.get(layer.file, layer.text, () => parseUncached(layer));
}

function parseUncached(layer: ConfigLayer): ParsedLayer {
  const parsed = parseYaml(layer.text);
  if (parsed.error) {
    return { ok: false, errors: [{ file: layer.file, line: parsed.error.line, message: `invalid YAML: ${parsed.error.message}` }] };
  }
  // Every copy counts: a rule listed twice would silently take the second level.
  const duplicates = parsed.duplicates.map((d) => ({
    file: layer.file,
    line: d.second,
    message: `${writtenTwice(d, layer.file)}; keep one (YAML keys must be unique)`,
  }));
  if (duplicates.length) return { ok: false, errors: duplicates };
  let value: unknown;
  try {
    value = parsed.doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    return { ok: false, errors: [{ file: layer.file, line: 1, message: `cannot read YAML: ${(err as Error).message}` }] };
  }
  if (value === null || value === undefined) return { ok: true, value: {} }; // an empty file is "all defaults"
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      errors: [
        { file: layer.file, line: 1, message: 'the configuration must be a mapping of keys (e.g. `rules:`), not a list or a single value' },
      ],
    };
  }
  if (validateShape(value)) return { ok: true, value: value as RawConfig };
  const errors = dedupe(validateShape.errors ?? []).map((e) => ({
    file: layer.file,
    line: lineForError(parsed.doc.contents, e, parsed.lineOf),
    message: describe(e),
  }));
  return { ok: false, errors };
}

/** Later layers win key by key; lists are replaced, not concatenated (as in Probot's config merge). */
export function mergeLayers(...layers: RawConfig[]): RawConfig {
  const merge = (a: unknown, b: unknown): unknown => {
    if (isPlainObject(a) && isPlainObject(b)) {
      const out: Record<string, unknown> = { ...a };
      for (const [k, v] of Object.entries(b)) out[k] = k in out ? merge(out[k], v) : v;
      return out;
    }
    return b === undefined ? a : b;
  };
  return layers.reduce<RawConfig>((acc, layer) => merge(acc, layer) as RawConfig, {});
}

export function withDefaults(raw: RawConfig): ShipshapeConfig {
  const copy = structuredClone(raw);
  delete copy._extends;
  applyDefaults(copy);
  return copy as unknown as ShipshapeConfig;
}

export const defaultConfig = (): ShipshapeConfig => withDefaults({});

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `if/then` produce a second, vaguer error beside the precise one; keep the precise ones. */
function dedupe(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => e.keyword !== 'if');
}

/** What a string under a `pattern` must look like, by where it is (longest prefix first); the default is `core.repository`'s. */
const PATTERN_HINTS: ReadonlyArray<readonly [string, string]> = [
  ['release.tag-pattern', 'be `semver` or a tag with one `{version}` in it, such as `release-{version}`'],
  ['audit.repositories', 'be a repository name of this organization (letters, digits, `.`, `-`, `_`), not `owner/name`'],
];

function describe(e: ErrorObject): string {
  const where = e.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : 'the top level';
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(e.params.additionalProperty);
      const known = Object.keys(schemaAt(e.schemaPath) ?? {});
      const guess = suggest(key, known);
      const hint = guess ? `; did you mean \`${guess}\`?` : `; known keys: ${known.join(', ')}`;
      return `unknown key \`${key}\` in ${where}${hint}`;
    }
    case 'enum':
      return `${where} must be one of ${(e.params.allowedValues as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`;
    case 'type':
      return `${where} must be ${article(String(e.params.type))}`;
    case 'required':
      return `${where} needs \`${String(e.params.missingProperty)}\``;
    case 'pattern':
      return `${where} must ${PATTERN_HINTS.find(([prefix]) => where.startsWith(prefix))?.[1] ?? 'look like `owner/repository`'}`;
    default:
      return `${where} ${e.message ?? 'is invalid'}`;
  }
}

const article = (type: string) =>
  ({ array: 'a list', object: 'a mapping', integer: 'a whole number', boolean: 'true or false', string: 'a string' })[type] ?? type;

/** The `properties` object of the schema node that an ajv schemaPath like `#/properties/rules/additionalProperties` names. */
function schemaAt(schemaPath: string): Record<string, unknown> | undefined {
  let node: unknown = CONFIG_SCHEMA;
  for (const part of schemaPath.replace(/^#\//, '').split('/').slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[part];
  return (node as { properties?: Record<string, unknown> } | undefined)?.properties;
}

function lineForError(root: unknown, e: ErrorObject, lineOf: (node: unknown) => number): number {
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (e.keyword === 'additionalProperties') parts.push(String(e.params.additionalProperty));
  let node: unknown = root;
  let line = lineOf(root);
  for (const part of parts) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === part);
      if (!pair) break;
      line = lineOf(pair.key);
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(part)];
      line = node ? lineOf(node) : line;
    } else break;
  }
  return line || 1;
}
