import { productionReleaseTags, releaseTagPatterns } from '../../../src/audit/checks/production-release-tags.js';
import type { Environment } from '../../../src/audit/types.js';
import { compliantFacts, context, forbidden, ok } from '../../helpers/audit-facts.js';

const prod = (branchPolicy: Environment['branchPolicy']): Environment => ({ id: 12, name: 'production', reviewers: [], branchPolicy });
const custom = { protectedBranches: false, customBranchPolicies: true };
const withPolicies = (policies: Array<{ name: string; type: 'branch' | 'tag' }>) =>
  compliantFacts({ environments: ok([prod(custom)]), production: { branchPolicies: ok(policies.map((p, i) => ({ id: i, ...p }))) } });
const messages = (facts: ReturnType<typeof compliantFacts>, raw = {}) =>
  productionReleaseTags.check(facts, context(raw)).findings.map((f) => f.message);

describe('production-release-tags', () => {
  it('passes with tag rules that admit release tags only', () => {
    expect(messages(withPolicies(releaseTagPatterns('semver')!.map((name) => ({ name, type: 'tag' }))))).toEqual([]);
    expect(messages(withPolicies([{ name: 'v[0-9]*.[0-9]*.[0-9]*', type: 'tag' }]))).toEqual([]);
    // A common rule, but it admits tags that are not versions.
    expect(messages(withPolicies([{ name: 'v*.*.*', type: 'tag' }]))[0]).toContain('`v*.*.*` (admits e.g. `v1.2.x`)');
  });
  it('fails without restriction, with protected branches, with branch rules, with loose tag rules, with no release rule', () => {
    expect(messages(compliantFacts({ environments: ok([prod(null)]) }))).toEqual([
      'Any branch or tag can be deployed to `production` ("No restriction").',
    ]);
    expect(messages(compliantFacts({ environments: ok([prod({ protectedBranches: true, customBranchPolicies: false })]) }))).toEqual([
      '`production` admits deployments from protected branches, not from release tags.',
    ]);
    expect(messages(withPolicies([{ name: 'main', type: 'branch' }]))).toEqual([
      '`production` admits deployments from branches `main`; only release tags should deploy.',
    ]);
    expect(messages(withPolicies([{ name: '*', type: 'tag' }]))[0]).toContain('The tag rule(s) `*` (admits e.g. `latest`)');
    expect(messages(withPolicies([{ name: '*.*', type: 'tag' }]))[0]).toContain('`*.*` (admits e.g. `1.2`)');
    expect(messages(withPolicies([]))).toEqual([
      'No tag rule of `production` admits a release tag (the list is empty), so no release can deploy there.',
    ]);
  });
  it('follows release.tag-pattern', () => {
    const facts = withPolicies([{ name: 'store-[0-9]*.[0-9]*.[0-9]*', type: 'tag' }]);
    expect(messages(facts, { release: { 'tag-pattern': 'store-{version}' } })).toEqual([]);
    expect(messages(facts)).toEqual(['No tag rule of `production` admits a release tag, so no release can deploy there.']);
  });
  it('names the setting and the environment page', () => {
    expect(productionReleaseTags.check(compliantFacts({ environments: ok([prod(null)]) }), context()).findings[0]).toMatchObject({
      setting: 'Environments → `production` → Deployment branches and tags → Selected branches and tags',
      fix: expect.stringContaining('add tag rules `v[0-9]*.[0-9]*.[0-9]*` and `[0-9]*.[0-9]*.[0-9]*`'),
      url: 'https://github.com/css01/store/settings/environments/12/edit',
    });
  });
  it('cannot audit when the policies cannot be read', () => {
    const facts = compliantFacts({ environments: ok([prod(custom)]), production: { branchPolicies: forbidden('Actions (read)') } });
    expect(productionReleaseTags.check(facts, context()).cannotAudit).toMatch(/Actions \(read\)/);
  });
  it('fixes only an environment with no rules yet', () => {
    expect(productionReleaseTags.fix!(compliantFacts({ environments: ok([prod(null)]) }), context())).toEqual([
      { kind: 'release-tag-policy', environment: 'production', patterns: ['v[0-9]*.[0-9]*.[0-9]*', '[0-9]*.[0-9]*.[0-9]*'] },
    ]);
    expect(productionReleaseTags.fix!(withPolicies([{ name: 'main', type: 'branch' }]), context())).toEqual([]);
  });
});
