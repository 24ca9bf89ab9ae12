/** The audit itself: facts and configuration in, findings, "cannot audit" notes and safe fixes out. Pure. */
import type { ShipshapeConfig } from '../config/schema.js';
import { CHECK_NAME } from './checks/branch-protected.js';
import { effectiveProtection } from './protection.js';
import { AUDIT_CHECKS } from './registry.js';
import type {
  AuditCheck,
  AuditFacts,
  AuditFinding,
  BranchRule,
  CannotAudit,
  CheckContext,
  ClassicProtection,
  SettingChange,
} from './types.js';

export interface AuditResult {
  findings: AuditFinding[];
  cannotAudit: CannotAudit[];
  notes: string[];
  /** Checks that ran and found nothing. */
  passed: string[];
  /** Changes that would make the fixable findings go away. */
  fixes: Array<{ check: string; change: SettingChange }>;
}

export const DEFAULT_APP_SLUG = 'shipshape';

export function checkContext(config: ShipshapeConfig, appSlug = DEFAULT_APP_SLUG): CheckContext {
  const envs = config.release.environments;
  const production = envs.find((e) => e.toLowerCase() === 'production') ?? envs[envs.length - 1] ?? 'production';
  return { config, production, appSlug };
}

export function activeChecks(ctx: CheckContext, checks: readonly AuditCheck[] = AUDIT_CHECKS): AuditCheck[] {
  return checks.filter((c) => (ctx.config.audit.checks[c.meta.id] ?? c.meta.defaultLevel) !== 'off' && (c.applies?.(ctx) ?? true));
}

/** Whether an active check needs the Actions SHA-pinning setting, which is read only then. */
export const needsShaPinning = (ctx: CheckContext): boolean => activeChecks(ctx).some((c) => c.needs?.shaPinning === true);

export function runAudit(facts: AuditFacts, ctx: CheckContext, checks: readonly AuditCheck[] = AUDIT_CHECKS): AuditResult {
  const result: AuditResult = { findings: [], cannotAudit: [], notes: [], passed: [], fixes: [] };
  for (const check of activeChecks(ctx, checks)) {
    const level = ctx.config.audit.checks[check.meta.id] ?? check.meta.defaultLevel;
    const outcome = check.check(facts, ctx);
    if (outcome.note) result.notes.push(`${check.meta.id}: ${outcome.note}`);
    if (outcome.cannotAudit) {
      result.cannotAudit.push({ check: check.meta.id, reason: outcome.cannotAudit });
      continue;
    }
    if (!outcome.findings.length) {
      // A note without findings means the check had nothing to judge (no production environment, not offered).
      if (!outcome.note) result.passed.push(check.meta.id);
      continue;
    }
    for (const f of outcome.findings)
      result.findings.push({ check: check.meta.id, severity: level === 'warning' ? 'warning' : 'error', ...f });
    if (check.meta.fixable && check.fix) for (const change of check.fix(facts, ctx)) result.fixes.push({ check: check.meta.id, change });
  }
  return result;
}

/**
 * Whether the default branch's protection already satisfies every active protection check, so gathering
 * can skip reads that cannot change the outcome (classic protection when the rulesets suffice; the
 * ruleset list, which only explains evaluate mode, when nothing is missing).
 */
export function protectionSatisfied(ctx: CheckContext): (classic: ClassicProtection | null, rules: BranchRule[]) => boolean {
  const ids = activeChecks(ctx).map((c) => c.meta.id);
  const reviews = ctx.config.audit.reviews;
  return (classic, rules) => {
    const p = effectiveProtection(classic, rules);
    const protectedOk = !ids.includes('branch-protected') || (p.reviews >= reviews && p.statusChecks.has(CHECK_NAME));
    const historyOk = !ids.includes('branch-no-force-push') || (p.forcePushBlocked && p.deletionBlocked);
    return protectedOk && historyOk;
  };
}
