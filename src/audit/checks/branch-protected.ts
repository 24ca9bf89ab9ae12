/** The default branch takes changes only through reviewed pull requests that passed shipshape/policy. */
import { settingsPage } from '../links.js';
import type { AuditCheck, SettingChange } from '../types.js';
import { protectionView, where } from './common.js';

/** The policy check run's name (policy/report.ts); not imported, so the config schema's imports stay acyclic. */
export const CHECK_NAME = 'shipshape/policy';

export const branchProtected: AuditCheck = {
  meta: {
    id: 'branch-protected',
    description: `The default branch requires a pull request with at least \`audit.reviews\` approving reviews and the \`${CHECK_NAME}\` status check, by classic branch protection or an active ruleset.`,
    defaultLevel: 'error',
    fixable: true,
  },
  check(facts, { config }) {
    const reviews = config.audit.reviews;
    const view = protectionView(facts, (p) => p.reviews >= reviews && p.statusChecks.has(CHECK_NAME));
    if (!view.ok) return { findings: [], cannotAudit: view.missing };
    const p = view.protection;
    const branch = facts.defaultBranch;
    const findings = [];
    if (p.reviews < reviews) {
      findings.push({
        setting: `Branch protection rule for \`${branch}\` → Require a pull request before merging → Required number of approvals before merging`,
        message: `The default branch \`${branch}\` requires ${p.reviews} approving review(s); the policy asks for at least ${reviews}${where(p)}.${view.note((w) => w.reviews >= reviews)}`,
        fix: `In Settings → Branches, add or edit the rule for \`${branch}\`: tick "Require a pull request before merging" and set "Required number of approvals before merging" to ${reviews}. A branch ruleset with "Require a pull request before merging" and enforcement Active counts the same.`,
        url: settingsPage.branches(facts),
      });
    }
    if (!p.statusChecks.has(CHECK_NAME)) {
      findings.push({
        setting: `Branch protection rule for \`${branch}\` → Require status checks to pass before merging → \`${CHECK_NAME}\``,
        message: `The default branch \`${branch}\` does not require the \`${CHECK_NAME}\` check${where(p)}, so a pull request that breaks the policy can be merged.${view.note((w) => w.statusChecks.has(CHECK_NAME))}`,
        fix: `In Settings → Branches, edit the rule for \`${branch}\`: tick "Require status checks to pass before merging" and add \`${CHECK_NAME}\`. A branch ruleset with "Require status checks to pass" listing \`${CHECK_NAME}\` and enforcement Active counts the same.`,
        url: settingsPage.branches(facts),
      });
    }
    return { findings };
  },
  fix(facts, { config }) {
    const view = protectionView(facts, () => false);
    if (!view.ok) return [];
    const change: SettingChange & { kind: 'branch-protection' } = { kind: 'branch-protection', branch: facts.defaultBranch };
    if (view.protection.reviews < config.audit.reviews) change.reviews = config.audit.reviews;
    if (!view.protection.statusChecks.has(CHECK_NAME)) change.statusCheck = CHECK_NAME;
    return change.reviews !== undefined || change.statusCheck ? [change] : [];
  },
};
