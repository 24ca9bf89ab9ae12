/** Production deploys release tags only: its deployment branch and tag policy admits nothing else. */
import picomatch from 'picomatch';
import { versionFromTag } from '../../release/version.js';
import { settingsPage } from '../links.js';
import type { AuditCheck } from '../types.js';
import { productionEnvironment } from './production-gated.js';

/** Tags to try each policy pattern on: what `release.tag-pattern` calls a release, and what it does not. */
function sampleTags(tagPattern: string): { releases: string[]; others: string[] } {
  const wrap = (v: string) => (tagPattern === 'semver' ? v : tagPattern.replace('{version}', v));
  const versions = ['1.2.3', 'v1.2.3', '0.7.0+20230926', 'v0.7.0+20230926', '10.20.30'];
  const others = [
    'latest',
    'main',
    'master',
    'develop',
    'nightly',
    'release',
    'test',
    'v1',
    '1.2',
    'feature/x',
    'a.b.c',
    'v1.2.x',
    wrap('latest'),
    wrap('1.2'),
    wrap('x.y.z'),
  ];
  const candidates = [...versions.map(wrap), ...others];
  return {
    releases: candidates.filter((t) => versionFromTag(t, tagPattern)),
    others: candidates.filter((t) => !versionFromTag(t, tagPattern)),
  };
}

/** Policy patterns that admit exactly release tags (GitHub matches them like File.fnmatch: `*` stops at `/`). */
export function releaseTagPatterns(tagPattern: string): string[] | undefined {
  const version = '[0-9]*.[0-9]*.[0-9]*';
  if (tagPattern === 'semver') return [`v${version}`, version];
  return tagPattern.includes('{version}') ? [tagPattern.replace('{version}', version)] : undefined;
}

const matches = (tag: string, pattern: string) => picomatch.isMatch(tag, pattern, { dot: true });

export const productionReleaseTags: AuditCheck = {
  meta: {
    id: 'production-release-tags',
    description: "The production environment's deployment branch and tag policy admits only release tags (`release.tag-pattern`).",
    defaultLevel: 'error',
    fixable: true,
  },
  check(facts, ctx) {
    if (!facts.environments.ok) return { findings: [], cannotAudit: facts.environments.missing };
    const env = productionEnvironment(facts, ctx);
    if (!env) return { findings: [], note: `the \`${ctx.production}\` environment does not exist (see environments-exist)` };
    const page = settingsPage.environment(facts, env.id);
    const setting = `Environments → \`${env.name}\` → Deployment branches and tags → Selected branches and tags`;
    const fix = `In Settings → Environments → \`${env.name}\`, set "Deployment branches and tags" to "Selected branches and tags", remove branch rules, and add tag rules ${(releaseTagPatterns(ctx.config.release['tag-pattern']) ?? ['matching your release tags']).map((p) => `\`${p}\``).join(' and ')}.`;
    const finding = (message: string) => ({ findings: [{ setting, message, fix, url: page }] });
    const policies = facts.production.branchPolicies;
    // The policy's kind could not be read: judging "no restriction" would be a false finding.
    if (policies && !policies.ok) return { findings: [], cannotAudit: policies.missing };
    if (!env.branchPolicy) return finding(`Any branch or tag can be deployed to \`${env.name}\` ("No restriction").`);
    if (env.branchPolicy.protectedBranches)
      return finding(`\`${env.name}\` admits deployments from protected branches, not from release tags.`);
    if (!policies) return { findings: [], note: 'deployment branch policies were not read' };
    const branches = policies.value.filter((p) => p.type !== 'tag');
    if (branches.length)
      return finding(
        `\`${env.name}\` admits deployments from branches ${branches.map((b) => `\`${b.name}\``).join(', ')}; only release tags should deploy.`,
      );
    const samples = sampleTags(ctx.config.release['tag-pattern']);
    const loose = policies.value
      .map((p) => ({ p, admits: samples.others.filter((t) => matches(t, p.name)) }))
      .filter((x) => x.admits.length);
    if (loose.length)
      return finding(
        `The tag rule(s) ${loose.map((x) => `\`${x.p.name}\` (admits e.g. \`${x.admits[0]}\`)`).join(', ')} let tags that are not releases deploy to \`${env.name}\`.`,
      );
    if (!samples.releases.some((t) => policies.value.some((p) => matches(t, p.name))))
      return finding(
        `No tag rule of \`${env.name}\` admits a release tag${policies.value.length ? '' : ' (the list is empty)'}, so no release can deploy there.`,
      );
    return { findings: [] };
  },
  fix(facts, ctx) {
    const env = productionEnvironment(facts, ctx);
    const patterns = releaseTagPatterns(ctx.config.release['tag-pattern']);
    if (!env || !patterns) return [];
    // Only where nothing is configured yet: replacing someone's rules needs their judgement.
    const empty =
      !env.branchPolicy ||
      (env.branchPolicy.customBranchPolicies && facts.production.branchPolicies?.ok && facts.production.branchPolicies.value.length === 0);
    return empty ? [{ kind: 'release-tag-policy', environment: env.name, patterns }] : [];
  },
};
