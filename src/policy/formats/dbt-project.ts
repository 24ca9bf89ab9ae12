/**
 * dbt_project.yml → the dashboards it enables. Stores enable the core's dashboards under
 * `models: <package or project>: dashboards: <domain>: <dashboard>: +enabled: true`; `+enabled` is
 * inherited down the tree as dbt does, and a lower level overrides it.
 */
import { isMap } from 'yaml';
import { DBT_DUPLICATE, duplicateKeyError, pairOf, parseYaml, scalarText } from '../../core/yaml.js';
import { defineFormat } from './format.js';

export interface DashboardNode {
  /** The `models:` key it sits under: the project itself or a package (the core). */
  package: string;
  domain: string;
  dashboard: string;
  enabled: boolean;
  /** The line that decides `enabled` (its own `+enabled`, or the inherited one), else the dashboard's key. */
  line: number;
  /** `+meta: { version }` / `meta: { version }` when present. */
  metaVersion?: { value: string; line: number };
}

export interface EnabledDomain {
  package: string;
  domain: string;
  line: number;
}

export interface DbtProject {
  name?: string;
  dashboards: DashboardNode[];
  /** Domains (or all of `dashboards`, as domain `*`) enabled as a whole: their dashboards are the folders found. */
  wholeDomains: EnabledDomain[];
  error?: { line: number; message: string };
}

export const dbtProjectFormat = defineFormat({
  id: 'dbt-project',
  description: 'dbt project file',
  files: ['**/dbt_project.yml'],
  parse: (text, path) => {
    const { error, ...value } = extractDbtProject(text, path);
    return { value, error };
  },
});

const ENABLED_KEYS = ['+enabled', 'enabled'];
const META_KEYS = ['+meta', 'meta'];

/** The dashboards one file enables; `path` names the file in a duplicate-key error. */
export function extractDbtProject(text: string, path = 'dbt_project.yml'): DbtProject {
  const { doc, lineOf, error, duplicates } = parseYaml(text);
  if (error) return { dashboards: [], wholeDomains: [], error };
  const root = doc.contents;
  const name = scalarText(pairOf(root, 'name')?.value);
  const models = pairOf(root, 'models')?.value;
  const duplicate = duplicateKeyError(duplicates, path, DBT_DUPLICATE.counts, DBT_DUPLICATE.why);
  const out: DbtProject = { name, dashboards: [], wholeDomains: [], ...(duplicate ? { error: duplicate } : {}) };
  if (!isMap(models)) return out;

  const enabledOf = (node: unknown): { value: boolean; line: number } | undefined => {
    for (const key of ENABLED_KEYS) {
      const p = pairOf(node, key);
      const v = p ? scalarText(p.value)?.toLowerCase() : undefined;
      if (p && (v === 'true' || v === 'false')) return { value: v === 'true', line: lineOf(p.key) };
    }
    return undefined;
  };
  const children = (node: unknown) =>
    isMap(node)
      ? node.items.filter(
          (p) => !(scalarText(p.key) ?? '+').startsWith('+') && ENABLED_KEYS.concat(META_KEYS).every((k) => scalarText(p.key) !== k),
        )
      : [];

  for (const pkg of models.items) {
    const packageName = scalarText(pkg.key) ?? '';
    const pkgInherited = enabledOf(pkg.value);
    const dashboardsPair = pairOf(pkg.value, 'dashboards');
    if (!dashboardsPair) {
      // `<package>: +enabled: true` with no `dashboards:` below enables every dashboard of the package.
      if (pkgInherited?.value) out.wholeDomains.push({ package: packageName, domain: '*', line: pkgInherited.line });
      continue;
    }
    const dashInherited = enabledOf(dashboardsPair.value) ?? pkgInherited;
    const domains = children(dashboardsPair.value);
    if (dashInherited?.value) out.wholeDomains.push({ package: packageName, domain: '*', line: dashInherited.line });
    for (const domainPair of domains) {
      const domain = scalarText(domainPair.key)!;
      const domainOwn = enabledOf(domainPair.value);
      const domainEnabled = domainOwn ?? dashInherited;
      const boards = children(domainPair.value);
      if (domainEnabled?.value) out.wholeDomains.push({ package: packageName, domain, line: domainEnabled.line });
      for (const boardPair of boards) {
        const own = enabledOf(boardPair.value);
        const decided = own ?? domainEnabled;
        const meta = META_KEYS.map((k) => pairOf(boardPair.value, k)).find(Boolean);
        const version = meta ? pairOf(meta.value, 'version') : undefined;
        const versionText = version ? scalarText(version.value) : undefined;
        out.dashboards.push({
          package: packageName,
          domain,
          dashboard: scalarText(boardPair.key)!,
          enabled: decided?.value ?? false,
          line: own?.line ?? lineOf(boardPair.key),
          metaVersion: version && versionText !== undefined ? { value: versionText, line: lineOf(version.value) } : undefined,
        });
      }
    }
  }
  return out;
}
