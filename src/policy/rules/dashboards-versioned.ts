import picomatch from 'picomatch';
import semver from 'semver';
import { CONFIG_FILE, settingLine } from '../formats/shipshape-config.js';
import type { ParsedFiles } from '../parsed.js';
import { defineRule, type RuleContext } from '../rule.js';
import type { RuleFinding } from '../types.js';

interface Deployed {
  domain: string;
  dashboard: string;
  path: string;
  line: number;
  metaVersion?: { value: string; line: number };
}

export interface DashboardsOptions {
  dashboards: { reports: string; deployed: string[]; 'require-version': boolean };
}

export const dashboardsVersioned = defineRule<'dashboards-versioned', DashboardsOptions>({
  meta: {
    id: 'dashboards-versioned',
    description: 'Every dashboard the store deploys has its report definition committed under `dashboards.reports` (and, with `require-version`, a version raised on change).',
    defaultLevel: 'error',
    formats: ['dbt-project', 'dashboard', 'shipshape-config'],
    options: {
      dashboards: {
        type: 'object',
        additionalProperties: false,
        default: {},
        properties: {
          reports: { type: 'string', minLength: 1, default: 'reporting/{domain}/{dashboard}/**' },
          deployed: { type: 'array', items: { type: 'string' }, default: [] },
          'require-version': { type: 'boolean', default: false },
        },
      },
    },
    messages: {
      'no-report': 'a deployed dashboard has no report definition committed under `dashboards.reports`',
      'report-not-deployed': 'a committed report whose dashboard is neither enabled nor listed in `dashboards.deployed` (a warning)',
      pbix: 'a `.pbix`, which embeds data, instead of a `.pbit` template (a warning)',
      'unknown-dashboards': 'a whole domain is enabled, so only the dashboard folders found in the store are checked (a warning)',
      malformed: 'a `dashboards.deployed` entry that is not `<domain>/<dashboard>`',
      'no-version': 'with `require-version`, a deployed dashboard carries no version',
      'bad-version': 'with `require-version`, a dashboard version that is not a semantic version',
      'version-not-raised': 'with `require-version`, a changed dashboard whose version is not above the base branch\'s',
    },
    docs: {
      details:
        'Every dashboard the store deploys is versioned in its git. A dashboard is deployed when `dbt_project.yml` enables it (`models: <project or core package>: dashboards: <domain>: <dashboard>: +enabled: true`; `+enabled` is inherited down the tree as in dbt, and `false` below overrides it) or `dashboards.deployed` lists it (`domain/dashboard`). Its report definition — a Power BI template `.pbit`, or a JSON/YAML dashboard definition — must be committed under `dashboards.reports`. A deployed dashboard without a report is an error on the line that enables it; a committed report whose dashboard is not enabled is a warning; a `.pbix` (which embeds data) is a warning. A whole domain enabled at once covers the dashboard folders found under `models/dashboards/<domain>/`, with a warning that the core\'s own list is not in the repository. With `dashboards.require-version: true`, each dashboard carries a semver (`version:` in `dashboard.yml` beside the report, or `+meta: { version }` in `dbt_project.yml`), and a pull request (or `shipshape check --base REF`) that changes a dashboard\'s files must raise it above the base\'s. Binary reports are never read, so a `.pbit` is never itself a finding.',
      failing: '# dbt_project.yml\nmodels:\n  core_dashboards_store:\n    dashboards:\n      emp:\n        absenteeism:\n          +enabled: true\n# …and nothing under reporting/emp/absenteeism/',
      fixed: '# dbt_project.yml as before, plus the template committed:\nreporting/emp/absenteeism/absenteeism.pbit',
      language: 'yaml',
    },
  },
  check(context) {
    const { files, options } = context;
    const settings = options.dashboards;
    const findings: RuleFinding[] = [];
    const deployed = new Map<string, Deployed>();
    const disabled = new Set<string>();
    let unreadableProject = false;
    for (const file of files.of('dbt-project')) {
      if (file.malformed) {
        unreadableProject = true;
        continue;
      }
      const project = file.value;
      for (const d of project.dashboards) {
        const key = `${d.domain}/${d.dashboard}`;
        if (d.enabled) deployed.set(key, { ...d, path: file.path });
        else disabled.add(key);
      }
      for (const whole of project.wholeDomains) {
        const found = dashboardFoldersIn(files.paths, whole.domain).filter((k) => !deployed.has(k) && !disabled.has(k));
        for (const key of found) {
          const [domain, dashboard] = key.split('/') as [string, string];
          deployed.set(key, { domain, dashboard, path: file.path, line: whole.line });
        }
        const what = whole.domain === '*' ? 'every dashboard domain' : `the whole domain \`${whole.domain}\``;
        findings.push({ path: file.path, line: whole.line, code: 'unknown-dashboards', maxSeverity: 'warning', message: `${file.path} enables ${what}; the core's dashboards are not in this repository, so only the ${found.length} found under models/dashboards/ are checked`, fix: 'enable dashboards one by one, or list them in `dashboards.deployed`' });
      }
    }
    const positions = files.of('shipshape-config')[0]?.value;
    for (const entry of settings.deployed) {
      const [domain, dashboard] = entry.split('/');
      const line = settingLine(positions, 'dashboards.deployed', entry);
      if (!domain || !dashboard) {
        findings.push({ path: CONFIG_FILE, line, code: 'malformed', message: `\`dashboards.deployed\` entry \`${entry}\` is not \`<domain>/<dashboard>\`` });
        continue;
      }
      if (!deployed.has(entry)) deployed.set(entry, { domain, dashboard, path: CONFIG_FILE, line });
    }

    const pattern = settings.reports;
    const reportsOf = (domain: string, dashboard: string) => {
      const isMatch = picomatch(pattern.replaceAll('{domain}', domain).replaceAll('{dashboard}', dashboard), { dot: true });
      return files.paths.filter((p) => isMatch(p));
    };
    for (const d of deployed.values()) {
      const reports = reportsOf(d.domain, d.dashboard);
      const folder = pattern.replaceAll('{domain}', d.domain).replaceAll('{dashboard}', d.dashboard).replace(/\/?\*\*.*$/, '/');
      if (reports.length === 0) {
        findings.push({ path: d.path, line: d.line, code: 'no-report', message: `dashboard \`${d.domain}/${d.dashboard}\` is deployed but its report definition is not committed under \`${folder}\``, fix: `commit its Power BI template (.pbit) or dashboard definition (JSON/YAML) under \`${folder}\`` });
        continue;
      }
      for (const pbix of reports.filter((p) => p.toLowerCase().endsWith('.pbix'))) {
        findings.push({ path: pbix, line: 1, code: 'pbix', maxSeverity: 'warning', message: `${pbix} is a .pbix, which embeds data; version the template instead`, fix: 'export it as a .pbit (File → Export → Power BI template) and commit that' });
      }
      if (settings['require-version']) findings.push(...versionFindings(d, reports, folder, context));
    }
    // With a dbt_project.yml unreadable, what is deployed is unknown: do not call reports stale.
    for (const [key, first] of unreadableProject ? [] : reportFolders(files.paths, pattern)) {
      if (!deployed.has(key)) findings.push({ path: first, line: 1, code: 'report-not-deployed', maxSeverity: 'warning', message: `a report for \`${key}\` is committed, but that dashboard is not enabled in dbt_project.yml nor listed in \`dashboards.deployed\``, fix: 'enable the dashboard, or remove the stale report' });
    }
    return findings;
  },
});

/** Dashboards present as folders of the store: `models/dashboards/<domain>/<dashboard>/…`. */
function dashboardFoldersIn(paths: readonly string[], domain: string): string[] {
  const found = new Set<string>();
  for (const p of paths) {
    const m = /(?:^|\/)models\/dashboards\/([^/]+)\/([^/]+)\//.exec(p);
    if (m && (domain === '*' || m[1] === domain)) found.add(`${m[1]}/${m[2]}`);
  }
  return [...found].sort();
}

/** `domain/dashboard` → first committed report file, from the paths that fit the reports pattern. */
function reportFolders(paths: readonly string[], pattern: string): Map<string, string> {
  const source = pattern
    .split(/(\{domain\}|\{dashboard\}|\*\*|\*)/)
    .map((part) => ({ '{domain}': '(?<domain>[^/]+)', '{dashboard}': '(?<dashboard>[^/]+)', '**': '.+', '*': '[^/]*' })[part] ?? part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('');
  const re = new RegExp(`^${source}$`);
  const out = new Map<string, string>();
  for (const p of paths) {
    const g = re.exec(p)?.groups;
    if (g?.domain && g.dashboard && !out.has(`${g.domain}/${g.dashboard}`)) out.set(`${g.domain}/${g.dashboard}`, p);
  }
  return out;
}

interface FoundVersion {
  value: string;
  path: string;
  line: number;
}

/** The dashboard's version in `files`: `version:` of a dashboard.yml among its reports, else dbt `meta.version`. */
function versionOf(d: Deployed, reports: readonly string[], files: ParsedFiles): FoundVersion | undefined {
  const file = files.of('dashboard').find((f) => reports.includes(f.path) && f.value.version);
  if (file?.value.version) return { ...file.value.version, path: file.path };
  for (const project of files.of('dbt-project')) {
    const node = project.value.dashboards.find((n) => n.domain === d.domain && n.dashboard === d.dashboard && n.metaVersion);
    if (node?.metaVersion) return { ...node.metaVersion, path: project.path };
  }
  return undefined;
}

function versionFindings(d: Deployed, reports: string[], folder: string, { files, change }: RuleContext<DashboardsOptions>): RuleFinding[] {
  const name = `${d.domain}/${d.dashboard}`;
  const current = versionOf(d, reports, files);
  if (!current) return [{ path: d.path, line: d.line, code: 'no-version', message: `dashboard \`${name}\` carries no version; \`dashboards.require-version\` is on`, fix: `add \`version: 1.0.0\` to \`${folder}dashboard.yml\` (or \`+meta: { version: 1.0.0 }\` under the dashboard in dbt_project.yml)` }];
  if (!semver.valid(current.value)) return [{ path: current.path, line: current.line, code: 'bad-version', message: `dashboard \`${name}\` has version \`${current.value}\`, which is not a semantic version`, fix: 'write it as X.Y.Z' }];
  if (!change) return [];
  const touched = change.changedPaths.some((p) => p.startsWith(folder) || new RegExp(`(^|/)models/dashboards/${d.domain}/${d.dashboard}/`).test(p));
  if (!touched) return [];
  const baseReports = change.base.paths.filter((p) => p.startsWith(folder));
  const before = versionOf(d, baseReports, change.base);
  if (!before || !semver.valid(before.value)) return []; // a new dashboard: any valid version
  if (semver.gt(current.value, before.value)) return [];
  return [{ path: current.path, line: current.line, code: 'version-not-raised', message: `dashboard \`${name}\` changed but its version stays ${current.value} (base branch: ${before.value})`, fix: `raise it above ${before.value}, e.g. ${semver.inc(before.value, 'patch')}` }];
}
