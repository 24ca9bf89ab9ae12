/** Facts of a repository whose settings follow the policy, for the settings checks' unit tests to vary. */
import { checkContext } from '../../src/audit/audit.js';
import type { AuditFacts, CheckContext, Fact, Ruleset } from '../../src/audit/types.js';
import { withDefaults } from '../../src/config/load.js';

export const ok = <T>(value: T): Fact<T> => ({ ok: true, value });
export const forbidden = (permission = 'Administration (read)'): Fact<never> => ({
  ok: false,
  missing: `cannot audit: the app lacks the ${permission} permission`,
});

export function compliantFacts(overrides: Partial<AuditFacts> = {}): AuditFacts {
  return {
    owner: 'css01',
    repo: 'store',
    htmlUrl: 'https://github.com/css01/store',
    ownerIsOrg: true,
    defaultBranch: 'main',
    archived: false,
    private: false,
    topics: [],
    classic: ok({
      requiredReviews: 1,
      statusChecks: ['shipshape/policy'],
      strict: true,
      allowForcePushes: false,
      allowDeletions: false,
      enforceAdmins: false,
      raw: {},
    }),
    branchRules: ok([]),
    rulesets: ok([]),
    environments: ok([
      { id: 11, name: 'staging', reviewers: [], branchPolicy: null },
      {
        id: 12,
        name: 'production',
        reviewers: [{ type: 'User', id: 7, login: 'lead' }],
        branchPolicy: { protectedBranches: false, customBranchPolicies: true },
      },
    ]),
    production: { branchPolicies: ok([{ id: 1, name: 'v[0-9]*.[0-9]*.[0-9]*', type: 'tag' }]) },
    outsideAdmins: ok([]),
    shaPinning: ok({ repository: true }),
    pushProtection: ok('enabled'),
    ...overrides,
  };
}

export const context = (raw: Record<string, unknown> = {}, appSlug?: string): CheckContext => checkContext(withDefaults(raw), appSlug);

/** The rules an active ruleset gives the default branch, as GET …/rules/branches/{branch} lists them. */
export const protectiveRules = (rulesetId = 42, reviews = 1) => [
  { type: 'pull_request', parameters: { required_approving_review_count: reviews }, rulesetId },
  { type: 'required_status_checks', parameters: { required_status_checks: [{ context: 'shipshape/policy' }] }, rulesetId },
  { type: 'non_fast_forward', rulesetId },
  { type: 'deletion', rulesetId },
];

export const evaluateRuleset = (name = 'protect main'): Ruleset => ({
  id: 43,
  name,
  enforcement: 'evaluate',
  target: 'branch',
  source: 'css01/store',
  conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
  rules: protectiveRules(43),
});
