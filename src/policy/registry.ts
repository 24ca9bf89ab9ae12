/** Every rule, in the order the summary lists them. Adding a rule: its file, its test, one line here. */
import { dbtPackagesPinned } from './rules/dbt-packages-pinned.js';
import type { Rule } from './types.js';

export const RULES: readonly Rule[] = [dbtPackagesPinned];

export const ruleById = (id: string): Rule | undefined => RULES.find((r) => r.id === id);
