/** Secret scanning push protection stops credentials at `git push`, where the plan offers it. */
import { settingsPage } from '../links.js';
import type { AuditCheck } from '../types.js';

export const pushProtection: AuditCheck = {
  meta: {
    id: 'push-protection',
    description:
      'Secret scanning push protection is on, where GitHub offers it for the repository (public repositories; private ones with GitHub Secret Protection).',
    defaultLevel: 'error',
    fixable: true,
  },
  check(facts) {
    if (!facts.pushProtection.ok) return { findings: [], cannotAudit: facts.pushProtection.missing };
    if (facts.pushProtection.value === 'unavailable')
      return { findings: [], note: 'push protection is not offered for this repository by its plan' };
    if (facts.pushProtection.value === 'enabled') return { findings: [] };
    return {
      findings: [
        {
          setting: 'Code security → Secret Protection → Push protection',
          message: 'Secret scanning push protection is off: a pushed credential is found only after it is in the history.',
          fix: 'In Settings → Code security, enable "Secret Protection" (secret scanning) and its "Push protection".',
          url: settingsPage.security(facts),
        },
      ],
    };
  },
  fix: (facts) => (facts.pushProtection.ok && facts.pushProtection.value === 'disabled' ? [{ kind: 'push-protection' }] : []),
};
