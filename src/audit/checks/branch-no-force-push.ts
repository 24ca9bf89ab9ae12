/** Nobody rewrites or deletes the default branch's history. */
import { settingsPage } from '../links.js';
import type { AuditCheck, SettingChange } from '../types.js';
import { protectionView, where } from './common.js';

export const branchNoForcePush: AuditCheck = {
  meta: {
    id: 'branch-no-force-push',
    description: 'Force pushes to the default branch and its deletion are blocked, by classic branch protection or an active ruleset.',
    defaultLevel: 'error',
    fixable: true,
  },
  check(facts) {
    const view = protectionView(facts, (p) => p.forcePushBlocked && p.deletionBlocked);
    if (!view.ok) return { findings: [], cannotAudit: view.missing };
    const p = view.protection;
    const branch = facts.defaultBranch;
    const findings = [];
    if (!p.forcePushBlocked) {
      findings.push({
        setting: `Branch protection rule for \`${branch}\` → Allow force pushes (off), or ruleset rule "Block force pushes"`,
        message: `Force pushes to the default branch \`${branch}\` are allowed${where(p)}: released history can be rewritten.${view.note((w) => w.forcePushBlocked)}`,
        fix: `In Settings → Branches, protect \`${branch}\` and leave "Allow force pushes" unticked (or add "Block force pushes" to an active branch ruleset).`,
        url: settingsPage.branches(facts),
      });
    }
    if (!p.deletionBlocked) {
      findings.push({
        setting: `Branch protection rule for \`${branch}\` → Allow deletions (off), or ruleset rule "Restrict deletions"`,
        message: `The default branch \`${branch}\` can be deleted${where(p)}.${view.note((w) => w.deletionBlocked)}`,
        fix: `In Settings → Branches, protect \`${branch}\` and leave "Allow deletions" unticked (or add "Restrict deletions" to an active branch ruleset).`,
        url: settingsPage.branches(facts),
      });
    }
    return { findings };
  },
  fix(facts) {
    const view = protectionView(facts, () => false);
    if (!view.ok) return [];
    const change: SettingChange & { kind: 'branch-protection' } = { kind: 'branch-protection', branch: facts.defaultBranch };
    if (!view.protection.forcePushBlocked) change.blockForcePushes = true;
    if (!view.protection.deletionBlocked) change.blockDeletions = true;
    return change.blockForcePushes || change.blockDeletions ? [change] : [];
  },
};
