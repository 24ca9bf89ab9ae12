/** Links to the settings pages a finding names (github.com or a GitHub Enterprise host alike). */
import type { AuditFacts } from './types.js';

const base = (f: AuditFacts) => f.htmlUrl.replace(/\/+$/, '');
const host = (f: AuditFacts) => new URL(f.htmlUrl).origin;

export const settingsPage = {
  branches: (f: AuditFacts) => `${base(f)}/settings/branches`,
  rules: (f: AuditFacts) => `${base(f)}/settings/rules`,
  environments: (f: AuditFacts) => `${base(f)}/settings/environments`,
  environment: (f: AuditFacts, id: number) => `${base(f)}/settings/environments/${id}/edit`,
  access: (f: AuditFacts) => `${base(f)}/settings/access`,
  actions: (f: AuditFacts) => `${base(f)}/settings/actions`,
  orgActions: (f: AuditFacts) => `${host(f)}/organizations/${f.owner}/settings/actions`,
  security: (f: AuditFacts) => `${base(f)}/settings/security_analysis`,
};
