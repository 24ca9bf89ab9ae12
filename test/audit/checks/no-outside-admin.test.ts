import { noOutsideAdmin } from '../../../src/audit/checks/no-outside-admin.js';
import { forbidden, ok } from '../../helpers/audit-facts.js';
import { testCheck } from '../../helpers/check-tester.js';

testCheck(noOutsideAdmin, {
  valid: [
    { name: 'no outside collaborator is an admin' },
    { name: 'a user-owned repository has no outside collaborators to ask about', facts: { ownerIsOrg: false, outsideAdmins: undefined } },
  ],
  invalid: [
    {
      name: 'one finding per outside admin, with the access page',
      facts: { outsideAdmins: ok(['contractor', 'vendor-bot']) },
      findings: [
        { setting: 'Collaborators and teams → @contractor → Role', url: 'https://github.com/css01/store/settings/access' },
        { setting: 'Collaborators and teams → @vendor-bot → Role' },
      ],
    },
    {
      name: 'cannot audit without the Metadata permission',
      facts: { outsideAdmins: forbidden('Metadata (read)') },
      cannotAudit: /Metadata/,
    },
  ],
});

it('is not fixed automatically: removing a person takes a person', () => expect(noOutsideAdmin.meta.fixable).toBe(false));
