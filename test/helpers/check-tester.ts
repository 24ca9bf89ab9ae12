/**
 * The table tester for the settings-audit checks: facts (a compliant repository varied by `facts`) and a
 * configuration go in; valid cases find nothing and can audit; invalid ones find exactly the settings
 * listed, in order, or cannot audit for the reason given.
 */
import type { AuditCheck, AuditFacts, CheckResult } from '../../src/audit/types.js';
import { compliantFacts, context } from './audit-facts.js';
import { testTable, type TableCase } from './table-tester.js';

export interface CheckCase extends TableCase {
  facts?: Partial<AuditFacts>;
  config?: Record<string, unknown>;
  /** The app's slug in the context (the default one when omitted). */
  appSlug?: string;
  /** The result's note, matched like `cannotAudit`; `null`: it has none; omitted: not looked at. */
  note?: string | RegExp | null;
}

export interface InvalidCheckCase extends CheckCase {
  /** The findings' settings, in order, with their messages, how-to-fix texts and pages when given. */
  findings?: Array<{ setting: string; message?: string | RegExp; fix?: string | RegExp; url?: string }>;
  /** Instead of findings: why the check cannot audit. */
  cannotAudit?: string | RegExp;
}

const noteAgrees = (r: CheckResult, c: CheckCase): boolean =>
  c.note === undefined ||
  (c.note === null
    ? r.note === undefined
    : r.note !== undefined && (typeof c.note === 'string' ? r.note.includes(c.note) : c.note.test(r.note)));

export function testCheck(check: AuditCheck, cases: { valid: CheckCase[]; invalid: InvalidCheckCase[] }): void {
  const result = (c: CheckCase) => check.check(compliantFacts(c.facts), context(c.config, c.appSlug));
  testTable(
    check.meta.id,
    cases,
    {
      // A valid case audits and finds nothing (with the note given): the whole result is shown when it does not.
      valid: (c) => [result(c)].filter((r) => r.findings.length > 0 || r.cannotAudit !== undefined || !noteAgrees(r, c)),
      invalid: (c) => [result(c)],
    },
    ([r], c) => {
      if (c.note === null) expect(r!.note).toBeUndefined();
      else if (c.note !== undefined) expect(r!.note).toMatch(c.note);
      if (c.cannotAudit !== undefined) {
        expect(r!.findings).toEqual([]);
        expect(r!.cannotAudit).toMatch(c.cannotAudit);
        return;
      }
      expect(r!.cannotAudit).toBeUndefined();
      expect(r!.findings.map((f) => f.setting)).toEqual((c.findings ?? []).map((f) => f.setting));
      c.findings?.forEach((e, i) => {
        const f = r!.findings[i]!;
        if (e.message) expect(f.message).toMatch(e.message);
        if (e.fix) expect(f.fix).toMatch(e.fix);
        if (e.url) expect(f.url).toBe(e.url);
      });
    },
  );
}
