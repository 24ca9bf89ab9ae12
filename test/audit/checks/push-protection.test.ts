import { pushProtection } from '../../../src/audit/checks/push-protection.js';
import { compliantFacts, context, forbidden, ok } from '../../helpers/audit-facts.js';

describe('push-protection', () => {
  it('passes when on, and where the plan does not offer it (with a note)', () => {
    expect(pushProtection.check(compliantFacts(), context())).toEqual({ findings: [] });
    expect(pushProtection.check(compliantFacts({ pushProtection: ok('unavailable') }), context())).toEqual({
      findings: [],
      note: 'push protection is not offered for this repository by its plan',
    });
  });
  it('fails when off, with the security page', () => {
    const facts = compliantFacts({ pushProtection: ok('disabled') });
    expect(pushProtection.check(facts, context()).findings).toEqual([
      expect.objectContaining({
        setting: 'Code security → Secret Protection → Push protection',
        url: 'https://github.com/css01/store/settings/security_analysis',
      }),
    ]);
    expect(pushProtection.fix!(facts, context())).toEqual([{ kind: 'push-protection' }]);
  });
  it('cannot audit when GitHub hides the security settings', () => {
    expect(pushProtection.check(compliantFacts({ pushProtection: forbidden() }), context()).cannotAudit).toMatch(/Administration/);
  });
});
