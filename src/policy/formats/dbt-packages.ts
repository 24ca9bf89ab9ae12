/** packages.yml / dependencies.yml → typed package entries with their lines. */
import { isMap, isSeq, type YAMLSeq } from 'yaml';
import { DBT_DUPLICATE, duplicateKeyError, parseYaml, pairOf, scalarText } from '../../core/yaml.js';
import { defineFormat, type FormatError } from './format.js';

export const DBT_PACKAGE_FILES = ['**/packages.yml', '**/dependencies.yml'];

export interface Located<T> {
  value: T;
  line: number;
  column?: number;
}

export type DbtPackage =
  | {
      kind: 'git';
      line: number;
      url: Located<string>;
      revision?: Located<string>;
      warnUnpinnedFalse?: { line: number };
    }
  | { kind: 'hub'; line: number; name: Located<string>; versions: Located<string>[]; versionLine?: number; versionIsList: boolean }
  | { kind: 'local' | 'tarball' | 'private' | 'project' | 'unknown'; line: number; name?: string };

export interface DbtPackagesFile {
  packages: DbtPackage[];
  /** Set when the file cannot be read as a dbt packages file at all. */
  error?: FormatError;
}

export const dbtPackagesFormat = defineFormat({
  id: 'dbt-packages',
  description: 'dbt packages file',
  files: DBT_PACKAGE_FILES,
  parse: (text, path) => {
    const { packages, error } = extractDbtPackages(text, path);
    return { value: packages, error };
  },
});

/** The packages of one file; `path` names the file in a duplicate-key error. */
export function extractDbtPackages(text: string, path = 'packages.yml'): DbtPackagesFile {
  const parsed = parseYaml(text);
  const { doc, lineOf, error } = parsed;
  if (error) return { packages: [], error };
  const root = doc.contents;
  // Not a mapping with `packages:` or `projects:`: some other tool's packages.yml, nothing to judge.
  if (!isMap(root)) return { packages: [] };
  const packagesPair = pairOf(root, 'packages');
  const projectsPair = pairOf(root, 'projects');
  if (!packagesPair && !projectsPair) return { packages: [] };

  const packages: DbtPackage[] = [];
  if (packagesPair && packagesPair.value !== null && !isSeq(packagesPair.value)) {
    return { packages, error: { line: lineOf(packagesPair.key), message: '`packages:` must be a list of packages' } };
  }
  for (const item of (packagesPair?.value as YAMLSeq | null)?.items ?? []) {
    packages.push(readEntry(item, lineOf, parsed.columnOf));
  }
  for (const item of (projectsPair?.value as YAMLSeq | null)?.items ?? []) {
    packages.push({ kind: 'project', line: lineOf(item) });
  }
  // Read as dbt reads it (the last copy), and reported: which copy was meant cannot be known.
  return { packages, error: duplicateKeyError(parsed.duplicates, path, DBT_DUPLICATE.counts, DBT_DUPLICATE.why) };
}

function readEntry(item: unknown, lineOf: (n: unknown) => number, columnOf: (n: unknown) => number): DbtPackage {
  const line = lineOf(item);
  if (!isMap(item)) return { kind: 'unknown', line };
  const map = item;
  const at = (key: string) => pairOf(map, key);

  const git = at('git');
  if (git) {
    const revision = at('revision');
    const warn = at('warn-unpinned');
    const revisionText = revision ? scalarText(revision.value) : undefined;
    return {
      kind: 'git',
      line: lineOf(git.key),
      url: { value: scalarText(git.value) ?? '', line: lineOf(git.value ?? git.key) },
      revision:
        revision && revisionText !== undefined
          ? { value: revisionText, line: lineOf(revision.value), column: columnOf(revision.value) }
          : undefined,
      warnUnpinnedFalse: warn && scalarText(warn.value)?.toLowerCase() === 'false' ? { line: lineOf(warn.key) } : undefined,
    };
  }
  const hub = at('package');
  if (hub) {
    const version = at('version');
    const versions: Located<string>[] = [];
    let versionIsList = false;
    if (version && isSeq(version.value)) {
      versionIsList = true;
      for (const v of version.value.items) versions.push({ value: scalarText(v) ?? '', line: lineOf(v), column: columnOf(v) });
    } else if (version) {
      const v = scalarText(version.value);
      if (v !== undefined) versions.push({ value: v, line: lineOf(version.value), column: columnOf(version.value) });
    }
    return {
      kind: 'hub',
      line: lineOf(hub.key),
      name: { value: scalarText(hub.value) ?? '', line: lineOf(hub.value ?? hub.key) },
      versions,
      versionLine: version ? lineOf(version.key) : undefined,
      versionIsList,
    };
  }
  for (const kind of ['local', 'tarball', 'private'] as const) {
    if (at(kind)) return { kind, line, name: scalarText(at(kind)?.value) };
  }
  return { kind: 'unknown', line };
}
