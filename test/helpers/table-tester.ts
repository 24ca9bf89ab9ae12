/**
 * The one valid/invalid table every kind of check is tested with (ESLint's RuleTester shape): each valid
 * case finds nothing; each invalid case finds exactly what it lists, in order. A policy rule
 * (rule-tester.ts), a settings-audit check (check-tester.ts) and the pipelines check run through it.
 */
export interface TableCase {
  name: string;
}

export interface Table<V extends TableCase, I extends TableCase> {
  valid: V[];
  invalid: I[];
}

export function testTable<V extends TableCase, I extends TableCase, F>(
  id: string,
  cases: Table<V, I>,
  run: { valid: (c: V) => F[]; invalid: (c: I) => F[] },
  expectFound: (found: F[], c: I) => void,
): void {
  describe(id, () => {
    describe('valid', () => {
      it.each(cases.valid.map((c) => [c.name, c] as const))('%s', (_n, c) => {
        expect(run.valid(c)).toEqual([]);
      });
    });
    describe('invalid', () => {
      it.each(cases.invalid.map((c) => [c.name, c] as const))('%s', (_n, c) => {
        expectFound(run.invalid(c), c);
      });
    });
  });
}
