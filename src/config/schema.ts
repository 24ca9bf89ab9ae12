/** The shape of `.github/shipshape.yml`: one JSON Schema (validation, defaults) and its TypeScript type. */
export const RULE_IDS = [
  'dbt-packages-pinned',
  'core-pinned',
  'dockerfile-pinned',
  'actions-pinned',
  'python-pinned',
  'dashboards-versioned',
  'required-files',
  'no-plaintext-secrets',
] as const;
export type RuleId = (typeof RULE_IDS)[number];
type Level = 'error' | 'warning' | 'off';

export interface ShipshapeConfig {
  enabled: boolean;
  tool?: string;
  rules: Record<RuleId, Level>;
  core: { repository: string; image: string; 'allow-behind': number };
  dashboards: { reports: string; deployed: string[]; 'require-version': boolean };
  dockerfile: { 'require-digest': boolean };
  'required-files': string[];
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
  notify: { slack?: { 'webhook-env': string } };
}

export const DEFAULT_RULE_LEVELS: Record<RuleId, Level> = {
  'dbt-packages-pinned': 'error',
  'core-pinned': 'error',
  'dockerfile-pinned': 'error',
  'actions-pinned': 'warning',
  'python-pinned': 'warning',
  'dashboards-versioned': 'error',
  'required-files': 'error',
  'no-plaintext-secrets': 'error',
};

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
  rules: obj(
    Object.fromEntries(RULE_IDS.map((id) => [id, { ...level, default: DEFAULT_RULE_LEVELS[id] }])),
  ),
  core: obj({
    repository: { type: 'string', pattern: '^[\\w.-]+/[\\w.-]+$', default: 'Sciance-Inc/core.dashboards_store' },
    image: { type: 'string', minLength: 1, default: 'ghcr.io/sciance-inc/core.dashboards_store' },
    'allow-behind': { type: 'integer', minimum: 0, default: 2 },
  }),
  dashboards: obj({
    reports: { type: 'string', minLength: 1, default: 'reporting/{domain}/{dashboard}/**' },
    deployed: { ...strings, default: [] },
    'require-version': { type: 'boolean', default: false },
  }),
  dockerfile: obj({ 'require-digest': { type: 'boolean', default: false } }),
  'required-files': { ...strings, default: ['Dockerfile', 'README.md', '.github/workflows/*.y*ml'] },
  release: obj({
    'tag-pattern': { type: 'string', default: 'semver' },
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
  notify: obj({ slack: obj({ 'webhook-env': { type: 'string', default: 'SLACK_WEBHOOK_URL' } }, {}, false) }),
});
