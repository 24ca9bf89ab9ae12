/** When `actions-pinned` is an error, GitHub itself refuses workflows that use actions by tag. */
import { settingsPage } from '../links.js';
import type { AuditCheck } from '../types.js';

export const actionsShaPinning: AuditCheck = {
  meta: {
    id: 'actions-sha-pinning',
    description:
      'GitHub\'s "Require actions to be pinned to a full-length commit SHA" is on (organization or repository), when the `actions-pinned` rule is `error`.',
    defaultLevel: 'error',
    fixable: true,
  },
  applies: ({ config }) => config.rules['actions-pinned'] === 'error',
  needs: { shaPinning: true },
  check(facts) {
    const pinning = facts.shaPinning;
    if (!pinning) return { findings: [], note: 'the Actions settings were not read' };
    if (!pinning.ok) return { findings: [], cannotAudit: pinning.missing };
    if (pinning.value.repository || pinning.value.organization) return { findings: [] };
    return {
      findings: [
        {
          setting: 'Actions → General → Actions permissions → Require actions to be pinned to a full-length commit SHA',
          message:
            '`actions-pinned` is an error in the policy, but GitHub still runs workflows that use actions by tag or branch: its SHA-pinning requirement is off for this repository and its organization.',
          fix: `In Settings → Actions → General, tick "Require actions to be pinned to a full-length commit SHA"${facts.ownerIsOrg ? ` (or in the organization's settings, ${settingsPage.orgActions(facts)}, for every repository)` : ''}.`,
          url: settingsPage.actions(facts),
        },
      ],
    };
  },
  fix: (facts) =>
    facts.shaPinning?.ok && !facts.shaPinning.value.repository && !facts.shaPinning.value.organization ? [{ kind: 'sha-pinning' }] : [],
};
