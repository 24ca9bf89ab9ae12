/**
 * What every check declares about itself, the shape of ESLint's `meta`: a policy rule (policy/rule.ts), a
 * settings-audit check (audit/types.ts) and the pipelines check (pipelines/findings.ts) all carry one, and
 * the config schema, the summaries and the table testers read it.
 */
export interface CheckMeta<Id extends string = string> {
  id: Id;
  /** One line, shown in summaries, the README and `explain`. */
  description: string;
  /** Where the configuration does not say: `off` turns the check off. */
  defaultLevel: 'error' | 'warning' | 'off';
}
