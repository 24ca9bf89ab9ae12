/** Every rule, in the order the summary lists them. Adding a rule: its file, its test, one line here. */
import { actionsPinned } from './rules/actions-pinned.js';
import { corePinned } from './rules/core-pinned.js';
import { dashboardsVersioned } from './rules/dashboards-versioned.js';
import { dbtPackagesPinned } from './rules/dbt-packages-pinned.js';
import { dockerfilePinned } from './rules/dockerfile-pinned.js';
import { noPlaintextSecrets } from './rules/no-plaintext-secrets.js';
import { pythonPinned } from './rules/python-pinned.js';
import { requiredFiles } from './rules/required-files.js';
import type { Rule } from './types.js';

export const RULES: readonly Rule[] = [
  dbtPackagesPinned,
  corePinned,
  dockerfilePinned,
  actionsPinned,
  pythonPinned,
  dashboardsVersioned,
  requiredFiles,
  noPlaintextSecrets,
];

export const ruleById = (id: string): Rule | undefined => RULES.find((r) => r.id === id);
