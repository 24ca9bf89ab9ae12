import semver from 'semver';
import type { DbtProject } from '../formats/dbt-project.js';
import { CONFIG_FILE, settingLine } from '../formats/shipshape-config.js';
import { packagePinsOf, wholePackagePins } from '../pins.js';
import type { ParsedFiles } from '../parsed.js';
import { defineRule, type RuleContext } from '../rule.js';
import type { RuleFinding } from '../types.js';

interface Deployed {
  domain: string;
  dashboard: string;
  path: string;
  line: number;
  metaVersion?: { value: string; line: number };
  /** How it came to be deployed when this repository does not name it (a whole package enabled). */
  via?: string;
}

export interface DashboardsOptions {
  dashboards: { reports: string; deployed: string[]; 'require-version': boolean };
  core: { repository: string };
}

/** The files whose base versions a change is compared with. */
const isVersionFile = (path: string): boolean => /(^|\/)(dashboard\.ya?ml|dbt_project\.yml)$/.test(path);

export const dashboardsVersioned = defineRule<'dashboards-versioned', DashboardsOptions>({
  meta: {
    id: 'dashboards-versioned',
    description:
      'Every dashboard the store deploys has its report definition committed under `dashboards.reports` (and, with `require-version`, a version raised on change).',
    defaultLevel: 'error',
    formats: ['dbt-project', 'dashboard', 'shipshape-config'],
    reads: ['core.repository'],
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
      malformed: 'a `dashboards.deployed` entry that is not `<domain>/<dashboard>`',
      'no-version': 'with `require-version`, a deployed dashboard carries no version',
      'bad-version': 'with `require-version`, a dashboard version that is not a semantic version',
      'version-not-raised': "with `require-version`, a changed dashboard whose version is not above the base branch's",
    },
    docs: {
      details:
        "Every dashboard the store deploys is versioned in its git. A dashboard is deployed when `dbt_project.yml` enables it (`models: <project or core package>: dashboards: <domain>: <dashboard>: +enabled: true`; `+enabled` is inherited down the tree as in dbt, and `false` below overrides it) or `dashboards.deployed` lists it (`domain/dashboard`). Its report definition — a Power BI template `.pbit`, or a JSON/YAML dashboard definition — must be committed under `dashboards.reports`. A deployed dashboard without a report is an error on the line that enables it; a committed report whose dashboard is not enabled is a warning; a `.pbix` (which embeds data) is a warning. Each dbt project (each `dbt_project.yml`, templates and ignored folders left out) resolves `dashboards.reports` from its own folder, so a project in `store/` has its reports under `store/reporting/…`; `dashboards.deployed` applies to the outermost project. A whole domain enabled at once covers the dashboard folders found under the project's `models/dashboards/<domain>/`. When the core package is enabled as a whole (or a whole domain of it), which dashboards that covers is written in the core, not in the store: the app reads them from the core at the project's pin (the version tag or commit of the core's `git:` entry in that project's own packages.yml, one more read: the core's dbt project name and its `models/dashboards/<domain>/<dashboard>/` folders) and judges them like the store's own — each needs its report committed, unless the store turns it off under the core package. Offline (the CLI), or when the core cannot be read at that pin (no access, another host, no such tag), a committed report that may be one of them is never called \"not enabled\" — a note in the summary says it cannot be known. One unreadable `dbt_project.yml` only stops the judgement of its own project. With `dashboards.require-version: true`, each dashboard carries a semver (`version:` in `dashboard.yml` beside the report, or `+meta: { version }` in `dbt_project.yml`), and a pull request (or `shipshape check --base REF`) that changes a dashboard's files must raise it above the base's. Binary reports are never read, so a `.pbit` is never itself a finding.",
      failing:
        '# dbt_project.yml\nmodels:\n  core_dashboards_store:\n    dashboards:\n      emp:\n        absenteeism:\n          +enabled: true\n# …and nothing under reporting/emp/absenteeism/',
      fixed: '# dbt_project.yml as before, plus the template committed:\nreporting/emp/absenteeism/absenteeism.pbit',
      language: 'yaml',
    },
  },
  needs: {
    // The core's dashboards, at each pin of a project that enables the core (or a domain of it) as a whole.
    packages: (files, { core }, host) => wholePackagePins(files, core.repository, host),
    // Only dashboard versions compare a change with its base.
    base: { when: ({ dashboards }) => dashboards['require-version'], files: isVersionFile },
  },
  check(context) {
    const { files, options } = context;
    const settings = options.dashboards;
    const findings: RuleFinding[] = [];
    const projects = files.of('dbt-project').map((f) => ({ ...f, dir: f.path.slice(0, f.path.lastIndexOf('/') + 1) }));
    // `dashboards.deployed` belongs to the outermost project (the repository root when there is none).
    const outermost = [...projects].sort((a, b) => a.dir.split('/').length - b.dir.split('/').length)[0]?.dir ?? '';
    const dirs = projects.length ? projects : [{ dir: '', path: undefined, value: undefined, malformed: false }];
    const matchReport = reportMatcher(settings.reports);
    for (const project of dirs) {
      // An unreadable project file (the engine reports it) stops the judgement of its own folder only.
      if (project.malformed) continue;
      const { deployed, unknown } = deployedIn(project.dir, project.value, project.path, context);
      if (project.dir === outermost) findings.push(...configDeployed(settings.deployed, files, deployed));
      const reports = reportsUnder(project.dir, files.paths, matchReport);
      for (const d of deployed.values()) {
        const found = reports.get(`${d.domain}/${d.dashboard}`) ?? [];
        const folder =
          project.dir +
          settings.reports
            .replaceAll('{domain}', d.domain)
            .replaceAll('{dashboard}', d.dashboard)
            .replace(/\/?\*\*.*$/, '/');
        if (found.length === 0) {
          findings.push({
            path: d.path,
            line: d.line,
            code: 'no-report',
            message: `dashboard \`${d.domain}/${d.dashboard}\` is deployed${d.via ? ` (${d.via})` : ''} but its report definition is not committed under \`${folder}\``,
            fix: `commit its Power BI template (.pbit) or dashboard definition (JSON/YAML) under \`${folder}\``,
          });
          continue;
        }
        for (const pbix of found.filter((p) => p.toLowerCase().endsWith('.pbix'))) {
          findings.push({
            path: pbix,
            line: 1,
            code: 'pbix',
            maxSeverity: 'warning',
            message: `${pbix} is a .pbix, which embeds data; version the template instead`,
            fix: 'export it as a .pbit (File → Export → Power BI template) and commit that',
          });
        }
        if (settings['require-version']) findings.push(...versionFindings(d, found, folder, project.dir, context));
      }
      for (const [key, found] of reports) {
        if (deployed.has(key) || unknown(key)) continue;
        findings.push({
          path: found[0]!,
          line: 1,
          code: 'report-not-deployed',
          maxSeverity: 'warning',
          message: `a report for \`${key}\` is committed, but that dashboard is not enabled in ${project.path ?? 'dbt_project.yml'} nor listed in \`dashboards.deployed\``,
          fix: 'enable the dashboard, or remove the stale report',
        });
      }
    }
    return findings;
  },
});

/** What one project deploys, and which dashboards it may deploy without the list being in the repository. */
function deployedIn(dir: string, project: DbtProject | undefined, path: string | undefined, context: RuleContext<DashboardsOptions>) {
  const { files, facts, note } = context;
  const paths = files.paths;
  const deployed = new Map<string, Deployed>();
  const disabledIn = new Map<string, Set<string>>();
  const unknownScopes: Array<{ package: string; domain: string }> = [];
  if (!project || !path) return { deployed, unknown: () => false };
  for (const d of project.dashboards) {
    const key = `${d.domain}/${d.dashboard}`;
    if (d.enabled) deployed.set(key, { ...d, path });
    else disabledIn.set(key, (disabledIn.get(key) ?? new Set()).add(d.package));
  }
  const explicitlyOff = (key: string) => disabledIn.has(key) && !deployed.has(key);
  const wholePackage = (name: string) => project.wholeDomains.some((w) => w.package === name && w.domain === '*');
  for (const whole of project.wholeDomains) {
    for (const key of dashboardFoldersIn(paths, dir, whole.domain)) {
      if (!deployed.has(key) && !explicitlyOff(key))
        deployed.set(key, { domain: key.split('/')[0]!, dashboard: key.split('/')[1]!, path, line: whole.line });
    }
    if (whole.package !== project.name) {
      // Online, the package's own dashboards at the project's pin (read by the app): deployed unless this project turns them off.
      const read = packagePinsOf(files, dir, facts.host)
        .map((pin) => ({ pin, facts: facts.packageAt?.(pin.owner, pin.repo, pin.ref) }))
        .find((p) => p.facts?.name === whole.package);
      if (read?.facts) {
        const { pin } = read;
        const scope = whole.domain === '*' ? 'the whole package' : `the whole domain \`${whole.domain}\` of the package`;
        const via = `enabled through ${scope} \`${whole.package}\`, which holds it at \`${pin.owner}/${pin.repo}@${pin.ref}\``;
        const covered = read.facts.dashboards.filter((key) => whole.domain === '*' || key.startsWith(`${whole.domain}/`));
        for (const key of covered) {
          if (!deployed.has(key) && !disabledIn.get(key)?.has(whole.package))
            deployed.set(key, { domain: key.split('/')[0]!, dashboard: key.split('/')[1]!, path, line: whole.line, via });
        }
        if (whole.domain === '*' || !wholePackage(whole.package))
          note?.(
            `${path}:${whole.line} enables ${whole.domain === '*' ? 'every dashboard' : `the domain \`${whole.domain}\``} of the package \`${whole.package}\`: the ${covered.length} it holds at \`${pin.owner}/${pin.repo}@${pin.ref}\` were read from there`,
          );
        continue;
      }
      unknownScopes.push(whole);
      // One note per package: its whole `dashboards:` covers each of its domains.
      if (whole.domain !== '*' && wholePackage(whole.package)) continue;
      const what =
        whole.domain === '*'
          ? `every dashboard of the package \`${whole.package}\``
          : `the whole domain \`${whole.domain}\` of the package \`${whole.package}\``;
      note?.(
        `${path}:${whole.line} enables ${what}; which dashboards that covers is written in that package, not in this repository, so committed reports that may be among them are not called "not enabled" (this cannot be known here)`,
      );
    }
  }
  const unknown = (key: string) => {
    const [domain] = key.split('/');
    return unknownScopes.some((s) => (s.domain === '*' || s.domain === domain) && !disabledIn.get(key)?.has(s.package));
  };
  return { deployed, unknown };
}

/** `dashboards.deployed` entries: each `<domain>/<dashboard>`, added where dbt_project.yml does not already deploy it. */
function configDeployed(entries: readonly string[], files: ParsedFiles, deployed: Map<string, Deployed>): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const positions = files.of('shipshape-config')[0]?.value;
  for (const entry of entries) {
    const [domain, dashboard, ...rest] = entry.split('/');
    const line = settingLine(positions, 'dashboards.deployed', entry);
    if (!domain || !dashboard || rest.length) {
      findings.push({
        path: CONFIG_FILE,
        line,
        code: 'malformed',
        message: `\`dashboards.deployed\` entry \`${entry}\` is not \`<domain>/<dashboard>\``,
      });
      continue;
    }
    if (!deployed.has(entry)) deployed.set(entry, { domain, dashboard, path: CONFIG_FILE, line });
  }
  return findings;
}

/** Dashboards present as folders of a project: `<dir>models/dashboards/<domain>/<dashboard>/…` (plain string work: names are input). */
function dashboardFoldersIn(paths: readonly string[], dir: string, domain: string): string[] {
  const found = new Set<string>();
  const prefix = `${dir}models/dashboards/`;
  for (const p of paths) {
    if (!p.startsWith(prefix)) continue;
    const [d, board, ...rest] = p.slice(prefix.length).split('/');
    if (d && board && rest.length && (domain === '*' || d === domain)) found.add(`${d}/${board}`);
  }
  return [...found].sort();
}

/**
 * The reports pattern as one regular expression with `domain` and `dashboard` groups, compiled once: the
 * pattern's literal parts are escaped, and keys from dbt_project.yml never become part of a pattern.
 */
function reportMatcher(pattern: string): (relative: string) => { domain: string; dashboard: string } | undefined {
  const source = pattern
    .split(/(\{domain\}|\{dashboard\}|\*\*|\*)/)
    .map(
      (part) =>
        ({ '{domain}': '(?<domain>[^/]+)', '{dashboard}': '(?<dashboard>[^/]+)', '**': '.+', '*': '[^/]*' })[part] ??
        part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  const re = new RegExp(`^${source}$`);
  return (relative) => {
    const g = re.exec(relative)?.groups;
    return g?.domain && g.dashboard ? { domain: g.domain, dashboard: g.dashboard } : undefined;
  };
}

/** `domain/dashboard` → the committed report files under one project's folder. */
function reportsUnder(dir: string, paths: readonly string[], match: ReturnType<typeof reportMatcher>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of paths) {
    if (!p.startsWith(dir)) continue;
    const m = match(p.slice(dir.length));
    if (!m) continue;
    const key = `${m.domain}/${m.dashboard}`;
    out.set(key, [...(out.get(key) ?? []), p]);
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

function versionFindings(
  d: Deployed,
  reports: string[],
  folder: string,
  dir: string,
  { files, change }: RuleContext<DashboardsOptions>,
): RuleFinding[] {
  const name = `${d.domain}/${d.dashboard}`;
  const current = versionOf(d, reports, files);
  if (!current)
    return [
      {
        path: d.path,
        line: d.line,
        code: 'no-version',
        message: `dashboard \`${name}\` carries no version; \`dashboards.require-version\` is on`,
        fix: `add \`version: X.Y.Z\` to \`${folder}dashboard.yml\` (or \`+meta: { version: X.Y.Z }\` under the dashboard in dbt_project.yml)`,
      },
    ];
  if (!semver.valid(current.value))
    return [
      {
        path: current.path,
        line: current.line,
        code: 'bad-version',
        message: `dashboard \`${name}\` has version \`${current.value}\`, which is not a semantic version`,
        fix: 'write it as X.Y.Z',
      },
    ];
  if (!change) return [];
  const models = `${dir}models/dashboards/${d.domain}/${d.dashboard}/`;
  const touched = change.changedPaths.some((p) => p.startsWith(folder) || p.startsWith(models));
  if (!touched) return [];
  const baseReports = change.base.paths.filter((p) => p.startsWith(folder));
  const before = versionOf(d, baseReports, change.base);
  if (!before || !semver.valid(before.value)) return []; // a new dashboard: any valid version
  if (semver.gt(current.value, before.value)) return [];
  return [
    {
      path: current.path,
      line: current.line,
      code: 'version-not-raised',
      message: `dashboard \`${name}\` changed but its version stays ${current.value} (base branch: ${before.value})`,
      fix: `raise it above ${before.value}, e.g. ${semver.inc(before.value, 'patch')}`,
    },
  ];
}
