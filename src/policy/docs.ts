/**
 * The README's rule reference, rendered from each rule's meta (and `malformed-file`'s): `npm run docs`
 * writes it between the markers, and a test fails when the README is stale.
 */
import { MALFORMED_FILE } from './malformed-file.js';
import { RULES } from './registry.js';
import type { RuleDocs } from './rule.js';

export const DOCS_START = "<!-- rules:start — generated from each rule's meta by `npm run docs`; edit the rule, not this -->";
export const DOCS_END = '<!-- rules:end -->';

interface Documented {
  id: string;
  description: string;
  defaultLevel: string;
  options?: Record<string, object>;
  messages: Record<string, string>;
  docs: RuleDocs;
}

export function renderRuleReference(): string {
  const entries: Documented[] = [...RULES.map((r) => r.meta), { ...MALFORMED_FILE, defaultLevel: 'error, always on' }];
  const lines = [
    'Run `npx shipshape explain <rule>` for any of these. Levels are set under `rules:` (`error`, `warning` or `off`).',
    '',
    '| Rule | Default | What it checks |',
    '|---|---|---|',
    ...entries.map((e) => `| [\`${e.id}\`](#${e.id}) | ${e.defaultLevel} | ${e.description} |`),
  ];
  for (const e of entries) {
    lines.push('', `### \`${e.id}\``, e.docs.details, '');
    const options = optionLines(e.options);
    if (options.length) lines.push(`Settings: ${options.join('; ')}.`, '');
    lines.push('Findings:', ...Object.entries(e.messages).map(([code, text]) => `- \`${code}\`: ${text}`), '');
    const lang = e.docs.language ?? 'text';
    lines.push(`\`\`\`${lang}`, `# fails`, e.docs.failing, '```', '', `\`\`\`${lang}`, '# passes', e.docs.fixed, '```');
  }
  return lines.join('\n');
}

/** `core.repository` (default `Sciance-Inc/core.dashboards_store`), … from the JSON-schema fragments. */
function optionLines(options: Record<string, object> | undefined): string[] {
  const out: string[] = [];
  const visit = (key: string, schema: { properties?: Record<string, object>; default?: unknown }) => {
    if (schema.properties) for (const [k, v] of Object.entries(schema.properties)) visit(`${key}.${k}`, v);
    else out.push(`\`${key}\` (default \`${JSON.stringify(schema.default)}\`)`);
  };
  for (const [key, schema] of Object.entries(options ?? {})) visit(key, schema);
  return out;
}

/** The README with its rule reference replaced; throws when the markers are missing. */
export function withRuleReference(readme: string): string {
  const start = readme.indexOf(DOCS_START);
  const end = readme.indexOf(DOCS_END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${DOCS_START} … ${DOCS_END}`);
  return `${readme.slice(0, start + DOCS_START.length)}\n${renderRuleReference()}\n${readme.slice(end)}`;
}
