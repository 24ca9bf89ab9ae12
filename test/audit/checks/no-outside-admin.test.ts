import { noOutsideAdmin } from '../../../src/audit/checks/no-outside-admin.js';
import { compliantFacts, context, forbidden, ok } from '../../helpers/audit-facts.js';

describe('no-outside-admin', () => {
  it('passes with no outside admin, and for a user-owned repository', () => {
    expect(noOutsideAdmin.check(compliantFacts(), context())).toEqual({ findings: [] });
    expect(noOutsideAdmin.check(compliantFacts({ ownerIsOrg: false, outsideAdmins: undefined }), context()).findings).toEqual([]);
  });
  it('fails per outside admin, with the access page', () => {
    const { findings } = noOutsideAdmin.check(compliantFacts({ outsideAdmins: ok(['contractor']) }), context());
    expect(findings).toEqual([
      expect.objectContaining({
        setting: 'Collaborators and teams → @contractor → Role',
        url: 'https://github.com/css01/store/settings/access',
      }),
    ]);
    expect(noOutsideAdmin.fixable).toBe(false);
  });
  it('cannot audit without the permission', () => {
    expect(noOutsideAdmin.check(compliantFacts({ outsideAdmins: forbidden('Metadata (read)') }), context()).cannotAudit).toMatch(
      /Metadata/,
    );
  });
});
