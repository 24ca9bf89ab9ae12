import { productionGated } from '../../../src/audit/checks/production-gated.js';
import type { AuditFacts, ProductionDetails } from '../../../src/audit/types.js';
import { forbidden, ok } from '../../helpers/audit-facts.js';
import { testCheck } from '../../helpers/check-tester.js';

/** A production environment without required reviewers, with these custom protection rules. */
const ungated = (customRules: ProductionDetails['customRules']): Partial<AuditFacts> => ({
  environments: ok([{ id: 12, name: 'production', reviewers: [], branchPolicy: null }]),
  production: { customRules },
});

testCheck(productionGated, {
  valid: [
    { name: 'required reviewers', note: null },
    { name: "Shipshape's custom protection rule enabled", facts: ungated(ok([{ slug: 'shipshape', enabled: true }])), note: null },
    {
      name: "the custom protection rule of Shipshape's own slug enabled",
      facts: ungated(ok([{ slug: 'shipshape-acme', enabled: true }])),
      appSlug: 'shipshape-acme',
      note: null,
    },
    {
      name: 'a missing production environment is left to environments-exist',
      facts: { environments: ok([]) },
      note: /^the `production` environment does not exist \(see environments-exist\)$/,
    },
  ],
  invalid: [
    {
      name: 'neither: naming other apps and the environment page',
      facts: ungated(
        ok([
          { slug: 'other-gate', enabled: true },
          { slug: 'shipshape', enabled: false },
        ]),
      ),
      findings: [
        {
          setting: 'Environments → `production` → Deployment protection rules → Required reviewers, or the `shipshape` app',
          message: "Shipshape's protection rule is not enabled (enabled: `other-gate`)",
          url: 'https://github.com/css01/store/settings/environments/12/edit',
        },
      ],
    },
    {
      name: 'cannot audit when the custom rules cannot be read',
      facts: ungated(forbidden('Actions (read)')),
      cannotAudit: /lacks the Actions \(read\) permission/,
    },
  ],
});
