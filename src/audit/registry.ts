/** Every settings check, in the order reports list them. Adding a check: its file, its test, one line here. */
import { actionsShaPinning } from './checks/actions-sha-pinning.js';
import { branchNoForcePush } from './checks/branch-no-force-push.js';
import { branchProtected } from './checks/branch-protected.js';
import { environmentsExist } from './checks/environments-exist.js';
import { noOutsideAdmin } from './checks/no-outside-admin.js';
import { productionGated } from './checks/production-gated.js';
import { productionReleaseTags } from './checks/production-release-tags.js';
import { pushProtection } from './checks/push-protection.js';
import type { AuditCheck } from './types.js';

export const AUDIT_CHECKS: readonly AuditCheck[] = [
  branchProtected,
  branchNoForcePush,
  environmentsExist,
  productionGated,
  productionReleaseTags,
  noOutsideAdmin,
  actionsShaPinning,
  pushProtection,
];
