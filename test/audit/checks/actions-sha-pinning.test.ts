import { activeChecks } from '../../../src/audit/audit.js';
import { actionsShaPinning } from '../../../src/audit/checks/actions-sha-pinning.js';
import { compliantFacts, context, forbidden, ok } from '../../helpers/audit-facts.js';

const strict = context({ rules: { 'actions-pinned': 'error' } });

describe('actions-sha-pinning', () => {
  it('applies only when actions-pinned is an error', () => {
    expect(activeChecks(context()).map((c) => c.meta.id)).not.toContain('actions-sha-pinning');
    expect(activeChecks(strict).map((c) => c.meta.id)).toContain('actions-sha-pinning');
  });
  it('passes when the repository or the organization requires SHA pinning', () => {
    expect(actionsShaPinning.check(compliantFacts(), strict)).toEqual({ findings: [] });
    expect(actionsShaPinning.check(compliantFacts({ shaPinning: ok({ repository: false, organization: true }) }), strict)).toEqual({
      findings: [],
    });
  });
  it('fails when neither does, naming the setting, the repository page and the organization page', () => {
    const facts = compliantFacts({ shaPinning: ok({ repository: false, organization: false, enabled: true, allowedActions: 'all' }) });
    const [finding] = actionsShaPinning.check(facts, strict).findings;
    expect(finding).toMatchObject({
      setting: 'Actions → General → Actions permissions → Require actions to be pinned to a full-length commit SHA',
      url: 'https://github.com/css01/store/settings/actions',
    });
    expect(finding!.fix).toContain('https://github.com/organizations/css01/settings/actions');
    expect(actionsShaPinning.fix!(facts, strict)).toEqual([{ kind: 'sha-pinning' }]);
  });
  it('cannot audit without the Administration permission', () => {
    expect(actionsShaPinning.check(compliantFacts({ shaPinning: forbidden() }), strict).cannotAudit).toMatch(/Administration/);
  });
});
