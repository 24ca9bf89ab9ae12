/** What several checks share: reading the default branch's protection, or saying why it cannot be read. */
import { effectiveProtection, evaluateNote, type EffectiveProtection } from '../protection.js';
import type { AuditFacts } from '../types.js';

export type ProtectionView =
  | { ok: true; protection: EffectiveProtection; note: (provides: (p: EffectiveProtection) => boolean) => string }
  | { ok: false; missing: string };

/**
 * The effective protection. When classic protection cannot be read but the active rulesets already
 * satisfy `enough`, that suffices; otherwise the check cannot audit (classic protection might satisfy it).
 */
export function protectionView(facts: AuditFacts, enough: (p: EffectiveProtection) => boolean): ProtectionView {
  if (!facts.branchRules.ok) return { ok: false, missing: facts.branchRules.missing };
  const rulesets = facts.rulesets.ok ? facts.rulesets.value : [];
  const note = (provides: (p: EffectiveProtection) => boolean) => evaluateNote(facts, provides);
  if (!facts.classic.ok) {
    const rulesOnly = effectiveProtection(null, facts.branchRules.value, rulesets);
    return enough(rulesOnly) ? { ok: true, protection: rulesOnly, note } : { ok: false, missing: facts.classic.missing };
  }
  return { ok: true, protection: effectiveProtection(facts.classic.value, facts.branchRules.value, rulesets), note };
}

export const where = (p: EffectiveProtection): string =>
  p.sources.length ? ` (protected by ${p.sources.join(' and ')})` : ' (no branch protection rule or active ruleset applies to it)';
