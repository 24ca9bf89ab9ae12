import { compareVersions, parseVersion, releasesOf, sameVersion } from '../../core/version.js';
import { canonicalImageName, instructionText } from '../formats/dockerfile.js';
import { classifyRevision, githubRepoOf, HAS_JINJA, sameRepo } from '../formats/refs.js';
import { gitPackagesOn, resolvable } from '../pins.js';
import { defineRule } from '../rule.js';
import type { Lookups, RefFacts, RuleFinding } from '../types.js';

interface CorePin {
  path: string;
  line: number;
  column?: number;
  revision?: string;
}

export interface CoreOptions {
  core: { repository: string; image: string; 'allow-behind': number };
}

export const corePinned = defineRule<'core-pinned', CoreOptions>({
  meta: {
    id: 'core-pinned',
    description:
      'The store pins the core (`core.repository`) to an existing release tag, not lagging too far, and builds on the core image of that same release.',
    defaultLevel: 'error',
    formats: ['dbt-packages', 'dockerfile'],
    options: {
      core: {
        type: 'object',
        additionalProperties: false,
        default: {},
        properties: {
          repository: { type: 'string', pattern: '^[\\w.-]+/[\\w.-]+$', default: 'Sciance-Inc/core.dashboards_store' },
          image: { type: 'string', minLength: 1, default: 'ghcr.io/sciance-inc/core.dashboards_store' },
          'allow-behind': { type: 'integer', minimum: 0, default: 2 },
        },
      },
    },
    messages: {
      unpinned: 'the core is on a branch or has no revision',
      unverifiable: "the core's revision comes from Jinja, so its release cannot be verified (a warning)",
      'not-a-release': 'the core is pinned to something that is not a release tag',
      prerelease: 'the core is pinned to a pre-release (a warning)',
      'missing-tag': 'online: the pinned tag does not exist in `core.repository`',
      behind: 'online: the pin lags more than `core.allow-behind` releases behind the newest (a warning)',
      'image-not-release': 'a Dockerfile builds on the core image with a tag that is not a release',
      'image-mismatch': 'a Dockerfile builds on a core image release other than the one packages.yml pins',
    },
    docs: {
      details:
        'The package whose git URL names `core.repository` (ssh, https or token-in-URL, any case, with or without `.git`) is pinned to a tag that exists there and is a release (`v0.7.0+20230926`; build metadata is ignored when comparing; a pre-release is a warning). Lagging more than `core.allow-behind` releases is a warning that names the newest. A Dockerfile `FROM core.image` must use the release that `packages.yml` pins (image tags drop the `+date`), never `develop`, `main` or `latest`.',
      failing:
        'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: develop\n# Dockerfile\nFROM ghcr.io/sciance-inc/core.dashboards_store:latest',
      fixed:
        'packages:\n  - git: "git@github.com:Sciance-Inc/core.dashboards_store.git"\n    revision: v0.7.0+20230926\n# Dockerfile\nFROM ghcr.io/sciance-inc/core.dashboards_store:v0.7.0',
      language: 'yaml',
    },
  },
  needs: {
    // Online: the core's releases (is the pin one, how far behind), and whether its revision is a tag.
    lookups(files, { core }) {
      const out: Lookups = { refs: [], tagLists: [] };
      const [owner, repo] = core.repository.split('/') as [string, string];
      for (const { gh, rev } of gitPackagesOn(files)) {
        if (!sameRepo(gh, core.repository)) continue;
        if (resolvable(rev)) out.refs.push({ ...gh, ref: rev });
        out.tagLists.push({ owner, repo });
      }
      return out;
    },
  },
  check({ files, options, facts }) {
    const core = options.core;
    const [owner, repo] = core.repository.split('/') as [string, string];
    const findings: RuleFinding[] = [];
    const pins: CorePin[] = [];
    for (const file of files.of('dbt-packages')) {
      for (const pkg of file.value) {
        if (pkg.kind !== 'git') continue;
        const gh = githubRepoOf(pkg.url.value);
        if (!gh || !sameRepo(gh, core.repository)) continue;
        const pin: CorePin = {
          path: file.path,
          line: pkg.revision?.line ?? pkg.line,
          column: pkg.revision?.column,
          revision: pkg.revision?.value.trim() || undefined,
        };
        pins.push(pin);
        findings.push(...judgePin(pin, owner, repo, core['allow-behind'], facts));
      }
    }
    const pinned = pins.map((p) => p.revision).filter((r): r is string => !!r && !!parseVersion(r));
    for (const file of files.of('dockerfile')) {
      for (const from of file.value) {
        if (from.kind !== 'image' || canonicalImageName(from.image.name) !== canonicalImageName(core.image)) continue;
        const tag = from.image.tag;
        const at = { path: file.path, line: from.line };
        if (!tag || !parseVersion(tag)) {
          const what = tag ? `the tag \`${tag}\`, which is not a release` : 'no release tag';
          findings.push({
            ...at,
            code: 'image-not-release',
            message: `\`${instructionText(from)}\` builds on the core image with ${what}`,
            fix: pinned[0]
              ? `use \`${core.image}:${withoutBuild(pinned[0])}\`, the release packages.yml pins`
              : `use a release tag of \`${core.image}\``,
          });
        } else if (pinned.length && !pinned.some((p) => sameVersion(p, tag))) {
          findings.push({
            ...at,
            code: 'image-mismatch',
            message: `\`${instructionText(from)}\` builds on core ${tag}, but packages.yml pins the core to ${pinned.join(', ')}`,
            fix: `use \`${core.image}:${withoutBuild(pinned[0]!)}\``,
          });
        }
      }
    }
    return findings;
  },
});

const withoutBuild = (tag: string) => tag.replace(/\+.*$/, '');

function judgePin(pin: CorePin, owner: string, repo: string, allowBehind: number, facts: RefFacts): RuleFinding[] {
  const at = { path: pin.path, line: pin.line, column: pin.column };
  const name = `${owner}/${repo}`;
  const rev = pin.revision;
  const newest = releasesOf(facts.tags(owner, repo) ?? [])[0];
  const RELEASE_HINT = newest ? `pin \`${newest.raw}\`, the newest release of ${name}` : `pin a release tag of ${name}`;
  if (!rev)
    return [
      {
        ...at,
        code: 'unpinned',
        message: `the core (\`${name}\`) has no revision, so every build takes its default branch`,
        fix: RELEASE_HINT,
      },
    ];
  if (HAS_JINJA.test(rev))
    return [
      {
        ...at,
        code: 'unverifiable',
        maxSeverity: 'warning',
        message: `the core's revision comes from Jinja (\`${rev}\`), so its release cannot be verified`,
        fix: RELEASE_HINT,
      },
    ];
  const online = facts.refKind(owner, repo, rev);
  const version = parseVersion(rev);
  if (online === 'branch' || (online === 'unknown' && classifyRevision(rev) === 'branch')) {
    return [{ ...at, code: 'unpinned', message: `the core (\`${name}\`) is on branch \`${rev}\`, not a release`, fix: RELEASE_HINT }];
  }
  if (!version) {
    return [
      {
        ...at,
        code: 'not-a-release',
        message: `the core (\`${name}\`) is pinned to \`${rev}\`, which is not a release tag`,
        fix: RELEASE_HINT,
      },
    ];
  }
  const out: RuleFinding[] = [];
  if (version.prerelease)
    out.push({
      ...at,
      code: 'prerelease',
      maxSeverity: 'warning',
      message: `the core is pinned to the pre-release ${rev}`,
      fix: 'move to a final release before deploying to production',
    });
  const tags = facts.tags(owner, repo);
  const exists = online === 'tag' ? true : online === 'missing' ? false : tags?.includes(rev);
  if (exists === false) {
    out.push({ ...at, code: 'missing-tag', message: `the core is pinned to ${rev}, which is not a tag of \`${name}\``, fix: RELEASE_HINT });
    return out;
  }
  if (!tags) return out; // offline or no access: lag is skipped, and the summary says so
  const releases = releasesOf(tags);
  const newer = releases.filter((r) => compareVersions(r, version) > 0);
  if (newer.length > allowBehind) {
    out.push({
      ...at,
      code: 'behind',
      maxSeverity: 'warning',
      message: `the core is ${newer.length} releases behind (pinned ${rev}, newest ${newer[0]!.raw}; \`core.allow-behind\` is ${allowBehind})`,
      fix: `upgrade to ${newer[0]!.raw}`,
    });
  }
  return out;
}
