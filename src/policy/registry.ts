/**
 * Every rule, in the order the summary lists them. Adding a rule: its file (meta + check), its test, one
 * line here — the config schema, `RuleId`, `shipshape explain`, the summary and the README follow.
 */
import { actionsPinned } from './rules/actions-pinned.js';
import { corePinned } from './rules/core-pinned.js';
import { dashboardsVersioned } from './rules/dashboards-versioned.js';
import { dbtPackagesPinned } from './rules/dbt-packages-pinned.js';
import { dockerfilePinned } from './rules/dockerfile-pinned.js';
import { noPlaintextSecrets } from './rules/no-plaintext-secrets.js';
import { pythonPinned } from './rules/python-pinned.js';
import { requiredFiles } from './rules/required-files.js';
import type { Rule } from './rule.js';

export const RULES = [
  dbtPackagesPinned,
  corePinned,
  dockerfilePinned,
  actionsPinned,
  pythonPinned,
  dashboardsVersioned,
  requiredFiles,
  noPlaintextSecrets,
] as const;

export type RegisteredRule = (typeof RULES)[number];
export type RuleId = RegisteredRule['meta']['id'];

type OptionsOf<R> = R extends Rule<string, infer O> ? O : never;
type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
/** The configuration sections the rules own (and the shared settings they read), as one type. */
export type RuleSections = Intersection<OptionsOf<RegisteredRule>>;

export const ruleById = (id: string): Rule | undefined => RULES.find((r) => r.meta.id === id);
