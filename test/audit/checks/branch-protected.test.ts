import { branchProtected } from '../../../src/audit/checks/branch-protected.js';
import { compliantFacts, context, evaluateRuleset, forbidden, ok, protectiveRules } from '../../helpers/audit-facts.js';

const run = (facts = compliantFacts(), raw: Record<string, unknown> = {}) => branchProtected.check(facts, context(raw));

describe('branch-protected', () => {
  it('passes with classic protection: 1 review and shipshape/policy required', () => {
    expect(run()).toEqual({ findings: [] });
  });

  it('passes when only an active ruleset protects the branch', () => {
    expect(
      run(
        compliantFacts({
          classic: ok(null),
          branchRules: ok(protectiveRules()),
          rulesets: ok([{ id: 42, name: 'main', enforcement: 'active', source: 'css01/store' }]),
        }),
      ),
    ).toEqual({ findings: [] });
  });

  it('passes on rulesets alone even when classic protection cannot be read (no Administration permission)', () => {
    expect(run(compliantFacts({ classic: forbidden(), branchRules: ok(protectiveRules()) }))).toEqual({ findings: [] });
  });

  it('an unprotected branch fails twice, naming the setting, the fix and the page', () => {
    const { findings } = run(compliantFacts({ classic: ok(null) }));
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({
      setting: 'Branch protection rule for `main` → Require a pull request before merging → Required number of approvals before merging',
      message: expect.stringContaining(
        'requires 0 approving review(s); the policy asks for at least 1 (no branch protection rule or active ruleset applies to it)',
      ),
      fix: expect.stringContaining('set "Required number of approvals before merging" to 1'),
      url: 'https://github.com/css01/store/settings/branches',
    });
    expect(findings[1]!.message).toContain('does not require the `shipshape/policy` check');
  });

  it('`audit.reviews: 2` asks for two reviews; the strictest of classic protection and rulesets counts', () => {
    expect(run(compliantFacts(), { audit: { reviews: 2 } }).findings.map((f) => f.message)).toEqual([
      expect.stringContaining('requires 1 approving review(s); the policy asks for at least 2 (protected by classic branch protection)'),
    ]);
    expect(run(compliantFacts({ branchRules: ok(protectiveRules(42, 2)) }), { audit: { reviews: 2 } }).findings).toEqual([]);
  });

  it('a ruleset in evaluate mode does not count, and the finding says so', () => {
    const { findings } = run(compliantFacts({ classic: ok(null), rulesets: ok([evaluateRuleset()]) }));
    expect(findings).toHaveLength(2);
    for (const f of findings)
      expect(f.message).toContain(
        'Ruleset "protect main" would require this, but it is in evaluate mode, which only reports and enforces nothing, so it does not count.',
      );
  });

  it('without the Administration permission and no ruleset: cannot audit, no finding', () => {
    expect(run(compliantFacts({ classic: forbidden() }))).toEqual({
      findings: [],
      cannotAudit: 'cannot audit: the app lacks the Administration (read) permission',
    });
  });

  it('fix: the missing parts only', () => {
    expect(branchProtected.fix!(compliantFacts({ classic: ok(null) }), context({ audit: { reviews: 2 } }))).toEqual([
      { kind: 'branch-protection', branch: 'main', reviews: 2, statusCheck: 'shipshape/policy' },
    ]);
    expect(branchProtected.fix!(compliantFacts(), context())).toEqual([]);
  });
});
