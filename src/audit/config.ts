/**
 * The `audit:` section of shipshape.yml: its JSON-schema fragment (validated with the rest of the file,
 * so a mistake is a config error, never a silent default) and its TypeScript type.
 */
import { AUDIT_CHECKS } from './registry.js';

import type { AuditRepositories } from './types.js';

export const AUDIT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    action: { enum: ['log', 'issue', 'fix'], default: 'log' },
    reviews: { type: 'integer', minimum: 0, maximum: 6, default: 1 },
    repositories: {
      default: 'all',
      anyOf: [
        { const: 'all' },
        { type: 'array', items: { type: 'string', pattern: '^[\\w.-]+$' } },
        { type: 'object', additionalProperties: false, required: ['topic'], properties: { topic: { type: 'string', minLength: 1 } } },
      ],
    },
    checks: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: Object.fromEntries(
        AUDIT_CHECKS.map((c) => [c.meta.id, { enum: ['error', 'warning', 'off'], default: c.meta.defaultLevel }]),
      ),
    },
  },
} as const;

/** Whether the organization's selection takes in a repository (names compare without case, as GitHub does). */
export function selects(selection: AuditRepositories, repo: { name: string; topics: string[] }): boolean {
  if (selection === 'all') return true;
  if (Array.isArray(selection)) return selection.some((n) => n.toLowerCase() === repo.name.toLowerCase());
  return repo.topics.some((t) => t.toLowerCase() === selection.topic.toLowerCase());
}
