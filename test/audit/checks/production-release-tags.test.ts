import { productionReleaseTags, releaseTagPatterns } from '../../../src/audit/checks/production-release-tags.js';
import type { AuditFacts, Environment } from '../../../src/audit/types.js';
import { compliantFacts, context, forbidden, ok } from '../../helpers/audit-facts.js';
import { testCheck } from '../../helpers/check-tester.js';

const prod = (branchPolicy: Environment['branchPolicy']): Environment => ({ id: 12, name: 'production', reviewers: [], branchPolicy });
const custom = { protectedBranches: false, customBranchPolicies: true };
const withPolicies = (policies: Array<{ name: string; type: 'branch' | 'tag' }>): Partial<AuditFacts> => ({
  environments: ok([prod(custom)]),
  production: { branchPolicies: ok(policies.map((p, i) => ({ id: i, ...p }))) },
});
const tags = (...names: string[]) => withPolicies(names.map((name) => ({ name, type: 'tag' as const })));

const setting = 'Environments → `production` → Deployment branches and tags → Selected branches and tags';

testCheck(productionReleaseTags, {
  valid: [
    { name: 'the tag rules release.tag-pattern suggests (semver)', facts: tags(...releaseTagPatterns('semver')!) },
    { name: 'a tag rule that admits release tags only', facts: tags('v[0-9]*.[0-9]*.[0-9]*') },
    {
      name: 'follows release.tag-pattern',
      facts: tags('store-[0-9]*.[0-9]*.[0-9]*'),
      config: { release: { 'tag-pattern': 'store-{version}' } },
    },
  ],
  invalid: [
    {
      name: 'no restriction, naming the setting, the fix and the environment page',
      facts: { environments: ok([prod(null)]) },
      findings: [
        {
          setting,
          message: /^Any branch or tag can be deployed to `production` \("No restriction"\)\.$/,
          fix: 'add tag rules `v[0-9]*.[0-9]*.[0-9]*` and `[0-9]*.[0-9]*.[0-9]*`',
          url: 'https://github.com/css01/store/settings/environments/12/edit',
        },
      ],
    },
    {
      name: 'protected branches',
      facts: { environments: ok([prod({ protectedBranches: true, customBranchPolicies: false })]) },
      findings: [{ setting, message: /^`production` admits deployments from protected branches, not from release tags\.$/ }],
    },
    {
      name: 'branch rules',
      facts: withPolicies([{ name: 'main', type: 'branch' }]),
      findings: [{ setting, message: /^`production` admits deployments from branches `main`; only release tags should deploy\.$/ }],
    },
    {
      // A common rule, but it admits tags that are not versions.
      name: 'a loose tag rule: v*.*.*',
      facts: tags('v*.*.*'),
      findings: [{ setting, message: '`v*.*.*` (admits e.g. `v1.2.x`)' }],
    },
    { name: 'a loose tag rule: *', facts: tags('*'), findings: [{ setting, message: 'The tag rule(s) `*` (admits e.g. `latest`)' }] },
    { name: 'a loose tag rule: *.*', facts: tags('*.*'), findings: [{ setting, message: '`*.*` (admits e.g. `1.2`)' }] },
    {
      name: 'no tag rule at all',
      facts: withPolicies([]),
      findings: [
        { setting, message: /^No tag rule of `production` admits a release tag \(the list is empty\), so no release can deploy there\.$/ },
      ],
    },
    {
      name: 'no tag rule that admits a release tag of release.tag-pattern',
      facts: tags('store-[0-9]*.[0-9]*.[0-9]*'),
      findings: [{ setting, message: /^No tag rule of `production` admits a release tag, so no release can deploy there\.$/ }],
    },
    {
      name: 'cannot audit when the policies cannot be read',
      facts: { environments: ok([prod(custom)]), production: { branchPolicies: forbidden('Actions (read)') } },
      cannotAudit: /Actions \(read\)/,
    },
  ],
});

it('its fix sets the release tag rules only on an environment with no rules yet', () => {
  expect(productionReleaseTags.fix!(compliantFacts({ environments: ok([prod(null)]) }), context())).toEqual([
    { kind: 'release-tag-policy', environment: 'production', patterns: ['v[0-9]*.[0-9]*.[0-9]*', '[0-9]*.[0-9]*.[0-9]*'] },
  ]);
  expect(productionReleaseTags.fix!(compliantFacts(withPolicies([{ name: 'main', type: 'branch' }])), context())).toEqual([]);
});
