/** Least privilege: nobody outside the organization administers the repository. */
import { settingsPage } from '../links.js';
import type { AuditCheck } from '../types.js';

export const noOutsideAdmin: AuditCheck = {
  meta: {
    id: 'no-outside-admin',
    description: 'No outside collaborator (someone not a member of the organization) has the admin role.',
    defaultLevel: 'error',
    fixable: false,
  },
  check(facts) {
    const admins = facts.outsideAdmins;
    if (!admins) return { findings: [], note: 'a repository owned by a user has no outside collaborators' };
    if (!admins.ok) return { findings: [], cannotAudit: admins.missing };
    return {
      findings: admins.value.map((login) => ({
        setting: `Collaborators and teams → @${login} → Role`,
        message: `The outside collaborator @${login} has the admin role: they can change branch protection, environments and secrets.`,
        fix: `In Settings → Collaborators and teams, change @${login}'s role to Write or Maintain (or invite them to the organization if they should administer it).`,
        url: settingsPage.access(facts),
      })),
    };
  },
};
