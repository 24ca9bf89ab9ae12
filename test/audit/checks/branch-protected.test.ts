import { branchProtected } from '../../../src/audit/checks/branch-protected.js';
import { compliantFacts, context, evaluateRuleset, forbidden, ok, protectiveRules } from '../../helpers/audit-facts.js';
import { testCheck } from '../../helpers/check-tester.js';

const reviews = 'Branch protection rule for `main` → Require a pull request before merging → Required number of approvals before merging';
const policyCheck = 'Branch protection rule for `main` → Require status checks to pass before merging → `shipshape/policy`';
const evaluateNote =
  'Ruleset "protect main" would require this, but it is in evaluate mode, which only reports and enforces nothing, so it does not count.';

testCheck(branchProtected, {
  valid: [
    { name: 'classic protection: 1 review and shipshape/policy required', note: null },
    {
      name: 'only an active ruleset protects the branch',
      facts: {
        classic: ok(null),
        branchRules: ok(protectiveRules()),
        rulesets: ok([{ id: 42, name: 'main', enforcement: 'active', source: 'css01/store' }]),
      },
      note: null,
    },
    {
      name: 'rulesets alone suffice even when classic protection cannot be read (no Administration permission)',
      facts: { classic: forbidden(), branchRules: ok(protectiveRules()) },
      note: null,
    },
    {
      name: '`audit.reviews: 2` is met by a ruleset asking for two: the strictest of classic protection and rulesets counts',
      facts: { branchRules: ok(protectiveRules(42, 2)) },
      config: { audit: { reviews: 2 } },
    },
  ],
  invalid: [
    {
      name: 'an unprotected branch fails twice, naming the setting, the fix and the page',
      facts: { classic: ok(null) },
      findings: [
        {
          setting: reviews,
          message:
            'requires 0 approving review(s); the policy asks for at least 1 (no branch protection rule or active ruleset applies to it)',
          fix: 'set "Required number of approvals before merging" to 1',
          url: 'https://github.com/css01/store/settings/branches',
        },
        { setting: policyCheck, message: 'does not require the `shipshape/policy` check' },
      ],
    },
    {
      name: '`audit.reviews: 2` asks for two reviews',
      config: { audit: { reviews: 2 } },
      findings: [
        {
          setting: reviews,
          message: 'requires 1 approving review(s); the policy asks for at least 2 (protected by classic branch protection)',
        },
      ],
    },
    {
      name: 'a ruleset in evaluate mode does not count, and the finding says so',
      facts: { classic: ok(null), rulesets: ok([evaluateRuleset()]) },
      findings: [
        { setting: reviews, message: evaluateNote },
        { setting: policyCheck, message: evaluateNote },
      ],
    },
    {
      name: 'without the Administration permission and no ruleset: cannot audit, no finding',
      facts: { classic: forbidden() },
      cannotAudit: /^cannot audit: the app lacks the Administration \(read\) permission$/,
      note: null,
    },
  ],
});

it('its fix sets the missing parts only', () => {
  expect(branchProtected.fix!(compliantFacts({ classic: ok(null) }), context({ audit: { reviews: 2 } }))).toEqual([
    { kind: 'branch-protection', branch: 'main', reviews: 2, statusCheck: 'shipshape/policy' },
  ]);
  expect(branchProtected.fix!(compliantFacts(), context())).toEqual([]);
});
