import { productionGated } from '../../../src/audit/checks/production-gated.js';
import { compliantFacts, context, forbidden, ok } from '../../helpers/audit-facts.js';

const ungated = (customRules?: ReturnType<typeof ok<Array<{ slug: string; enabled: boolean }>>> | ReturnType<typeof forbidden>) =>
  compliantFacts({ environments: ok([{ id: 12, name: 'production', reviewers: [], branchPolicy: null }]), production: { customRules } });

describe('production-gated', () => {
  it('passes with required reviewers', () => {
    expect(productionGated.check(compliantFacts(), context())).toEqual({ findings: [] });
  });
  it("passes with Shipshape's custom protection rule enabled", () => {
    expect(productionGated.check(ungated(ok([{ slug: 'shipshape', enabled: true }])), context())).toEqual({ findings: [] });
    expect(productionGated.check(ungated(ok([{ slug: 'shipshape-acme', enabled: true }])), context({}, 'shipshape-acme'))).toEqual({
      findings: [],
    });
  });
  it('fails with neither, naming other apps and the environment page', () => {
    const { findings } = productionGated.check(
      ungated(
        ok([
          { slug: 'other-gate', enabled: true },
          { slug: 'shipshape', enabled: false },
        ]),
      ),
      context(),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        setting: 'Environments → `production` → Deployment protection rules → Required reviewers, or the `shipshape` app',
        message: expect.stringContaining("Shipshape's protection rule is not enabled (enabled: `other-gate`)"),
        url: 'https://github.com/css01/store/settings/environments/12/edit',
      }),
    ]);
  });
  it('a missing production environment is left to environments-exist', () => {
    expect(productionGated.check(compliantFacts({ environments: ok([]) }), context())).toEqual({
      findings: [],
      note: 'the `production` environment does not exist (see environments-exist)',
    });
  });
  it('cannot audit when the custom rules cannot be read', () => {
    expect(productionGated.check(ungated(forbidden('Actions (read)')), context()).cannotAudit).toMatch(
      /lacks the Actions \(read\) permission/,
    );
  });
});
