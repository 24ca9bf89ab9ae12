/**
 * The table tester for the settings-audit checks: facts (a compliant repository varied by `facts`) and a
 * configuration go in; valid cases find nothing and can audit; invalid ones find exactly the settings
 * listed, in order, or cannot audit for the reason given.
 */
import type { AuditCheck, AuditFacts } from '../../src/audit/types.js';
import { compliantFacts, context } from './audit-facts.js';
import { testTable, type TableCase } from './table-tester.js';

export interface CheckCase extends TableCase {
  facts?: Partial<AuditFacts>;
  config?: Record<string, unknown>;
}

export interface InvalidCheckCase extends CheckCase {
  /** The findings' settings, in order, with their messages when given. */
  findings?: Array<{ setting: string; message?: string | RegExp; url?: string }>;
  /** Instead of findings: why the check cannot audit. */
  cannotAudit?: string | RegExp;
}

export function testCheck(check: AuditCheck, cases: { valid: CheckCase[]; invalid: InvalidCheckCase[] }): void {
  const result = (c: CheckCase) => check.check(compliantFacts(c.facts), context(c.config));
  testTable(
    check.meta.id,
    cases,
    {
      // A valid case audits and finds nothing: the whole result is shown when it does not.
      valid: (c) => [result(c)].filter((r) => r.findings.length > 0 || r.cannotAudit !== undefined),
      invalid: (c) => [result(c)],
    },
    ([r], c) => {
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
        if (e.url) expect(f.url).toBe(e.url);
      });
    },
  );
}
