/**
 * The vocabulary of the repository settings audit: the facts gathered from GitHub about one repository,
 * the findings a check emits, and the setting changes a fix proposes (as data, applied by src/github/).
 */
import type { CheckMeta } from '../core/check-meta.js';
import type { RuleLevel, Severity } from '../policy/types.js';

/** A fact the app could read, or the permission it lacks to read it. */
export type Fact<T> = { ok: true; value: T } | { ok: false; missing: string };

export interface ClassicProtection {
  requiredReviews?: number;
  statusChecks: string[];
  strict: boolean;
  allowForcePushes: boolean;
  allowDeletions: boolean;
  enforceAdmins: boolean;
  /**
   * Everything else the protection sets, kept as GitHub wrote it so a fix does not drop it. Absent when
   * read over GraphQL: a fix reads it over REST first.
   */
  raw?: Record<string, unknown>;
}

/** One rule of an active ruleset that applies to the default branch (GET /repos/{o}/{r}/rules/branches/{b}). */
export interface BranchRule {
  type: string;
  parameters?: Record<string, unknown>;
  rulesetId?: number;
}

export interface Ruleset {
  id: number;
  name: string;
  enforcement: 'active' | 'evaluate' | 'disabled';
  target?: string;
  source: string;
  /** Present for rulesets in evaluate mode (fetched one by one to explain why they do not count). */
  rules?: BranchRule[];
  conditions?: { ref_name?: { include?: string[]; exclude?: string[] } } | null;
  htmlUrl?: string;
}

/** An environment. Only the production environment's protection (reviewers, branch policy) is read; the others carry their name and id. */
export interface Environment {
  id: number;
  name: string;
  reviewers: Array<{ type: string; id: number; login?: string }>;
  waitTimer?: number;
  preventSelfReview?: boolean;
  branchPolicy: { protectedBranches: boolean; customBranchPolicies: boolean } | null;
}

export interface ProductionDetails {
  /** Custom protection rules (apps) enabled on the environment; absent when it has required reviewers. */
  customRules?: Fact<Array<{ slug: string; enabled: boolean }>>;
  /** Its deployment branch and tag policies; absent unless it uses custom policies. */
  branchPolicies?: Fact<Array<{ id: number; name: string; type: 'branch' | 'tag' }>>;
}

export interface AuditFacts {
  owner: string;
  repo: string;
  /** https://github.com/owner/repo (or the GHE host) for settings links. */
  htmlUrl: string;
  ownerIsOrg: boolean;
  defaultBranch: string;
  archived: boolean;
  private: boolean;
  topics: string[];
  /** null: not protected, or not read because the active rules already satisfy every protection check. */
  classic: Fact<ClassicProtection | null>;
  branchRules: Fact<BranchRule[]>;
  /** Empty also when not read: the list only explains evaluate mode, which matters when protection is missing. */
  rulesets: Fact<Ruleset[]>;
  environments: Fact<Environment[]>;
  production: ProductionDetails;
  /** Logins of outside collaborators with admin; undefined for a user-owned repository (no outside collaborators). */
  outsideAdmins?: Fact<string[]>;
  /** GitHub's "require actions to be pinned to a full-length commit SHA"; undefined when not asked. */
  shaPinning?: Fact<ShaPinning>;
  /** `enabled`/`disabled`, or `unavailable` when the plan does not offer push protection here. */
  pushProtection: Fact<'enabled' | 'disabled' | 'unavailable'>;
}

/** The repository's Actions permissions, as far as the SHA-pinning setting and a fix of it need them. */
export interface ShaPinning {
  /** The repository's own setting (false also when not read because the organization requires pinning). */
  repository: boolean;
  organization?: boolean;
  /** The repository's other Actions permissions, which a fix writes back unchanged. */
  enabled?: boolean;
  allowedActions?: 'all' | 'local_only' | 'selected';
}

export type AuditAction = 'log' | 'issue' | 'fix';
export type AuditLevel = Severity | 'off';

export interface AuditFinding {
  check: string;
  severity: Severity;
  /** The exact setting, as GitHub's settings page names it. */
  setting: string;
  message: string;
  /** How to fix it by hand. */
  fix: string;
  /** The settings page. */
  url: string;
}

/** A check could not be run: the app lacks a permission (never reported as a finding about the repository). */
export interface CannotAudit {
  check: string;
  reason: string;
}

/** A change to the repository's settings, as data; src/github/audit-settings.ts carries it out. */
export type SettingChange =
  | {
      kind: 'branch-protection';
      branch: string;
      reviews?: number;
      statusCheck?: string;
      blockForcePushes?: boolean;
      blockDeletions?: boolean;
    }
  | { kind: 'create-environment'; name: string }
  | { kind: 'release-tag-policy'; environment: string; patterns: string[] }
  | { kind: 'sha-pinning' }
  | { kind: 'push-protection' };

export type AuditRepositories = 'all' | string[] | { topic: string };

/** The `audit:` section of shipshape.yml (its schema is audit/config.ts). */
export interface AuditConfig {
  action: AuditAction;
  /** Approving reviews the default branch must require. */
  reviews: number;
  /** Organization file only: which repositories are audited. */
  repositories: AuditRepositories;
  /** Per-check level; `off` turns a check off. */
  checks: Record<string, AuditLevel>;
}

/**
 * The parts of shipshape.yml the checks read; a ShipshapeConfig is one. Named here rather than imported
 * from config/schema.ts, whose schema is built from the checks: the types would otherwise form a loop.
 */
export interface AuditedConfig {
  audit: AuditConfig;
  release: { environments: string[]; 'tag-pattern': string };
  rules: { 'actions-pinned': RuleLevel };
}

export interface CheckContext {
  config: AuditedConfig;
  /** The production environment: `production` when listed in release.environments, else the last one. */
  production: string;
  /** Slug of this app, whose custom deployment protection rule gates production. */
  appSlug: string;
}

export interface CheckResult {
  findings: Array<Omit<AuditFinding, 'check' | 'severity'>>;
  cannotAudit?: string;
  /** A note that is not a finding (e.g. push protection not offered on this plan). */
  note?: string;
}

export interface AuditCheck {
  meta: CheckMeta & {
    defaultLevel: AuditLevel;
    /** Whether `fix` can make the check pass without a person's judgement. */
    fixable: boolean;
  };
  /** Whether the check applies at all under this configuration (e.g. SHA pinning only when actions-pinned is an error). */
  applies?: (ctx: CheckContext) => boolean;
  /** Facts read only for the checks that ask (the rest is read for every audit): gathering asks the active checks. */
  needs?: { shaPinning?: boolean };
  check: (facts: AuditFacts, ctx: CheckContext) => CheckResult;
  /** The changes that make the check pass, when they are safe to make without a person's judgement. */
  fix?: (facts: AuditFacts, ctx: CheckContext) => SettingChange[];
}

export const lacks = (permission: string): string => `cannot audit: the app lacks the ${permission} permission`;
