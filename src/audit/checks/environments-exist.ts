/** The environments a release goes through exist, so deployments to them can be gated and recorded. */
import { settingsPage } from '../links.js';
import type { AuditCheck } from '../types.js';

const missingOf = (names: string[], existing: string[]) => names.filter((n) => !existing.some((e) => e.toLowerCase() === n.toLowerCase()));

export const environmentsExist: AuditCheck = {
  meta: {
    id: 'environments-exist',
    description: 'Every environment of `release.environments` (staging, production) exists in the repository.',
    defaultLevel: 'error',
    fixable: true,
  },
  check(facts, { config }) {
    if (!facts.environments.ok) return { findings: [], cannotAudit: facts.environments.missing };
    const existing = facts.environments.value.map((e) => e.name);
    return {
      findings: missingOf(config.release.environments, existing).map((name) => ({
        setting: `Environments → \`${name}\``,
        message: `The environment \`${name}\` named in \`release.environments\` does not exist${existing.length ? ` (the repository has ${existing.map((e) => `\`${e}\``).join(', ')})` : ''}.`,
        fix: `In Settings → Environments, click "New environment" and name it \`${name}\`.`,
        url: settingsPage.environments(facts),
      })),
    };
  },
  fix(facts, { config }) {
    if (!facts.environments.ok) return [];
    return missingOf(
      config.release.environments,
      facts.environments.value.map((e) => e.name),
    ).map((name) => ({ kind: 'create-environment' as const, name }));
  },
};
