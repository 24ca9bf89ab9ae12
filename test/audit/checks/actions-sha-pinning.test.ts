import { activeChecks } from '../../../src/audit/audit.js';
import { actionsShaPinning } from '../../../src/audit/checks/actions-sha-pinning.js';
import { compliantFacts, context, forbidden, ok } from '../../helpers/audit-facts.js';
import { testCheck } from '../../helpers/check-tester.js';

const strict = { rules: { 'actions-pinned': 'error' } };

testCheck(actionsShaPinning, {
  valid: [
    { name: 'the repository requires SHA pinning', config: strict, note: null },
    {
      name: 'the organization requires SHA pinning',
      facts: { shaPinning: ok({ repository: false, organization: true }) },
      config: strict,
      note: null,
    },
  ],
  invalid: [
    {
      name: 'neither does: the setting, the repository page and the organization page',
      facts: { shaPinning: ok({ repository: false, organization: false, enabled: true, allowedActions: 'all' }) },
      config: strict,
      findings: [
        {
          setting: 'Actions → General → Actions permissions → Require actions to be pinned to a full-length commit SHA',
          fix: 'https://github.com/organizations/css01/settings/actions',
          url: 'https://github.com/css01/store/settings/actions',
        },
      ],
    },
    {
      name: 'cannot audit without the Administration permission',
      facts: { shaPinning: forbidden() },
      config: strict,
      cannotAudit: /Administration/,
    },
  ],
});

it('applies only when actions-pinned is an error', () => {
  expect(activeChecks(context()).map((c) => c.meta.id)).not.toContain('actions-sha-pinning');
  expect(activeChecks(context(strict)).map((c) => c.meta.id)).toContain('actions-sha-pinning');
});

it('its fix turns SHA pinning on when neither requires it', () => {
  const facts = compliantFacts({ shaPinning: ok({ repository: false, organization: false, enabled: true, allowedActions: 'all' }) });
  expect(actionsShaPinning.fix!(facts, context(strict))).toEqual([{ kind: 'sha-pinning' }]);
});
