/**
 * The settings GraphQL exposes, for many repositories in one query (one alias per repository): the rules
 * of active rulesets on the default branch (`Ref.rules`, what REST's rules/branches answers), its classic
 * protection rule, the rulesets (evaluate mode included), the environments with the production
 * environment's protection rules, and the outside collaborators with their role.
 *
 * GitHub shows a field it will not give this app as an error at that field (or a null repository); such a
 * fact comes back `undefined` here and the caller reads it over REST, whose 403 names the permission.
 * Classic protection is asked only when the installation is known to hold Administration: without it,
 * GitHub may answer null as for an unprotected branch, so null would be a false finding.
 */
import type { BranchRule, ClassicProtection, Environment, Ruleset } from '../audit/types.js';
import type { GitHub } from './client.js';
import { repositoriesQuery, type BatchQuery } from './graphql-batch.js';

/** Repositories per query: keeps each answer small and its cost a few points. */
export const REPOSITORIES_PER_QUERY = 20;

export interface SettingsTarget {
  owner: string;
  repo: string;
  /** The production environment, read with its protection rules. */
  production: string;
}

export interface SettingsAsk {
  /** The installation holds Administration (read): `branchProtectionRule` is trustworthy. */
  classic: boolean;
  /** The installation holds the permission environments are read with. */
  environments: boolean;
  /** Outside collaborators (organization-owned repositories). */
  collaborators: boolean;
}

/** What GraphQL answered; `undefined`: not asked or refused (read over REST instead). */
export interface GraphqlSettings {
  branchRules?: BranchRule[];
  classic?: ClassicProtection | null;
  /** Summaries without their rules (REST reads an evaluate-mode ruleset's rules when a finding needs them). */
  rulesets?: Ruleset[];
  /** Every environment by name and id; production's protection rules (reviewers, wait timer) filled in. */
  environments?: Environment[];
  /** Whether production has a deployment branch policy (GraphQL does not say which kind). */
  productionBranchPolicy?: boolean;
  outsideAdmins?: string[];
}

interface RuleNode {
  type: string;
  parameters?: { __typename?: string; requiredApprovingReviewCount?: number; requiredStatusChecks?: Array<{ context: string }> } | null;
  repositoryRuleset?: { databaseId?: number | null; name?: string } | null;
}
interface RepositoryAnswer {
  defaultBranchRef?: {
    name: string;
    rules?: { totalCount: number; nodes: RuleNode[] } | null;
    branchProtectionRule?: {
      requiresApprovingReviews: boolean;
      requiredApprovingReviewCount?: number | null;
      requiresStatusChecks: boolean;
      requiredStatusCheckContexts?: Array<string | null> | null;
      requiresStrictStatusChecks: boolean;
      allowsForcePushes: boolean;
      allowsDeletions: boolean;
      isAdminEnforced: boolean;
    } | null;
  } | null;
  rulesets?: {
    totalCount: number;
    nodes: Array<{
      databaseId?: number | null;
      name: string;
      enforcement: string;
      target?: string | null;
      source: { __typename: string; nameWithOwner?: string; login?: string; slug?: string };
      conditions: { refName?: { include: string[]; exclude: string[] } | null };
    }>;
  } | null;
  environments?: { totalCount: number; nodes: Array<{ databaseId?: number | null; name: string }> } | null;
  production?: {
    databaseId?: number | null;
    name: string;
    protectionRules: {
      nodes: Array<{
        type: string;
        timeout: number;
        preventSelfReview?: boolean | null;
        reviewers: { totalCount: number; nodes: Array<{ __typename: string; databaseId?: number | null; login?: string; slug?: string }> };
      }>;
    };
  } | null;
  collaborators?: { totalCount: number; edges: Array<{ permission: string; node: { login: string } }> } | null;
}

const RULE_FIELDS = `type parameters { __typename ... on PullRequestParameters { requiredApprovingReviewCount } ... on RequiredStatusChecksParameters { requiredStatusChecks { context } } } repositoryRuleset { databaseId name }`;
const CLASSIC_FIELDS = `branchProtectionRule { requiresApprovingReviews requiredApprovingReviewCount requiresStatusChecks requiredStatusCheckContexts requiresStrictStatusChecks allowsForcePushes allowsDeletions isAdminEnforced }`;
const RULESET_FIELDS = `rulesets(first: 100, includeParents: true) { totalCount nodes { databaseId name enforcement target source { __typename ... on Repository { nameWithOwner } ... on Organization { login } ... on Enterprise { slug } } conditions { refName { include exclude } } } }`;
const ENVIRONMENT_FIELDS = (v: string) =>
  `environments(first: 100) { totalCount nodes { databaseId name } } production: environment(name: $${v}) { databaseId name protectionRules(first: 10) { nodes { type timeout preventSelfReview reviewers(first: 20) { totalCount nodes { __typename ... on User { databaseId login } ... on Team { databaseId slug } } } } } }`;
const COLLABORATOR_FIELDS = `collaborators(affiliation: OUTSIDE, first: 100) { totalCount edges { permission node { login } } }`;

/** The query for up to REPOSITORIES_PER_QUERY repositories, and its variables. */
export function settingsQuery(targets: readonly SettingsTarget[], ask: SettingsAsk): BatchQuery {
  return repositoriesQuery(targets, (t, i, variable) => {
    const parts = [
      `defaultBranchRef { name rules(first: 100) { totalCount nodes { ${RULE_FIELDS} } } ${ask.classic ? CLASSIC_FIELDS : ''} }`,
      RULESET_FIELDS,
    ];
    if (ask.environments) parts.push(ENVIRONMENT_FIELDS(variable(`p${i}`, t.production)));
    if (ask.collaborators) parts.push(COLLABORATOR_FIELDS);
    return parts.join(' ');
  });
}

type GraphqlError = { path?: Array<string | number>; type?: string; message?: string };

/** One query for `targets` (at most REPOSITORIES_PER_QUERY); one answer per target, in order. */
export async function readSettings(octokit: GitHub, targets: readonly SettingsTarget[], ask: SettingsAsk): Promise<GraphqlSettings[]> {
  const { query, variables } = settingsQuery(targets, ask);
  let data: Record<string, RepositoryAnswer | null | undefined>;
  let errors: GraphqlError[] = [];
  try {
    data = await octokit.graphql<Record<string, RepositoryAnswer | null>>(query, variables);
  } catch (err) {
    const failure = err as { data?: Record<string, RepositoryAnswer | null> | null; errors?: GraphqlError[] };
    if (!failure.errors) throw err; // HTTP errors (rate limits, outages) are not GraphQL's answer
    // A query GitHub rejects whole (a GitHub Enterprise Server without one of these fields): everything over REST.
    if (!failure.data) return targets.map(() => ({}));
    data = failure.data;
    errors = failure.errors;
  }
  return targets.map((target, i) => {
    const alias = `r${i}`;
    const answer = data[alias];
    if (!answer) return {};
    /** A field GitHub refused (an error at or below it): read over REST. */
    const refused = (...path: string[]) => errors.some((e) => e.path?.[0] === alias && path.every((p, k) => e.path?.[k + 1] === p));
    return parse(answer, ask, refused, target.production);
  });
}

function parse(
  answer: RepositoryAnswer,
  ask: SettingsAsk,
  refused: (...path: string[]) => boolean,
  productionName: string,
): GraphqlSettings {
  const out: GraphqlSettings = {};
  const ref = answer.defaultBranchRef;
  if (ref && ref.rules && !refused('defaultBranchRef', 'rules') && ref.rules.totalCount <= ref.rules.nodes.length)
    out.branchRules = ref.rules.nodes.map(branchRule);
  if (ref && ask.classic && ref.branchProtectionRule !== undefined && !refused('defaultBranchRef', 'branchProtectionRule'))
    out.classic = ref.branchProtectionRule ? classic(ref.branchProtectionRule) : null;
  if (answer.rulesets && !refused('rulesets') && answer.rulesets.totalCount <= answer.rulesets.nodes.length)
    out.rulesets = answer.rulesets.nodes.map(ruleset);
  if (ask.environments && answer.environments && !refused('environments') && !refused('production')) {
    const list = answer.environments;
    const production = answer.production;
    // The list has production but the lookup by name did not find it (a different case): REST matches names as the checks do.
    const missed = !production && list.nodes.some((e) => e.name.toLowerCase() === productionName.toLowerCase());
    if (list.totalCount <= list.nodes.length && !missed) {
      const rules = production?.protectionRules.nodes ?? [];
      const reviewersRule = rules.find((r) => r.type === 'REQUIRED_REVIEWERS');
      // Reviewers beyond the first page do not change the verdict (there are some); a wait timer alone gates nothing.
      out.environments = list.nodes.map((e) => ({
        id: e.databaseId ?? 0,
        name: e.name,
        reviewers: [],
        branchPolicy: null,
        ...(production && production.name.toLowerCase() === e.name.toLowerCase()
          ? {
              reviewers: (reviewersRule?.reviewers.nodes ?? []).map((r) => ({
                type: r.__typename,
                id: r.databaseId ?? 0,
                login: r.login ?? r.slug,
              })),
              waitTimer: rules.find((r) => r.type === 'WAIT_TIMER')?.timeout,
              preventSelfReview: reviewersRule?.preventSelfReview ?? undefined,
            }
          : {}),
      }));
      out.productionBranchPolicy = rules.some((r) => r.type === 'BRANCH_POLICY');
    }
  }
  if (
    ask.collaborators &&
    answer.collaborators &&
    !refused('collaborators') &&
    answer.collaborators.totalCount <= answer.collaborators.edges.length
  )
    out.outsideAdmins = answer.collaborators.edges.filter((e) => e.permission === 'ADMIN').map((e) => e.node.login);
  return out;
}

/** GraphQL's rule, in the shape REST's rules/branches gives (lower-case type, snake_case parameters). */
function branchRule(node: RuleNode): BranchRule {
  const p = node.parameters;
  const parameters =
    p?.__typename === 'PullRequestParameters'
      ? { required_approving_review_count: p.requiredApprovingReviewCount ?? 0 }
      : p?.__typename === 'RequiredStatusChecksParameters'
        ? { required_status_checks: (p.requiredStatusChecks ?? []).map((c) => ({ context: c.context })) }
        : undefined;
  return { type: node.type.toLowerCase(), parameters, rulesetId: node.repositoryRuleset?.databaseId ?? undefined };
}

function classic(rule: NonNullable<NonNullable<RepositoryAnswer['defaultBranchRef']>['branchProtectionRule']>): ClassicProtection {
  return {
    requiredReviews: rule.requiresApprovingReviews ? (rule.requiredApprovingReviewCount ?? 0) : undefined,
    statusChecks: rule.requiresStatusChecks
      ? [...new Set((rule.requiredStatusCheckContexts ?? []).filter((c): c is string => Boolean(c)))]
      : [],
    strict: rule.requiresStrictStatusChecks,
    allowForcePushes: rule.allowsForcePushes,
    allowDeletions: rule.allowsDeletions,
    enforceAdmins: rule.isAdminEnforced,
  };
}

function ruleset(node: NonNullable<RepositoryAnswer['rulesets']>['nodes'][number]): Ruleset {
  const source = node.source.nameWithOwner ?? node.source.login ?? node.source.slug ?? node.source.__typename;
  return {
    id: node.databaseId ?? 0,
    name: node.name,
    enforcement: node.enforcement.toLowerCase() as Ruleset['enforcement'],
    target: node.target?.toLowerCase(),
    source,
    conditions: node.conditions.refName
      ? { ref_name: { include: node.conditions.refName.include, exclude: node.conditions.refName.exclude } }
      : null,
  };
}
