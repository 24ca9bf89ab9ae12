import picomatch from 'picomatch';
import semver from 'semver';
import { extractDbtProject } from '../extract/dbt-project.js';
import { lineContaining, pairOf, parseYaml, scalarText } from '../extract/yaml-positions.js';
import type { FileSnapshot, Rule, RuleContext, RuleFinding } from '../types.js';

const CONFIG_FILE = '.github/shipshape.yml';

interface Deployed {
  domain: string;
  dashboard: string;
  path: string;
  line: number;
  metaVersion?: { value: string; line: number };
}

export const dashboardsVersioned: Rule = {
  id: 'dashboards-versioned',
  description: 'Every dashboard the store deploys has its report definition committed under `dashboards.reports` (and, with `require-version`, a version raised on change).',
  files: ['**/dbt_project.yml', '**/dashboard.yml', '**/dashboard.yaml', CONFIG_FILE],
  docs: {
    failing: '# dbt_project.yml\nmodels:\n  core_dashboards_store:\n    dashboards:\n      emp:\n        absenteeism:\n          +enabled: true\n# …and nothing under reporting/emp/absenteeism/',
    fixed: '# dbt_project.yml as before, plus the template committed:\nreporting/emp/absenteeism/absenteeism.pbit',
  },
  check(context) {
    const { files, snapshot, config } = context;
    const findings: RuleFinding[] = [];
    const deployed = new Map<string, Deployed>();
    const disabled = new Set<string>();
    let unreadableProject = false;
    for (const file of files.filter((f) => f.path === 'dbt_project.yml' || f.path.endsWith('/dbt_project.yml'))) {
      const project = extractDbtProject(file.text);
      if (project.error) {
        findings.push({ path: file.path, line: project.error.line, code: 'malformed', message: `cannot read ${file.path}: ${project.error.message}` });
        unreadableProject = true;
        continue;
      }
      for (const d of project.dashboards) {
        const key = `${d.domain}/${d.dashboard}`;
        if (d.enabled) deployed.set(key, { ...d, path: file.path });
        else disabled.add(key);
      }
      for (const whole of project.wholeDomains) {
        const found = dashboardFoldersIn(snapshot, whole.domain).filter((k) => !deployed.has(k) && !disabled.has(k));
        for (const key of found) {
          const [domain, dashboard] = key.split('/') as [string, string];
          deployed.set(key, { domain, dashboard, path: file.path, line: whole.line });
        }
        const what = whole.domain === '*' ? 'every dashboard domain' : `the whole domain \`${whole.domain}\``;
        findings.push({ path: file.path, line: whole.line, code: 'unknown-dashboards', maxSeverity: 'warning', message: `${file.path} enables ${what}; the core's dashboards are not in this repository, so only the ${found.length} found under models/dashboards/ are checked`, fix: 'enable dashboards one by one, or list them in `dashboards.deployed`' });
      }
    }
    const configText = files.find((f) => f.path === CONFIG_FILE)?.text;
    for (const entry of config.dashboards.deployed) {
      const [domain, dashboard] = entry.split('/');
      if (!domain || !dashboard) {
        findings.push({ path: CONFIG_FILE, line: lineContaining(configText, entry), code: 'malformed', message: `\`dashboards.deployed\` entry \`${entry}\` is not \`<domain>/<dashboard>\`` });
        continue;
      }
      if (!deployed.has(entry)) deployed.set(entry, { domain, dashboard, path: CONFIG_FILE, line: lineContaining(configText, entry) });
    }

    const pattern = config.dashboards.reports;
    const reportsOf = (domain: string, dashboard: string) => {
      const isMatch = picomatch(pattern.replaceAll('{domain}', domain).replaceAll('{dashboard}', dashboard), { dot: true });
      return snapshot.paths.filter((p) => isMatch(p));
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
      if (config.dashboards['require-version']) findings.push(...versionFindings(d, reports, folder, context));
    }
    // With a dbt_project.yml unreadable, what is deployed is unknown: do not call reports stale.
    for (const [key, first] of unreadableProject ? [] : reportFolders(snapshot, pattern)) {
      if (!deployed.has(key)) findings.push({ path: first, line: 1, code: 'report-not-deployed', maxSeverity: 'warning', message: `a report for \`${key}\` is committed, but that dashboard is not enabled in dbt_project.yml nor listed in \`dashboards.deployed\``, fix: 'enable the dashboard, or remove the stale report' });
    }
    return findings;
  },
};

/** Dashboards present as folders of the store: `models/dashboards/<domain>/<dashboard>/…`. */
function dashboardFoldersIn(snapshot: FileSnapshot, domain: string): string[] {
  const found = new Set<string>();
  for (const p of snapshot.paths) {
    const m = /(?:^|\/)models\/dashboards\/([^/]+)\/([^/]+)\//.exec(p);
    if (m && (domain === '*' || m[1] === domain)) found.add(`${m[1]}/${m[2]}`);
  }
  return [...found].sort();
}

/** `domain/dashboard` → first committed report file, from the paths that fit the reports pattern. */
function reportFolders(snapshot: FileSnapshot, pattern: string): Map<string, string> {
  const source = pattern
    .split(/(\{domain\}|\{dashboard\}|\*\*|\*)/)
    .map((part) => ({ '{domain}': '(?<domain>[^/]+)', '{dashboard}': '(?<dashboard>[^/]+)', '**': '.+', '*': '[^/]*' })[part] ?? part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('');
  const re = new RegExp(`^${source}$`);
  const out = new Map<string, string>();
  for (const p of snapshot.paths) {
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

function versionOf(d: Deployed, reports: string[], read: (p: string) => string | undefined): FoundVersion | undefined {
  const file = reports.find((p) => /(^|\/)dashboard\.ya?ml$/.test(p));
  if (file) {
    const text = read(file);
    if (text !== undefined) {
      const { doc, lineOf } = parseYaml(text);
      const pair = pairOf(doc.contents, 'version');
      const value = pair ? scalarText(pair.value) : undefined;
      if (pair && value !== undefined) return { value, path: file, line: lineOf(pair.value) };
    }
  }
  return d.metaVersion ? { value: d.metaVersion.value, path: d.path, line: d.metaVersion.line } : undefined;
}

function versionFindings(d: Deployed, reports: string[], folder: string, { snapshot, change }: RuleContext): RuleFinding[] {
  const textOf = (s: FileSnapshot) => (p: string) => {
    const c = s.content(p);
    return c?.kind === 'text' ? c.text : undefined;
  };
  const name = `${d.domain}/${d.dashboard}`;
  const current = versionOf(d, reports, textOf(snapshot));
  if (!current) return [{ path: d.path, line: d.line, code: 'no-version', message: `dashboard \`${name}\` carries no version; \`dashboards.require-version\` is on`, fix: `add \`version: 1.0.0\` to \`${folder}dashboard.yml\` (or \`+meta: { version: 1.0.0 }\` under the dashboard in dbt_project.yml)` }];
  if (!semver.valid(current.value)) return [{ path: current.path, line: current.line, code: 'bad-version', message: `dashboard \`${name}\` has version \`${current.value}\`, which is not a semantic version`, fix: 'write it as X.Y.Z' }];
  if (!change) return [];
  const touched = change.changedPaths.some((p) => p.startsWith(folder) || new RegExp(`(^|/)models/dashboards/${d.domain}/${d.dashboard}/`).test(p));
  if (!touched) return [];
  const baseReports = change.base.paths.filter((p) => p.startsWith(folder));
  const before = versionOf(d, baseReports, textOf(change.base));
  if (!before || !semver.valid(before.value)) return []; // a new dashboard: any valid version
  if (semver.gt(current.value, before.value)) return [];
  return [{ path: current.path, line: current.line, code: 'version-not-raised', message: `dashboard \`${name}\` changed but its version stays ${current.value} (base branch: ${before.value})`, fix: `raise it above ${before.value}, e.g. ${semver.inc(before.value, 'patch')}` }];
}
