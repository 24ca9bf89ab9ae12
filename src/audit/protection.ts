/**
 * The protection the default branch really has: classic branch protection and the rules of active
 * rulesets count alike (GitHub enforces both, so the strictest wins). Rulesets in evaluate mode enforce
 * nothing; they are listed so a finding can say why they do not count.
 */
import picomatch from 'picomatch';
import type { AuditFacts, BranchRule, ClassicProtection, Ruleset } from './types.js';

export interface EffectiveProtection {
  reviews: number;
  statusChecks: Set<string>;
  forcePushBlocked: boolean;
  deletionBlocked: boolean;
  /** Where each part comes from, for messages: `classic branch protection`, `ruleset "main"`. */
  sources: string[];
}

export function effectiveProtection(classic: ClassicProtection | null, rules: BranchRule[], rulesets: Ruleset[] = []): EffectiveProtection {
  const out: EffectiveProtection = { reviews: 0, statusChecks: new Set(), forcePushBlocked: false, deletionBlocked: false, sources: [] };
  if (classic) {
    out.sources.push('classic branch protection');
    out.reviews = classic.requiredReviews ?? 0;
    classic.statusChecks.forEach((c) => out.statusChecks.add(c));
    out.forcePushBlocked = !classic.allowForcePushes;
    out.deletionBlocked = !classic.allowDeletions;
  }
  for (const rule of rules) {
    const name = rulesets.find((r) => r.id === rule.rulesetId)?.name;
    const source = name ? `ruleset "${name}"` : 'a ruleset';
    if (!out.sources.includes(source)) out.sources.push(source);
    applyRule(out, rule);
  }
  return out;
}

function applyRule(out: EffectiveProtection, rule: BranchRule): void {
  const p = rule.parameters ?? {};
  if (rule.type === 'pull_request') out.reviews = Math.max(out.reviews, Number(p.required_approving_review_count ?? 0));
  if (rule.type === 'required_status_checks')
    for (const c of (p.required_status_checks as Array<{ context: string }> | undefined) ?? []) out.statusChecks.add(c.context);
  if (rule.type === 'non_fast_forward') out.forcePushBlocked = true;
  if (rule.type === 'deletion') out.deletionBlocked = true;
}

/** Rulesets in evaluate mode whose conditions take in the default branch, with what they would enforce. */
export function evaluateModeRulesets(facts: AuditFacts): Array<{ ruleset: Ruleset; would: EffectiveProtection }> {
  if (!facts.rulesets.ok) return [];
  return facts.rulesets.value
    .filter((r) => r.enforcement === 'evaluate' && (r.target ?? 'branch') === 'branch' && targetsBranch(r, facts.defaultBranch))
    .map((ruleset) => ({ ruleset, would: effectiveProtection(null, ruleset.rules ?? []) }));
}

/** GitHub's ref_name condition: include/exclude lists of fnmatch patterns, `~DEFAULT_BRANCH` and `~ALL`. */
export function targetsBranch(ruleset: Ruleset, defaultBranch: string): boolean {
  const refName = ruleset.conditions?.ref_name;
  if (!refName) return true; // an organization ruleset without ref conditions applies to every branch
  const ref = `refs/heads/${defaultBranch}`;
  const matches = (pattern: string) =>
    pattern === '~ALL' || pattern === '~DEFAULT_BRANCH' || picomatch.isMatch(ref, pattern) || picomatch.isMatch(defaultBranch, pattern);
  return (refName.include ?? []).some(matches) && !(refName.exclude ?? []).some(matches);
}

/** A sentence about evaluate-mode rulesets that would have provided `what`, or ''. */
export function evaluateNote(facts: AuditFacts, provides: (p: EffectiveProtection) => boolean): string {
  const names = evaluateModeRulesets(facts)
    .filter((e) => provides(e.would))
    .map((e) => `"${e.ruleset.name}"`);
  if (!names.length) return '';
  return ` Ruleset ${names.join(', ')} would require this, but it is in evaluate mode, which only reports and enforces nothing, so it does not count.`;
}
