import semver from 'semver';
import { releasesOf } from '../../core/version.js';
import { type DbtPackage } from '../formats/dbt-packages.js';
import { classifyRevision, githubRepoOf, HAS_JINJA, type GitHubRepoRef } from '../formats/refs.js';
import { gitPackagesOn, resolvable } from '../pins.js';
import { defineRule } from '../rule.js';
import type { Lookups, RefFacts, RuleFinding } from '../types.js';

const EXACT_HUB_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** The fix for an unpinned git package, from the data: its repository's newest release online, else a release tag of that repository. */
export function releaseHint(gh: GitHubRepoRef | undefined, facts: RefFacts): string {
  if (!gh) return 'pin it to a release tag of that repository or a full 40-character commit SHA';
  const newest = releasesOf(facts.tags(gh.owner, gh.repo) ?? [])[0];
  return newest
    ? `pin it to \`${newest.raw}\`, the newest release of ${gh.owner}/${gh.repo} (or a full 40-character commit SHA)`
    : `pin it to a release tag of ${gh.owner}/${gh.repo} or a full 40-character commit SHA`;
}

export const dbtPackagesPinned = defineRule({
  meta: {
    id: 'dbt-packages-pinned',
    description: 'dbt packages are pinned: git packages to a tag or full commit SHA, hub packages to one exact version.',
    defaultLevel: 'error',
    formats: ['dbt-packages'],
    messages: {
      unpinned: 'a git package on a branch, a short SHA or no revision; a hub package with a range or no version',
      'warn-unpinned-false': "`warn-unpinned: false` silences dbt's own warning about an unpinned package",
      'missing-ref': "online: the revision is neither a tag, a branch nor a commit of the package's repository",
      unverifiable: 'the revision or version comes from Jinja, so the pin cannot be verified (a warning)',
    },
    docs: {
      details:
        "`packages.yml` and `dependencies.yml`, at any depth (vendored `dbt_packages/` excluded). A git package needs a `revision` that is a tag or a full 40-character commit SHA; a branch (`main`, `develop`, `HEAD`, `feature/x` — dbt itself only warns about `main`/`master`), a short SHA or a missing revision fails. Online, GitHub decides whether a revision is a tag or a branch. `warn-unpinned: false` is a finding of its own. A hub package needs one exact version (a list holding one exact version counts); a range fails. Fixes come from the data: online, the newest release tag of the package's own repository; offline, \"a release tag of owner/repo\"; for a range, an exact version inside it. URLs are printed with their credentials, query tokens and Jinja defaults masked. Jinja in the revision or version (`{{ env_var('BRANCH') }}`) cannot be verified and is a warning; Jinja that only puts a token in the URL is fine.",
      failing:
        'packages:\n  - git: "https://github.com/dbt-labs/dbt-utils.git"\n    revision: main\n  - package: calogica/dbt_expectations\n    version: [">=0.8.0", "<0.9.0"]',
      fixed:
        'packages:\n  - git: "https://github.com/dbt-labs/dbt-utils.git"\n    revision: 1.1.1\n  - package: calogica/dbt_expectations\n    version: 0.8.5',
      language: 'yaml',
    },
  },
  needs: {
    // Online: whether each git revision is a tag or a branch; for a pin that will likely need fixing
    // (a branch, a short SHA), its repository's tags give the fix (its newest release).
    lookups(files) {
      const out: Lookups = { refs: [], tagLists: [] };
      for (const { gh, rev } of gitPackagesOn(files)) {
        if (resolvable(rev)) out.refs.push({ ...gh, ref: rev });
        const kind = rev && !HAS_JINJA.test(rev) ? classifyRevision(rev) : 'branch';
        if (kind === 'branch' || kind === 'short-sha') out.tagLists.push(gh);
      }
      return out;
    },
  },
  check({ files, facts }) {
    const findings: RuleFinding[] = [];
    for (const file of files.of('dbt-packages')) {
      for (const pkg of file.value) findings.push(...judgePackage(pkg, facts).map((f) => ({ ...f, path: file.path })));
    }
    return findings;
  },
});

type Partial = Omit<RuleFinding, 'path'>;

function judgePackage(pkg: DbtPackage, facts: RefFacts): Partial[] {
  if (pkg.kind === 'git') return judgeGit(pkg, facts);
  if (pkg.kind === 'hub') return judgeHub(pkg);
  return [];
}

function judgeGit(pkg: Extract<DbtPackage, { kind: 'git' }>, facts: RefFacts): Partial[] {
  const out: Partial[] = [];
  const gh = githubRepoOf(pkg.url.value);
  const name = gh ? `${gh.owner}/${gh.repo}` : pkg.url.value;
  const rev = pkg.revision;
  const PIN_HINT = releaseHint(gh, facts);
  if (!rev || rev.value.trim() === '') {
    out.push({
      line: pkg.line,
      code: 'unpinned',
      message: `git package \`${name}\` has no \`revision\`, so dbt installs whatever its default branch holds`,
      fix: `add \`revision:\` and ${PIN_HINT}`,
    });
  } else if (HAS_JINJA.test(rev.value)) {
    out.push({
      line: rev.line,
      column: rev.column,
      code: 'unverifiable',
      maxSeverity: 'warning',
      message: `git package \`${name}\` takes its revision from Jinja (\`${rev.value}\`), so the pin cannot be verified`,
      fix: `write the revision literally and ${PIN_HINT}`,
    });
  } else {
    const online = gh ? facts.refKind(gh.owner, gh.repo, rev.value) : 'unknown';
    const offline = classifyRevision(rev.value);
    const problem = revisionProblem(rev.value, online, offline, name, PIN_HINT);
    if (problem) out.push({ line: rev.line, column: rev.column, ...problem });
  }
  if (pkg.warnUnpinnedFalse) {
    out.push({
      line: pkg.warnUnpinnedFalse.line,
      code: 'warn-unpinned-false',
      message: `\`warn-unpinned: false\` on \`${name}\` silences dbt's own warning about unpinned packages`,
      fix: 'remove `warn-unpinned: false` and pin the package',
    });
  }
  return out;
}

function revisionProblem(
  rev: string,
  online: ReturnType<RefFacts['refKind']>,
  offline: ReturnType<typeof classifyRevision>,
  name: string,
  PIN_HINT: string,
): Omit<Partial, 'line'> | undefined {
  // `object(expression: "abc1234")` resolves a short SHA too: it stays ambiguous however GitHub answers.
  if ((online === 'tag' || online === 'commit') && offline !== 'short-sha') return undefined;
  if (online === 'branch')
    return { code: 'unpinned', message: `git package \`${name}\` is pinned to branch \`${rev}\`, which moves`, fix: PIN_HINT };
  if (online === 'missing' && offline !== 'short-sha')
    return {
      code: 'missing-ref',
      message: `revision \`${rev}\` of git package \`${name}\` is neither a tag, a branch nor a commit of that repository`,
      fix: PIN_HINT,
    };
  switch (offline) {
    case 'commit':
    case 'version-tag':
      return undefined;
    case 'short-sha':
      return {
        code: 'unpinned',
        message: `git package \`${name}\` is pinned to the short SHA \`${rev}\`, which can become ambiguous`,
        fix: 'use the full 40-character commit SHA',
      };
    case 'branch':
      return {
        code: 'unpinned',
        message: `git package \`${name}\` is pinned to \`${rev}\`, which is a branch name, not a tag or a full commit SHA`,
        fix: PIN_HINT,
      };
  }
}

function judgeHub(pkg: Extract<DbtPackage, { kind: 'hub' }>): Partial[] {
  const name = pkg.name.value;
  if (pkg.versions.length === 0) {
    return [
      {
        line: pkg.versionLine ?? pkg.line,
        code: 'unpinned',
        message: `hub package \`${name}\` has no \`version\`, so dbt installs the newest`,
        fix: `add \`version:\` with one exact version (a release of ${name} from hub.getdbt.com)`,
      },
    ];
  }
  const first = pkg.versions[0]!;
  if (pkg.versions.some((v) => HAS_JINJA.test(v.value))) {
    return [
      {
        line: first.line,
        column: first.column,
        code: 'unverifiable',
        maxSeverity: 'warning',
        message: `hub package \`${name}\` takes its version from Jinja, so the pin cannot be verified`,
        fix: 'write one exact version literally',
      },
    ];
  }
  // A list holding one exact version (`["1.1.1"]`) is exact.
  const exact = pkg.versions.length === 1 && EXACT_HUB_VERSION.test(first.value.trim());
  if (exact) return [];
  const shown = pkg.versionIsList ? `[${pkg.versions.map((v) => JSON.stringify(v.value)).join(', ')}]` : `\`${first.value}\``;
  return [
    {
      line: first.line,
      column: first.column,
      code: 'unpinned',
      message: `hub package \`${name}\` allows a range of versions (${shown})`,
      fix: rangeHint(
        name,
        pkg.versions.map((v) => v.value),
      ),
    },
  ];
}

/** An exact version inside the range (its lowest, by semver), or what to look for when the range is not semver. */
export function rangeHint(name: string, clauses: readonly string[]): string {
  const range = semver.validRange(clauses.map((c) => c.trim()).join(' '));
  const lowest = range ? semver.minVersion(range) : null;
  const what = clauses.length > 1 ? 'these bounds' : 'this range';
  return lowest && semver.satisfies(lowest, range!)
    ? `pin one exact version that ${what} allows, e.g. ${lowest.version} (its lowest), or the newest release of ${name} inside it`
    : `pin one exact version of ${name} that ${what} allows`;
}
