import { branchNoForcePush } from '../../../src/audit/checks/branch-no-force-push.js';
import { compliantFacts, context, evaluateRuleset, forbidden, ok, protectiveRules } from '../../helpers/audit-facts.js';
import { testCheck } from '../../helpers/check-tester.js';

const classic = (allowForcePushes: boolean, allowDeletions: boolean) =>
  ok({
    requiredReviews: 1,
    statusChecks: ['shipshape/policy'],
    strict: true,
    allowForcePushes,
    allowDeletions,
    enforceAdmins: false,
    raw: {},
  });

const forcePushes = 'Branch protection rule for `main` → Allow force pushes (off), or ruleset rule "Block force pushes"';
const deletions = 'Branch protection rule for `main` → Allow deletions (off), or ruleset rule "Restrict deletions"';

testCheck(branchNoForcePush, {
  valid: [
    { name: 'classic protection blocks both', note: null },
    {
      name: 'only a ruleset blocks them ("Block force pushes", "Restrict deletions")',
      facts: { classic: ok(null), branchRules: ok(protectiveRules()) },
      note: null,
    },
  ],
  invalid: [
    {
      name: 'one finding for each allowed one, with the branches page',
      facts: { classic: classic(true, true) },
      findings: [{ setting: forcePushes, url: 'https://github.com/css01/store/settings/branches' }, { setting: deletions }],
    },
    {
      name: 'a ruleset in evaluate mode does not count, and says so',
      facts: { classic: ok(null), rulesets: ok([evaluateRuleset('history')]) },
      findings: [
        {
          setting: forcePushes,
          message:
            /Force pushes to the default branch `main` are allowed .*Ruleset "history" would require this, but it is in evaluate mode/,
        },
        { setting: deletions },
      ],
    },
    {
      name: 'an evaluate-mode ruleset for other branches is not mentioned',
      facts: {
        classic: ok(null),
        rulesets: ok([{ ...evaluateRuleset('releases'), conditions: { ref_name: { include: ['refs/heads/release/*'], exclude: [] } } }]),
      },
      // The message does not contain "evaluate".
      findings: [{ setting: forcePushes, message: /^(?!.*evaluate)/s }, { setting: deletions }],
    },
    {
      name: 'cannot audit without the Administration permission (and no ruleset that settles it)',
      facts: { classic: forbidden() },
      cannotAudit: /^cannot audit: the app lacks the Administration \(read\) permission$/,
    },
    {
      name: 'cannot audit without the Metadata permission (the rules of the branch)',
      facts: { branchRules: forbidden('Metadata (read)') },
      cannotAudit: /Metadata/,
    },
  ],
});

it('its fix blocks what is allowed', () => {
  expect(branchNoForcePush.fix!(compliantFacts({ classic: classic(true, false) }), context())).toEqual([
    { kind: 'branch-protection', branch: 'main', blockForcePushes: true },
  ]);
});
