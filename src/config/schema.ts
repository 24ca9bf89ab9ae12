/**
 * The shape of `.github/shipshape.yml`: one JSON Schema (validation, defaults) and its TypeScript type. The
 * `rules:` section, the rule ids and the sections each rule owns (`core:`, `dockerfile:`, …) come from the
 * rule registry; the rest is defined here.
 */
import { AUDIT_SCHEMA } from '../audit/config.js';
import type { AuditConfig } from '../audit/types.js';
import { PIPELINES_SCHEMA, type Pipelines } from '../pipelines/config.js';
import { RULES, type RuleId, type RuleSections } from '../policy/registry.js';
import { IGNORE_SCHEMA, type IgnoreSection } from '../policy/scope.js';

export type { RuleId } from '../policy/registry.js';
export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.meta.id);
type Level = 'error' | 'warning' | 'off';

interface OwnSections {
  enabled: boolean;
  tool?: string;
  rules: Record<RuleId, Level>;
  release: {
    'tag-pattern': string;
    'service-owners': string[];
    'platform-maintainers': string[];
    environments: string[];
    deploy: { method: 'deployment' | 'workflow_dispatch'; workflow?: string };
    checklist: string[];
    links: { checklist: string; report: string };
    doi: boolean;
  };
  notify: { slack: { 'webhook-env': string } };
  audit: AuditConfig;
  pipelines: Pipelines;
}

export type ShipshapeConfig = OwnSections & RuleSections & IgnoreSection;

export const DEFAULT_RULE_LEVELS = Object.fromEntries(RULES.map((r) => [r.meta.id, r.meta.defaultLevel])) as Record<RuleId, Level>;

const level = { enum: ['error', 'warning', 'off'] };
const strings = { type: 'array', items: { type: 'string' } };
const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}, withDefault = true) => ({
  type: 'object',
  additionalProperties: false,
  properties,
  ...(withDefault ? { default: {} } : {}),
  ...extra,
});

export const CONFIG_SCHEMA = obj({
  _extends: { type: 'string' },
  enabled: { type: 'boolean', default: true },
  tool: { type: 'string', minLength: 1 },
  rules: obj(Object.fromEntries(RULES.map(({ meta }) => [meta.id, { ...level, default: meta.defaultLevel }] as const))),
  ...(Object.assign({}, ...RULES.map((r) => r.meta.options ?? {})) as Record<string, unknown>),
  ignore: IGNORE_SCHEMA,
  release: obj({
    // `semver`, or a literal tag with one `{version}` placeholder (release/version.ts reads it).
    'tag-pattern': { type: 'string', default: 'semver', pattern: '^(semver|[^{}]*\\{version\\}[^{}]*)$' },
    'service-owners': { ...strings, default: [] },
    'platform-maintainers': { ...strings, default: [] },
    environments: { ...strings, minItems: 1, default: ['staging', 'production'] },
    deploy: obj(
      {
        method: { enum: ['deployment', 'workflow_dispatch'], default: 'deployment' },
        workflow: { type: 'string', minLength: 1 },
      },
      {
        if: { properties: { method: { const: 'workflow_dispatch' } }, required: ['method'] },
        then: { required: ['workflow'] },
      },
    ),
    checklist: { ...strings, default: [] },
    links: obj({ checklist: { type: 'string', default: '' }, report: { type: 'string', default: '' } }),
    doi: { type: 'boolean', default: false },
  }),
  notify: obj({ slack: obj({ 'webhook-env': { type: 'string', default: 'SLACK_WEBHOOK_URL' } }) }),
  audit: AUDIT_SCHEMA,
  pipelines: PIPELINES_SCHEMA,
});
