import { pushProtection } from '../../../src/audit/checks/push-protection.js';
import { compliantFacts, context, forbidden, ok } from '../../helpers/audit-facts.js';
import { testCheck } from '../../helpers/check-tester.js';

testCheck(pushProtection, {
  valid: [
    { name: 'push protection is on', note: null },
    {
      name: 'the plan does not offer it (with a note)',
      facts: { pushProtection: ok('unavailable') },
      note: /^push protection is not offered for this repository by its plan$/,
    },
  ],
  invalid: [
    {
      name: 'off, with the security page',
      facts: { pushProtection: ok('disabled') },
      findings: [
        {
          setting: 'Code security → Secret Protection → Push protection',
          url: 'https://github.com/css01/store/settings/security_analysis',
        },
      ],
    },
    {
      name: 'cannot audit when GitHub hides the security settings',
      facts: { pushProtection: forbidden() },
      cannotAudit: /Administration/,
    },
  ],
});

it('its fix turns push protection on when it is off', () => {
  expect(pushProtection.fix!(compliantFacts({ pushProtection: ok('disabled') }), context())).toEqual([{ kind: 'push-protection' }]);
});
