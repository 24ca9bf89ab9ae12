/** A production deployment waits for a person (required reviewers) or for Shipshape's protection rule. */
import { settingsPage } from '../links.js';
import type { AuditCheck, AuditFacts, CheckContext, Environment } from '../types.js';

export function productionEnvironment(facts: AuditFacts, ctx: CheckContext): Environment | undefined {
  return facts.environments.ok ? facts.environments.value.find((e) => e.name.toLowerCase() === ctx.production.toLowerCase()) : undefined;
}

export const isOurRule = (slug: string, appSlug: string): boolean => slug.toLowerCase() === appSlug.toLowerCase();

export const productionGated: AuditCheck = {
  meta: {
    id: 'production-gated',
    description: "The production environment has required reviewers or Shipshape's custom deployment protection rule.",
    defaultLevel: 'error',
    fixable: false,
  },
  check(facts, ctx) {
    if (!facts.environments.ok) return { findings: [], cannotAudit: facts.environments.missing };
    const env = productionEnvironment(facts, ctx);
    if (!env) return { findings: [], note: `the \`${ctx.production}\` environment does not exist (see environments-exist)` };
    if (env.reviewers.length) return { findings: [] };
    const rules = facts.production.customRules;
    if (!rules) return { findings: [], note: 'custom deployment protection rules were not read' };
    if (!rules.ok) return { findings: [], cannotAudit: rules.missing };
    if (rules.value.some((r) => r.enabled && isOurRule(r.slug, ctx.appSlug))) return { findings: [] };
    const others = rules.value.filter((r) => r.enabled).map((r) => `\`${r.slug}\``);
    return {
      findings: [
        {
          setting: `Environments → \`${env.name}\` → Deployment protection rules → Required reviewers, or the \`${ctx.appSlug}\` app`,
          message: `A deployment to \`${env.name}\` waits for nobody: it has no required reviewers and Shipshape's protection rule is not enabled${others.length ? ` (enabled: ${others.join(', ')})` : ''}, so the release process's approval can be skipped.`,
          fix: `In Settings → Environments → \`${env.name}\`, under "Deployment protection rules", tick "Required reviewers" and add the platform maintainers, or enable \`${ctx.appSlug}\` among the apps listed there.`,
          url: settingsPage.environment(facts, env.id),
        },
      ],
    };
  },
};
