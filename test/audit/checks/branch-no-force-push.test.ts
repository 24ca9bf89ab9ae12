import { branchNoForcePush } from '../../../src/audit/checks/branch-no-force-push.js';
import { compliantFacts, context, evaluateRuleset, forbidden, ok, protectiveRules } from '../../helpers/audit-facts.js';

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

describe('branch-no-force-push', () => {
  it('passes when classic protection blocks both', () => {
    expect(branchNoForcePush.check(compliantFacts(), context())).toEqual({ findings: [] });
  });
  it('passes when only a ruleset blocks them ("Block force pushes", "Restrict deletions")', () => {
    expect(branchNoForcePush.check(compliantFacts({ classic: ok(null), branchRules: ok(protectiveRules()) }), context())).toEqual({
      findings: [],
    });
  });
  it('fails for each allowed one', () => {
    const { findings } = branchNoForcePush.check(compliantFacts({ classic: classic(true, true) }), context());
    expect(findings.map((f) => f.setting)).toEqual([
      'Branch protection rule for `main` → Allow force pushes (off), or ruleset rule "Block force pushes"',
      'Branch protection rule for `main` → Allow deletions (off), or ruleset rule "Restrict deletions"',
    ]);
    expect(findings[0]!.url).toBe('https://github.com/css01/store/settings/branches');
  });
  it('a ruleset in evaluate mode does not count, and says so', () => {
    const { findings } = branchNoForcePush.check(
      compliantFacts({ classic: ok(null), rulesets: ok([evaluateRuleset('history')]) }),
      context(),
    );
    expect(findings).toHaveLength(2);
    expect(findings[0]!.message).toMatch(
      /Force pushes to the default branch `main` are allowed .*Ruleset "history" would require this, but it is in evaluate mode/,
    );
  });
  it('an evaluate-mode ruleset for other branches is not mentioned', () => {
    const other = { ...evaluateRuleset('releases'), conditions: { ref_name: { include: ['refs/heads/release/*'], exclude: [] } } };
    expect(
      branchNoForcePush.check(compliantFacts({ classic: ok(null), rulesets: ok([other]) }), context()).findings[0]!.message,
    ).not.toContain('evaluate');
  });
  it('cannot audit without the permission (and no ruleset that settles it)', () => {
    expect(branchNoForcePush.check(compliantFacts({ classic: forbidden() }), context()).cannotAudit).toBe(
      'cannot audit: the app lacks the Administration (read) permission',
    );
    expect(branchNoForcePush.check(compliantFacts({ branchRules: forbidden('Metadata (read)') }), context()).cannotAudit).toMatch(
      /Metadata/,
    );
  });
  it('fix blocks what is allowed', () => {
    expect(branchNoForcePush.fix!(compliantFacts({ classic: classic(true, false) }), context())).toEqual([
      { kind: 'branch-protection', branch: 'main', blockForcePushes: true },
    ]);
  });
});
